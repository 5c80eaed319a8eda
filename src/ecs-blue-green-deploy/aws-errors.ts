import { awsErrorName, awsFailure, nonJsonAnswer } from '../lib/aws/client.js'
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
const UNKNOWN_OPERATION = new Set(['UnknownOperationException', 'UnsupportedOperation', 'InvalidAction'])

/**
 * A failed AWS call that is worth another try once the SDK's own retries are spent: the watch
 * loops keep polling through it until their deadline instead of failing the step.
 */
export class TransientAwsError extends OperationError {
  override name = 'TransientAwsError'
}

/**
 * The endpoint does not implement the call: an HTML page instead of AWS JSON (moto answers the
 * ServiceDeployment API with Werkzeug's 500 page) or an unknown-operation error. A rolling
 * deployment is then watched through DescribeServices instead.
 */
export class UnsupportedOperationError extends OperationError {
  override name = 'UnsupportedOperationError'
}

/** Whether an SDK error is throttling, a server fault (5xx) or a dropped connection. */
export function isTransientAwsError(error: unknown): boolean {
  if (error instanceof TransientAwsError) return true
  if (error instanceof OperationError || error === null || typeof error !== 'object') return false
  // The SDK already retried a non-JSON answer; another try would get the same page.
  if (nonJsonAnswer(error) !== undefined) return false
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
  if (isTransientAwsError(error)) return new TransientAwsError(failure.message)
  if (nonJsonAnswer(error) !== undefined || UNKNOWN_OPERATION.has(awsErrorName(error) ?? '')) {
    return new UnsupportedOperationError(failure.message)
  }
  return failure
}
