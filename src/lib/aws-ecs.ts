import { ConfigurationError, errorMessage, OperationError } from './errors.js'

/**
 * Generic AWS plumbing for the SDK v3 clients: region resolution, retry settings, and turning an
 * SDK error into a message a person can act on. Nothing here imports the SDK, so a step that
 * fails on a bad input never pays for loading it.
 */

/** `aws-region`, else AWS_REGION / AWS_DEFAULT_REGION, else a ConfigurationError. */
export function resolveRegion(input: string | undefined, env: NodeJS.ProcessEnv): string {
  const region =
    input ?? (env.AWS_REGION?.trim() || undefined) ?? (env.AWS_DEFAULT_REGION?.trim() || undefined)
  if (region === undefined) {
    throw new ConfigurationError(
      "No AWS region: set the 'aws-region' input, or AWS_REGION (aws-actions/configure-aws-credentials sets it)",
    )
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new ConfigurationError(`AWS region must look like us-east-1 (got '${region}')`)
  }
  return region
}

/**
 * SDK client settings shared by every client: the standard retry mode retries throttling, 5xx and
 * connection resets with exponential backoff; more attempts than the default 3 ride out a burst of
 * throttling during a long deployment watch.
 */
export function sdkClientConfig(region: string): { region: string; maxAttempts: number; retryMode: string } {
  return { region, maxAttempts: 8, retryMode: 'standard' }
}

interface SdkErrorShape {
  name?: string
  message?: string
  $fault?: string
  $retryable?: unknown
  $metadata?: { httpStatusCode?: number }
  code?: string
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
])
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'TimeoutError',
  'RequestTimeout',
])

/** Whether an SDK error is worth another try: throttling, a server fault (5xx) or a dropped connection. */
export function isTransientAwsError(error: unknown): boolean {
  if (error instanceof AwsCallError) return error.transient
  if (error === null || typeof error !== 'object') return false
  const e = error as SdkErrorShape
  if (e.name !== undefined && THROTTLING.has(e.name)) return true
  const status = e.$metadata?.httpStatusCode
  if (status !== undefined && (status === 429 || status >= 500)) return true
  if (e.$fault === 'server') return true
  return NETWORK.has(e.name ?? '') || NETWORK.has(e.code ?? '')
}

/** A failed AWS call, with what was being done and whether retrying could help. */
export class AwsCallError extends OperationError {
  override name = 'AwsCallError'
  constructor(
    message: string,
    readonly code: string,
    readonly transient: boolean,
  ) {
    super(message)
  }
}

/**
 * `<service> <Operation> failed: <code>: <message>` plus a hint for the errors that have an obvious
 * fix (missing credentials, a missing permission, an expired token).
 */
export function describeAwsError(error: unknown, service: string, operation: string): AwsCallError {
  const e = (error !== null && typeof error === 'object' ? error : {}) as SdkErrorShape
  const code = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error')
  const text = errorMessage(error)
  let hint = ''
  if (code === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
    hint =
      ' (no AWS credentials found: run aws-actions/configure-aws-credentials before this step, or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)'
  } else if (
    code === 'AccessDeniedException' ||
    code === 'AccessDenied' ||
    /not authorized to perform/i.test(text)
  ) {
    hint = ` (the role needs permission ${service.toLowerCase()}:${operation}; see the action's README for the full list)`
  } else if (code === 'ExpiredTokenException' || code === 'ExpiredToken') {
    hint = ' (the session token expired: request a longer session in configure-aws-credentials)'
  } else if (code === 'UnrecognizedClientException' || code === 'InvalidSignatureException') {
    hint = ' (the credentials are not valid for this account or region)'
  }
  const message = `${service} ${operation} failed: ${code}: ${text}${hint}`
  return new AwsCallError(message, code, isTransientAwsError(error))
}
