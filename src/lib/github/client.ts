import type { getOctokit } from '@actions/github'
import type { ActionIO } from '../runner/io.js'
import { maskSecret } from '../runner/secrets.js'

/** The Octokit @actions/github's getOctokit returns, with the REST methods and paginate. */
export type Octokit = ReturnType<typeof getOctokit>

export interface GitHubClientSettings {
  token: string
  /** The REST API's base URL: GITHUB_API_URL (https://HOST/api/v3 on GitHub Enterprise Server). */
  apiUrl: string
  /** How often a 5xx or a network failure is retried (@octokit/plugin-retry); default 3. */
  retries?: number
  /** How often a primary or secondary rate limit is waited out (@octokit/plugin-throttling); default 2. */
  rateLimitRetries?: number
  /** Milliseconds per second of Retry-After and of plugin-retry's backoff; 1000 but in tests. */
  retryAfterBaseMs?: number
  /** Each attempt's limit for GitHub's whole answer, in milliseconds; default 30 s (see `timedFetch`). */
  requestTimeoutMs?: number
}

/** How long one attempt may wait for GitHub's answer: GitHub's REST API answers within 10 s or fails. */
export const GITHUB_REQUEST_TIMEOUT_MS = 30_000

type Fetch = typeof globalThis.fetch

/**
 * `fetch` with a limit per call. Octokit sets no timeout of its own and the fetch @actions/github
 * gives it (undici's, through the runner's proxy settings) waits 300 s for headers and 300 s per
 * body chunk, so a GitHub that accepts the connection and never answers held a step 5 minutes per
 * attempt, 20 with plugin-retry's three retries (test/integration/fakes-github.test.ts shows the
 * bound). Called once per attempt below the retry plugin, so each retry gets the full limit. The
 * timeout is thrown as fetch throws network failures (a TypeError with a `cause`), so
 * @octokit/request makes it a RequestError carrying our message and plugin-retry retries it.
 */
export function timedFetch(fetch: Fetch, timeoutMs: number): Fetch {
  return async (url, init) => {
    const timer = AbortSignal.timeout(timeoutMs)
    const signal = init?.signal ? AbortSignal.any([init.signal, timer]) : timer
    try {
      return await fetch(url, { ...init, signal })
    } catch (error) {
      if (!timer.aborted) throw error
      const host = new URL(String(url instanceof Request ? url.url : url)).host
      const cause = new Error(`no answer from ${host} within ${timeoutMs / 1000}s`)
      throw Object.assign(new TypeError('fetch failed'), { cause })
    }
  }
}

const GITHUB_COM_API = 'https://api.github.com'

/**
 * The REST API's base URL from GITHUB_API_URL, as the runner sets it (github.com or a GitHub
 * Enterprise Server's https://HOST/api/v3). Read from the action's env port rather than by
 * @actions/github (its getApiBaseUrl reads process.env).
 */
export function apiUrlFrom(env: NodeJS.ProcessEnv): string {
  return (env.GITHUB_API_URL?.trim() || GITHUB_COM_API).replace(/\/+$/, '')
}

/**
 * An Octokit over @actions/github's getOctokit (its proxy-aware fetch, user agent and REST
 * methods) with @octokit/plugin-retry (5xx and network failures, with backoff) and
 * @octokit/plugin-throttling (waits out GitHub's primary and secondary rate limits, honouring
 * Retry-After), as GitHub's REST docs ask integrations to do. The libraries are imported here,
 * only once an action needs GitHub, so a bad input fails before they load. The token is masked
 * before anything could print it.
 */
export async function githubClient(
  io: Pick<ActionIO, 'setSecret' | 'info' | 'debug' | 'warning'>,
  settings: GitHubClientSettings,
): Promise<Octokit> {
  maskSecret(io, settings.token)
  const [{ getOctokit }, { retry }, { throttling }] = await Promise.all([
    import('@actions/github'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
  ])
  // After '@actions/github', whose module it is part of (loading both at once trips Jest's ESM loader).
  const { defaults } = await import('@actions/github/lib/utils')
  // Octokit's defaults are merged shallowly: `request` is given whole, the proxy-aware fetch of
  // @actions/github's defaults wrapped rather than replaced.
  const proxyFetch = (defaults.request?.fetch as Fetch | undefined) ?? globalThis.fetch
  const base = settings.retryAfterBaseMs ?? 1000
  const limit = settings.rateLimitRetries ?? 2
  const waited =
    (kind: string) =>
    (after: number, options: { method: string; url: string }, _o: unknown, count: number) => {
      if (count >= limit) {
        io.warning(
          `GitHub's ${kind} on ${options.method} ${options.url}: gave up after ${count + 1} attempts`,
        )
        return false
      }
      io.info(`GitHub's ${kind} on ${options.method} ${options.url}: retrying in ${after}s`)
      return true
    }
  return getOctokit(
    settings.token,
    {
      baseUrl: settings.apiUrl,
      log: {
        debug: (message: string) => io.debug(message),
        info: (message: string) => io.debug(message),
        warn: (message: string) => io.debug(message),
        error: (message: string) => io.debug(message),
      },
      request: {
        ...defaults.request,
        fetch: timedFetch(proxyFetch, settings.requestTimeoutMs ?? GITHUB_REQUEST_TIMEOUT_MS),
      },
      retry: { retries: settings.retries ?? 3, retryAfterBaseValue: base },
      throttle: {
        retryAfterBaseValue: base,
        onRateLimit: waited('rate limit'),
        onSecondaryRateLimit: waited('secondary rate limit'),
      },
    },
    retry,
    throttling,
  )
}
