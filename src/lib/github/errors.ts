/**
 * What a failed GitHub request means to a user, from Octokit's RequestError (`status`, and the
 * message @octokit/request builds from GitHub's `{ message, errors[], documentation_url }`).
 */
export interface GitHubFailure {
  /** The HTTP status; undefined for a network failure. */
  status?: number
  /**
   * denied: the token may not do this (403 "Resource not accessible by integration": a fork's
   * pull request, or a `permissions:` block without the scope); unauthorized: 401 Bad
   * credentials; other: anything else (404, 422, 5xx after the retries, the network).
   */
  kind: 'denied' | 'unauthorized' | 'other'
  message: string
}

export function githubFailure(error: unknown): GitHubFailure {
  const status = networkFailure(error) ? undefined : statusOf(error)
  const raw = error instanceof Error ? error.message : String(error)
  // @octokit/request appends " - <documentation_url>": the link is noise in a one-line notice.
  const message = raw.replace(/ - https:\/\/docs\.github\.com\S*$/, '')
  if (status === 401) return { status, kind: 'unauthorized', message }
  if (status === 403 && /not accessible by (integration|personal access token)/i.test(message))
    return { status, kind: 'denied', message }
  return { status, kind: 'other', message }
}

/**
 * @octokit/request reports a request that got no answer (refused, reset, our timeout) as a
 * RequestError with status 500, no `response` and the fetch error as `cause`: not GitHub's 500.
 */
function networkFailure(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false
  const { response, cause } = error as { response?: unknown; cause?: unknown }
  return statusOf(error) === 500 && response === undefined && cause !== undefined
}

function statusOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object' || !('status' in error)) return undefined
  const status = (error as { status: unknown }).status
  return typeof status === 'number' ? status : undefined
}

/** `403 Resource not accessible by integration`, or the message alone when there is no status. */
export function describeFailure(failure: GitHubFailure): string {
  return failure.status !== undefined ? `${failure.status} ${failure.message}` : failure.message
}
