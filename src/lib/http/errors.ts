// How a request that got no HTTP answer is reported: one classification of the socket's error
// codes for both clients (client.ts's one-shot requests, keep-alive.ts's pooled connections).
import { OperationError } from '../errors.js'

export type HttpErrorCode = 'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'network'

/** A request that got no HTTP answer, classified so callers can say what happened. */
export class HttpError extends OperationError {
  override name = 'HttpError'
  constructor(
    readonly code: HttpErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** The error of a request to `url` that got no answer, by its code (ECONNREFUSED, ABORT_ERR, ...). */
export function classify(error: NodeJS.ErrnoException, url: URL, timeoutMs: number): HttpError {
  const where = `${url.protocol}//${url.host}`
  switch (error.code) {
    case 'ECONNREFUSED':
      return new HttpError('refused', `connection refused by ${where}`)
    case 'ECONNRESET':
    case 'EPIPE':
      return new HttpError('reset', `connection reset by ${where}`)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HttpError('dns', `cannot resolve host '${url.hostname}'`)
    case 'ETIMEDOUT':
    case 'ABORT_ERR':
      return new HttpError('timeout', `no response from ${where} within ${timeoutMs}ms`)
    default:
      if (
        error.code?.startsWith('ERR_TLS') ||
        /certificate|SSL|TLS/i.test(error.message) ||
        error.code?.includes('CERT')
      ) {
        return new HttpError('tls', `TLS error from ${where}: ${error.message}`)
      }
      return new HttpError('network', `request to ${where} failed: ${error.message}`)
  }
}
