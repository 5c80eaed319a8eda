import { awsErrorName, awsFailure } from '../lib/aws.js'
import { OperationError } from '../lib/errors.js'

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

/**
 * A failed AWS call that is worth another try once the SDK's own retries are spent: the watch
 * loops keep polling through it until their deadline instead of failing the step.
 */
export class TransientAwsError extends OperationError {
  override name = 'TransientAwsError'
}

/** Whether an SDK error is throttling, a server fault (5xx) or a dropped connection. */
export function isTransientAwsError(error: unknown): boolean {
  if (error instanceof TransientAwsError) return true
  if (error instanceof OperationError || error === null || typeof error !== 'object') return false
  if (THROTTLING.has(awsErrorName(error) ?? '')) return true
  const e = error as { $fault?: unknown; $metadata?: { httpStatusCode?: number }; code?: unknown }
  const status = e.$metadata?.httpStatusCode
  if (status !== undefined && (status === 429 || status >= 500)) return true
  if (e.$fault === 'server') return true
  return NETWORK.has(awsErrorName(error) ?? '') || NETWORK.has(typeof e.code === 'string' ? e.code : '')
}

/** The error to throw for a failed SDK call: `awsFailure`'s message, kept retryable when it is transient. */
export function ecsCallFailure(error: unknown, action: string): Error {
  const failure = awsFailure(error, action)
  return isTransientAwsError(error) ? new TransientAwsError(failure.message) : failure
}
