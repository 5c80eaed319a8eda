import { formatDuration } from '../lib/duration.js'
import { poll, transientNote, type Clock, type Sleep } from '../lib/poll.js'
import type { RenderApi, RenderDeploy } from './render-api.js'
import { isTransientRenderError } from './render-errors.js'
import { isTerminalStatus } from './statuses.js'

/** One observed status of a deploy, `at` milliseconds after the step started. */
export interface TimelineEntry {
  at: number
  deployId: string
  status: string
}

/** Records status changes once each, printing them as they happen. */
export class Timeline {
  readonly entries: TimelineEntry[] = []
  constructor(
    private readonly startedAt: number,
    private readonly now: Clock,
    private readonly log: (line: string) => void,
  ) {}

  /** Adds the status unless it is the deploy's last recorded one; true when it was new. */
  record(deployId: string, status: string): boolean {
    const last = [...this.entries].reverse().find((e) => e.deployId === deployId)
    if (last?.status === status) return false
    const at = this.now() - this.startedAt
    this.entries.push({ at, deployId, status })
    this.log(`Deploy ${deployId}: ${status} (${formatDuration(at)})`)
    return true
  }
}

export interface WaitOptions {
  intervalMs: number
  deadline: number
  sleep: Sleep
  now: Clock
  log: (line: string) => void
  timeline: Timeline
}

export type WaitResult =
  | { done: true; deploy: RenderDeploy }
  | { done: false; deploy: RenderDeploy | undefined; lastError?: unknown }

/**
 * Polls a deploy every `intervalMs` until it reaches a terminal status or the deadline passes,
 * printing each status change. Rate limits and 5xx are retried inside the client; when those
 * retries run out, polling carries on until the deadline rather than failing the step.
 */
export async function waitForDeploy(
  api: RenderApi,
  serviceId: string,
  deployId: string,
  options: WaitOptions,
): Promise<WaitResult> {
  const result = await poll<RenderDeploy>({
    check: () => api.getDeploy(serviceId, deployId, options.deadline),
    isDone: (deploy) => isTerminalStatus(deploy.status),
    interval: options.intervalMs,
    deadline: options.deadline,
    sleep: options.sleep,
    now: options.now,
    describe: (deploy) => deploy.status,
    onChange: (deploy) => void options.timeline.record(deployId, deploy.status),
    isTransient: isTransientRenderError,
    onTransientError: (error, attempt) => options.log(transientNote(error, attempt)),
  })
  return result.done
    ? { done: true, deploy: result.state }
    : { done: false, deploy: result.state, lastError: result.lastError }
}
