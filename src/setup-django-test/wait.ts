import { formatDuration } from '../lib/duration.js'
import { OperationError } from '../lib/errors.js'
import { poll, type Clock, type Sleep } from '../lib/poll.js'
import type { Probe, ProbeResult } from './probe.js'
import { describeTarget, type ServiceTarget } from './services.js'

export interface WaitDeps {
  probe: Probe
  sleep: Sleep
  now: Clock
  log: (line: string) => void
}

export interface ServiceWait {
  target: ServiceTarget
  waitedMs: number
  attempts: number
}

/** One attempt never takes longer than this, so a silent port is retried, not hung on. */
const ATTEMPT_TIMEOUT_MS = 3000

/**
 * Waits until every service accepts connections and answers at the protocol level, one after
 * the other under one shared deadline. Progress is logged when what a service says changes.
 */
export async function waitForServices(
  targets: readonly ServiceTarget[],
  timeoutMs: number,
  deps: WaitDeps,
): Promise<ServiceWait[]> {
  const started = deps.now()
  const deadline = started + timeoutMs
  const waits: ServiceWait[] = []
  for (const target of targets) {
    const where = describeTarget(target)
    const from = deps.now()
    deps.log(
      `Waiting for ${where} (${target.source}) to accept connections, up to ${formatDuration(timeoutMs)}`,
    )
    const result = await poll<ProbeResult>({
      check: () => deps.probe(target, Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, deadline - deps.now()))),
      isDone: (state) => state.ready,
      interval: { initialMs: 250, maxMs: 2000, factor: 1.5 },
      deadline,
      sleep: deps.sleep,
      now: deps.now,
      random: () => 0.5,
      describe: (state) => state.detail,
      onChange: (state) => deps.log(`  ${where}: ${state.detail}`),
    })
    if (!result.done) {
      throw new OperationError(
        `${where} did not accept connections within ${formatDuration(timeoutMs)} (last: ${result.state?.detail ?? 'no attempt finished'}). ` +
          `Check that the service container is started and its port is published, or raise 'services-timeout'.`,
      )
    }
    const waitedMs = deps.now() - from
    deps.log(`${where} is ready after ${formatDuration(waitedMs)}`)
    waits.push({ target, waitedMs, attempts: result.attempts })
  }
  return waits
}
