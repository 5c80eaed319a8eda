import type { context as githubContext } from '@actions/github'

/** What the tags and labels are derived from: the run's event, ref, commit and repository. */
export interface GitContext {
  eventName: string
  /** e.g. refs/heads/main, refs/tags/v1.2.3, refs/pull/7/merge */
  ref: string
  sha: string
  /** owner/name */
  repository: string
  serverUrl: string
  /** From the event payload's `repository.default_branch`, when it carries one. */
  defaultBranch?: string
  /** The pull request number for pull_request(_target) events. */
  pullRequest?: number
  /** The pull request's head commit: the commit a reviewer sees, not the merge commit. */
  headSha?: string
}

interface EventPayload {
  repository?: { default_branch?: unknown }
  pull_request?: { number?: unknown; head?: { sha?: unknown } }
  number?: unknown
}

/** What @actions/github's Context holds that the tags and labels come from, plus GITHUB_REPOSITORY. */
export interface RunContext {
  eventName?: string
  ref?: string
  sha?: string
  serverUrl?: string
  /** owner/name */
  repository?: string
  payload: unknown
}

/** The git context from the run's context (pure). */
export function gitContextFrom(run: RunContext): GitContext {
  const event = (run.payload !== null && typeof run.payload === 'object' ? run.payload : {}) as EventPayload
  const defaultBranch = event.repository?.default_branch
  const prNumber = event.pull_request?.number ?? event.number
  const headSha = event.pull_request?.head?.sha
  const eventName = run.eventName ?? ''
  const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target'
  return {
    eventName,
    ref: run.ref ?? '',
    sha: run.sha ?? '',
    repository: run.repository ?? '',
    serverUrl: (run.serverUrl || 'https://github.com').replace(/\/+$/, ''),
    defaultBranch: typeof defaultBranch === 'string' && defaultBranch !== '' ? defaultBranch : undefined,
    pullRequest:
      isPullRequest && typeof prNumber === 'number' && Number.isInteger(prNumber) ? prNumber : undefined,
    headSha: isPullRequest && typeof headSha === 'string' ? headSha : undefined,
  }
}

/**
 * The run's context as @actions/github reads it: the GITHUB_* variables and the event payload
 * file the runner names in GITHUB_EVENT_PATH. @actions/github is also the home of Octokit, so it
 * is loaded only when a build runs. Its Context reads process.env in its constructor; the
 * action's `env` port (which tests replace) stands in for process.env during that synchronous
 * call, so no other code can observe the swap.
 */
export async function readGitContext(env: NodeJS.ProcessEnv): Promise<GitContext> {
  const { context } = await import('@actions/github')
  const Context = context.constructor as new () => typeof githubContext
  const saved = process.env
  let fresh: typeof githubContext
  process.env = env
  try {
    fresh = new Context()
  } finally {
    process.env = saved
  }
  return gitContextFrom({
    eventName: fresh.eventName,
    ref: fresh.ref,
    sha: fresh.sha,
    serverUrl: fresh.serverUrl,
    repository: env.GITHUB_REPOSITORY,
    payload: fresh.payload,
  })
}
