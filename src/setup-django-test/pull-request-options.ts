import { ConfigurationError } from '../lib/errors.js'
import { apiUrlFrom } from '../lib/github/client.js'
import { parseCommentKey } from '../lib/github/comment-key.js'
import { gitContextFrom } from '../lib/github/context.js'
import { runUrl } from '../lib/github/run-url.js'
import type { InputReader } from '../lib/runner/inputs.js'
import type { ParseContext } from './deps.js'

/** The pull request the run's event is about. */
export interface EventPullRequest {
  owner: string
  repo: string
  number: number
  /** `pull_request.base.sha`: changed lines are measured from it. */
  baseSha?: string
  /** `pull_request.head.sha`: failure links point at it. */
  headSha?: string
}

/** What the step does for a pull request: the comment, the changed lines, the base's coverage. */
export interface PullRequestOptions {
  comment: 'auto' | 'true' | 'false'
  /** The token for the comment (github-token); undefined when empty. */
  token?: string
  /** Fail below this changed-line coverage (percent); 0: off. */
  changedLinesThreshold: number
  /** undefined when the event is about no pull request: nothing is then requested. */
  pullRequest?: EventPullRequest
  /** Whether to post the comment: the event has a pull request, `comment` allows it, a token is given. */
  postComment: boolean
  /** Names the workflow job in the comment's hidden marker: one comment per job. */
  jobKey: string
  /** comment-key: names the comment among the job's others (a matrix leg's); '' for the job's one. */
  commentKey: string
  apiUrl: string
  serverUrl: string
  /** The run's page, linked from the comment. */
  runUrl: string
  /** How the user names changed-lines-threshold, for the failure message. */
  thresholdInput: string
  /** The coverage of earlier runs the composite's cache steps keep (base-coverage.ts). */
  baseCoverage: BaseCoveragePlan
}

export interface BaseCoveragePlan {
  /** Where the composite restores and saves the figure (SETUP_DJANGO_TEST_COVERAGE_DIR). */
  dir?: string
  /** On a pull request: the cache key of its base commit's figure. */
  restoreKey?: string
  /** On any other event: the key this commit's figure is saved under, for pull requests based on it. */
  saveKey?: string
  /** The commit this run measures (GITHUB_SHA): the saved figure names it. */
  sha: string
}

const PR_EVENTS = ['pull_request', 'pull_request_target']

/**
 * Reads github-token, comment and changed-lines-threshold, and the pull request from the event
 * payload (GITHUB_EVENT_PATH, read as @actions/github's Context reads it). `comment: auto`
 * comments on pull_request and pull_request_target events; `true` also on any other event whose
 * payload carries a pull request (`pull_request`, or an `issue` that is one).
 */
export function parsePullRequestOptions(
  reader: InputReader,
  context: ParseContext,
  coverage: boolean,
): PullRequestOptions {
  const { env } = context
  const comment = reader.choice('comment', ['auto', 'true', 'false'] as const, 'auto')
  const token = reader.optional('github-token')
  const commentKey = parseCommentKey(reader.optional('comment-key'), reader.name('comment-key'))
  const changedLinesThreshold = reader.number('changed-lines-threshold', 0, { min: 0, max: 100 })
  if (changedLinesThreshold > 0 && !coverage)
    throw new ConfigurationError(
      `Input '${reader.name('changed-lines-threshold')}' is ${changedLinesThreshold}, but '${reader.name('coverage')}' is false: changed lines are measured by coverage`,
    )
  if (comment === 'true' && token === undefined)
    throw new ConfigurationError(
      `Input '${reader.name('comment')}' is true, but '${reader.name('github-token')}' is empty: pass a token (the default is the job's GITHUB_TOKEN)`,
    )
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const payload = eventPayload(context)
  const pullRequest = eventPullRequest(env, payload, comment === 'true' || PR_EVENTS.includes(eventName))
  const sha = env.GITHUB_SHA ?? ''
  const jobKey = `${env.GITHUB_WORKFLOW ?? ''}/${env.GITHUB_JOB ?? ''}`
  // A keyed leg keeps its own coverage figure too, so its comment compares with the same leg's base.
  const coverageJob = commentKey === '' ? jobKey : `${jobKey} ${commentKey}`
  return {
    comment,
    token,
    changedLinesThreshold,
    pullRequest,
    postComment: pullRequest !== undefined && comment !== 'false' && token !== undefined,
    jobKey,
    commentKey,
    apiUrl: apiUrlFrom(env),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    runUrl: runUrl(env),
    thresholdInput: reader.name('changed-lines-threshold'),
    baseCoverage: {
      dir: env.SETUP_DJANGO_TEST_COVERAGE_DIR || undefined,
      restoreKey:
        coverage && pullRequest?.baseSha ? coverageKey(coverageJob, pullRequest.baseSha) : undefined,
      saveKey:
        coverage && pullRequest === undefined && /^[0-9a-f]{40}$/.test(sha)
          ? coverageKey(coverageJob, sha)
          : undefined,
      sha,
    },
  }
}

function eventPayload(context: ParseContext): unknown {
  const path = context.env.GITHUB_EVENT_PATH
  const text = path ? context.fs.readText(path) : undefined
  if (text === undefined) return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    return {}
  }
}

function eventPullRequest(
  env: NodeJS.ProcessEnv,
  payload: unknown,
  wanted: boolean,
): EventPullRequest | undefined {
  if (!wanted) return undefined
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (owner === '' || repo === '') return undefined
  const git = gitContextFrom({ eventName: 'pull_request', repository: env.GITHUB_REPOSITORY, payload })
  const event = payload as {
    issue?: { number?: unknown; pull_request?: unknown }
    pull_request?: { base?: { sha?: unknown } }
  } | null
  const issue = event?.issue
  const baseSha = event?.pull_request?.base?.sha
  const number =
    git.pullRequest ?? (issue?.pull_request && typeof issue.number === 'number' ? issue.number : undefined)
  if (number === undefined) return undefined
  return {
    owner,
    repo,
    number,
    baseSha: typeof baseSha === 'string' ? baseSha : undefined,
    headSha: git.headSha,
  }
}

/** A cache key per workflow job and commit (cache keys may not hold commas). */
export function coverageKey(jobKey: string, sha: string): string {
  return `setup-django-test-coverage-${jobKey.replace(/[^A-Za-z0-9._/-]+/g, '_')}-${sha}`
}
