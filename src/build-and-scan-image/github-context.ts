import { readFileSync } from 'node:fs'

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

/** The GitHub context from the runner's GITHUB_* variables and the event payload (pure). */
export function gitContextFrom(env: NodeJS.ProcessEnv, payload: unknown): GitContext {
  const event = (payload !== null && typeof payload === 'object' ? payload : {}) as EventPayload
  const defaultBranch = event.repository?.default_branch
  const prNumber = event.pull_request?.number ?? event.number
  const headSha = event.pull_request?.head?.sha
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target'
  return {
    eventName,
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    defaultBranch: typeof defaultBranch === 'string' && defaultBranch !== '' ? defaultBranch : undefined,
    pullRequest:
      isPullRequest && typeof prNumber === 'number' && Number.isInteger(prNumber) ? prNumber : undefined,
    headSha: isPullRequest && typeof headSha === 'string' ? headSha : undefined,
  }
}

/** Reads the event payload file the runner names in GITHUB_EVENT_PATH; {} when there is none. */
export function readEventPayload(env: NodeJS.ProcessEnv): unknown {
  const file = env.GITHUB_EVENT_PATH
  if (!file) return {}
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown
  } catch {
    return {}
  }
}
