import { ConfigurationError, OperationError, errorMessage, quote } from '../errors.js'

/**
 * AWS plumbing shared by the actions that call AWS (ECR, ECS). Nothing here imports the SDK:
 * actions import their client lazily, after inputs are valid, and pass it these helpers' results.
 *
 *   const region = resolveRegion(input.optional('aws-region'))
 *   const { ECRClient } = await import('@aws-sdk/client-ecr')
 *   const client = new ECRClient(awsClientConfig(region))
 *   try { await client.send(command) } catch (error) { throw awsFailure(error, 'ecr:CreateRepository') }
 *
 * Endpoints are left to the SDK, so its standard overrides (AWS_ENDPOINT_URL_ECR,
 * AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL) keep working; that is how tests reach local fakes.
 */

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/

/**
 * The region to call: the action's `aws-region` input, else AWS_REGION, else AWS_DEFAULT_REGION
 * (what aws-actions/configure-aws-credentials exports). No region is a ConfigurationError.
 * `name` is the input as the user knows it (InputReader.name), for the messages.
 */
export function resolveRegion(
  input: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  name = 'aws-region',
): string {
  const fromInput = input?.trim()
  if (fromInput) {
    if (!REGION.test(fromInput)) {
      throw new ConfigurationError(
        `Input '${name}' must be an AWS region like us-east-1 (got ${quote(fromInput)})`,
      )
    }
    return fromInput
  }
  const fromEnv = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim()
  if (fromEnv) return fromEnv
  throw new ConfigurationError(
    `No AWS region: set input '${name}', or AWS_REGION (aws-actions/configure-aws-credentials sets it)`,
  )
}

/** How many times one AWS call is tried in all (the SDK's standard retry: throttling, 5xx, resets). */
export const AWS_MAX_ATTEMPTS = 6

/**
 * The client configuration every action uses: its region and the standard retry strategy, with
 * AWS_MAX_ATTEMPTS (the SDK's own variable) honoured when it is a whole number of 1 or more.
 */
export function awsClientConfig(
  region: string,
  env: NodeJS.ProcessEnv = process.env,
): {
  region: string
  maxAttempts: number
  retryMode: 'standard'
} {
  const fromEnv = env.AWS_MAX_ATTEMPTS?.trim() ?? ''
  const maxAttempts = /^[1-9]\d{0,2}$/.test(fromEnv) ? Number(fromEnv) : AWS_MAX_ATTEMPTS
  return { region, maxAttempts, retryMode: 'standard' }
}

interface SdkErrorShape {
  name?: unknown
  code?: unknown
  message?: unknown
  $metadata?: { httpStatusCode?: number; attempts?: number }
  $response?: { headers?: Record<string, string | undefined> }
}

/**
 * An answer the SDK could not read as AWS JSON (an HTML error page from an emulator that lacks
 * the operation, or from a proxy): the SDK throws the parser's SyntaxError, with the HTTP status in
 * `$metadata` and the raw response in `$response`. Returns its status and content type.
 */
export function nonJsonAnswer(
  error: unknown,
): { status: number; contentType?: string; attempts?: number } | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as SdkErrorShape
  const status = e.$metadata?.httpStatusCode
  const parseFailure = e.name === 'SyntaxError' || /Deserialization error/.test(String(e.message ?? ''))
  if (!parseFailure || status === undefined) return undefined
  return { status, contentType: e.$response?.headers?.['content-type'], attempts: e.$metadata?.attempts }
}

/** The AWS error code of an SDK error (e.g. 'RepositoryNotFoundException'), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { name, code } = error as SdkErrorShape
  if (typeof name === 'string' && name !== 'Error') return name
  return typeof code === 'string' ? code : undefined
}

/** Whether `error` is an SDK error with one of the given codes. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = awsErrorName(error)
  return name !== undefined && names.includes(name)
}

const CREDENTIAL_ERRORS = [
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
]
const ACCESS_ERRORS = ['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']
const THROTTLING_ERRORS = [
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]
const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE']

/**
 * Turns an SDK error from the call `action` (an IAM action name such as 'ecr:CreateRepository')
 * into an OperationError a person can act on: rejected credentials, a missing permission, no
 * credentials at all, throttling that outlasted the retries, an unreachable endpoint. Anything
 * else keeps the service's own code and message. Configuration and operation errors pass through.
 */
export function awsFailure(error: unknown, action: string): Error {
  if (error instanceof ConfigurationError || error instanceof OperationError) return error
  const name = awsErrorName(error) ?? ''
  const detail = errorMessage(error)
  const attempts = (error as SdkErrorShape | undefined)?.$metadata?.attempts
  if (CREDENTIAL_ERRORS.includes(name)) {
    return new OperationError(
      `AWS rejected the credentials calling ${action} (${name}: ${detail}). Check the step that ` +
        'configures them (e.g. aws-actions/configure-aws-credentials): the keys may be wrong, ' +
        'or the session token expired.',
    )
  }
  if (ACCESS_ERRORS.includes(name)) {
    return new OperationError(
      `AWS denied ${action} (${name}: ${detail}). Grant the role '${action}' on this resource.`,
    )
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(detail)) {
    return new OperationError(
      `No AWS credentials found for ${action}: configure them before this step ` +
        '(e.g. aws-actions/configure-aws-credentials, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).',
    )
  }
  if (THROTTLING_ERRORS.includes(name)) {
    return new OperationError(
      `AWS kept throttling ${action}${attempts ? ` after ${attempts} attempts` : ''} (${name}: ${detail}); ` +
        'retry the job later or lower the request rate of other jobs in this account.',
    )
  }
  const answer = nonJsonAnswer(error)
  if (answer !== undefined) {
    const type = answer.contentType ? ` (${answer.contentType.split(';')[0]})` : ''
    const tries = answer.attempts
      ? `, after ${answer.attempts} attempt${answer.attempts === 1 ? '' : 's'}`
      : ''
    return new OperationError(
      `${action} failed: the endpoint answered HTTP ${answer.status}${type}, not an AWS JSON response${tries}. ` +
        'An emulator may not implement this operation, or a proxy answered instead of AWS.',
    )
  }
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string' && NETWORK_CODES.includes(code)) {
    return new OperationError(`Cannot reach the AWS endpoint for ${action}: ${detail}`)
  }
  return new OperationError(
    `${action} failed: ${name && !detail.startsWith(name) ? `${name}: ` : ''}${detail}`,
  )
}
