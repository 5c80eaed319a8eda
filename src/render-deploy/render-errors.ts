import { OperationError } from '../lib/errors.js'
import { redact } from '../lib/runner/secrets.js'

/** An HTTP answer from Render that is not a success, explained. */
export class RenderApiError extends OperationError {
  override name = 'RenderApiError'
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** Render could not be reached or kept failing after the retries; a wait may keep polling. */
export class TransientRenderError extends OperationError {
  override name = 'TransientRenderError'
}

/** Whether an error from this client is worth another poll (the client already retried it). */
export function isTransientRenderError(error: unknown): boolean {
  return (
    error instanceof TransientRenderError ||
    (error instanceof RenderApiError && (error.status === 429 || error.status >= 500))
  )
}

/**
 * Render's error bodies are `{ "id": "...", "message": "..." }` (the `error` schema of its API;
 * render-oss/cli's generated client reads them so); anything else, such as the rate limiter's
 * `{"error": "..."}`, is shown shortened.
 */
export function apiErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown }
    if (typeof parsed.message === 'string' && parsed.message !== '') return parsed.message
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.trim().replace(/\s+/g, ' ')
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** ` Render said: …` from an error body, secrets cut out; '' when the body says nothing. */
export function renderSaid(body: string, secrets: readonly string[]): string {
  const detail = redact(apiErrorMessage(body), secrets)
  return detail === '' ? '' : ` Render said: ${detail}`
}

/** What an API answer that is not a success means for the user, while doing `what`. */
export function explainApiStatus(
  status: number,
  said: string,
  what: string,
  notFound: string | undefined,
): string {
  switch (status) {
    case 401:
    case 403:
      return `Render rejected the API key (HTTP ${status}) while ${what}: check that 'api-key' (or RENDER_API_KEY) holds a current key (Account Settings → API Keys) of a user who is a member of the workspace that owns the service.${said}`
    case 404:
      return notFound ?? `Render answered HTTP 404 while ${what}.${said}`
    case 429:
      return `Render kept rate-limiting the requests (HTTP 429) while ${what}; try again later.${said}`
    default:
      return `Render answered HTTP ${status} while ${what}.${said}`
  }
}
