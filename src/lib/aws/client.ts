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
/**
 * What a failed call was, in the terms of the SDK's own classification (@smithy/core's
 * service-error-classification, which its standard retry strategy goes by): throttling codes,
 * transient error names, and the Node.js socket errors of a dropped or unreachable connection.
 * One list each for every action: awsFailure's messages and the watch loops' "try again" both
 * read them, and a unit test holds each entry against the SDK's predicates. Throttling takes
 * rate-limit codes of the SDK's list, not all of it: the SDK also counts LimitExceededException,
 * which ECR and ECS answer for a quota (repositories, revisions) that no retry gets past.
 */
export const THROTTLING_ERRORS: readonly string[] = [
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]
export const TRANSIENT_ERRORS: readonly string[] = [
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]
export const NETWORK_CODES: readonly string[] = [
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]

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

/**
 * A failed AWS call that is worth another try once the SDK's own retries are spent: the watch
 * loops keep polling through it until their deadline instead of failing the step.
 */
export class TransientAwsError extends OperationError {
  override name = 'TransientAwsError'
}

/**
 * The endpoint does not implement the call: an HTML page instead of AWS JSON (moto answers the
 * ServiceDeployment API with Werkzeug's 500 page) or an unknown-operation error.
 */
export class UnsupportedOperationError extends OperationError {
  override name = 'UnsupportedOperationError'
}

const UNKNOWN_OPERATION = ['UnknownOperationException', 'UnsupportedOperation', 'InvalidAction']

/** Whether an SDK error is throttling, a server fault (5xx), a timeout or a dropped connection. */
export function isTransientAwsError(error: unknown): boolean {
  if (error instanceof TransientAwsError) return true
  if (error instanceof OperationError || error === null || typeof error !== 'object') return false
  // The SDK already retried a non-JSON answer; another try would get the same page.
  if (nonJsonAnswer(error) !== undefined) return false
  const name = awsErrorName(error) ?? ''
  if (THROTTLING_ERRORS.includes(name) || TRANSIENT_ERRORS.includes(name)) return true
  const e = error as SdkErrorShape & { $fault?: unknown }
  const status = e.$metadata?.httpStatusCode
  if (status !== undefined && (status === 429 || status >= 500)) return true
  if (e.$fault === 'server') return true
  return NETWORK_CODES.includes(name) || (typeof e.code === 'string' && NETWORK_CODES.includes(e.code))
}

/**
 * The error to throw for a failed SDK call: awsFailure's message, as a TransientAwsError when
 * another try may succeed, as an UnsupportedOperationError when the endpoint lacks the call.
 */
export function awsCallFailure(error: unknown, action: string): Error {
  const failure = awsFailure(error, action)
  if (isTransientAwsError(error)) return new TransientAwsError(failure.message)
  if (nonJsonAnswer(error) !== undefined || UNKNOWN_OPERATION.includes(awsErrorName(error) ?? '')) {
    return new UnsupportedOperationError(failure.message)
  }
  return failure
}
