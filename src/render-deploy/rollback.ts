import { formatDuration } from '../lib/duration.js'
import { errorMessage, OperationError } from '../lib/errors.js'
import { poll, type Clock, type Sleep } from '../lib/poll.js'
import { createdAtMs, describeSource, rollbackTarget, supersedingDeploy } from './deploy-lookup.js'
import type { RenderApi, RenderDeploy } from './render-api.js'
import { isTransientRenderError } from './render-errors.js'
import { classifyStatus } from './statuses.js'
import { CLOCK_SKEW_MS, LOOKUP_LIMIT_MS } from './trigger.js'
import { waitForDeploy, type Timeline } from './wait.js'

export interface RollbackResult {
  /** True when the rollback deploy is live. */
  live: boolean
  targetId?: string
  deployId?: string
  /** A sentence for the failure message. */
  message: string
}

export interface RollbackOptions {
  serviceId: string
  timeoutMs: number
  intervalMs: number
  sleep: Sleep
  now: Clock
  log: (line: string) => void
  timeline: Timeline
}

/**
 * Rolls the service back to the last live deploy before `failed` and waits (a fresh timeout) until
 * the rollback deploy is live. Never throws: a rollback that cannot happen is reported in `message`.
 */
export async function rollBack(
  api: RenderApi,
  failed: RenderDeploy,
  options: RollbackOptions,
): Promise<RollbackResult> {
  const { serviceId, now, log } = options
  const deadline = now() + options.timeoutMs
  try {
    const { newer, target } = await searchTarget(api, serviceId, failed, deadline)
    // A deploy started after ours (which may be why ours was canceled) must not be undone.
    if (newer !== undefined) {
      return {
        live: false,
        message: `Not rolled back: deploy ${newer.id} (${newer.status}) was started after this one, and rolling back would undo it.`,
      }
    }
    if (target === undefined)
      return { live: false, message: 'There was no earlier live deploy to roll back to.' }
    log(`Rolling back to deploy ${target.id} (${target.status}, ${describeSource(target)})`)
    const requestedAt = now()
    const started =
      (await api.rollback(serviceId, target.id, deadline)) ??
      (await findRollbackDeploy(api, options, requestedAt, deadline, failed.id))
    options.timeline.record(started.id, started.status)
    const waited = await waitForDeploy(api, serviceId, started.id, {
      intervalMs: options.intervalMs,
      deadline,
      sleep: options.sleep,
      now,
      log,
      timeline: options.timeline,
    })
    const status = waited.deploy?.status ?? started.status
    const ids = { targetId: target.id, deployId: started.id }
    if (waited.done && classifyStatus(status) === 'live') {
      log(`Rolled back: deploy ${started.id} (of ${target.id}) is live`)
      return {
        live: true,
        ...ids,
        message: `Rolled back to deploy ${target.id}: rollback deploy ${started.id} is live.`,
      }
    }
    return {
      live: false,
      ...ids,
      message: waited.done
        ? `The rollback to deploy ${target.id} also failed: rollback deploy ${started.id} ended ${status}.`
        : `The rollback to deploy ${target.id} did not go live within ${formatDuration(options.timeoutMs)} (rollback deploy ${started.id} last ${status}).`,
    }
  } catch (error) {
    return { live: false, message: `The rollback failed: ${errorMessage(error)}` }
  }
}

const PAGE_SIZE = 100
/** Pages of deploys searched for a target at most: a service's last live deploy is rarely older. */
const MAX_PAGES = 10

/**
 * Pages through the service's deploys, newest first, with ListDeploys' cursor (as render-oss/cli's
 * ListAll in pkg/client/client.go walks a list) until a live deploy older than `failed` appears;
 * without one, the newest deactivated deploy older than it. The first page also tells whether a
 * newer deploy than `failed` exists.
 */
export async function searchTarget(
  api: RenderApi,
  serviceId: string,
  failed: RenderDeploy,
  deadline: number,
): Promise<{ newer?: RenderDeploy; target?: RenderDeploy }> {
  let cursor: string | undefined
  let fallback: RenderDeploy | undefined
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { deploys, nextCursor } = await api.listDeployPage(
      serviceId,
      { limit: PAGE_SIZE, cursor },
      deadline,
    )
    if (page === 0) {
      const newer = supersedingDeploy(deploys, failed)
      if (newer !== undefined) return { newer }
    }
    const found = rollbackTarget(deploys, failed)
    if (found?.status === 'live') return { target: found }
    fallback ??= found
    if (nextCursor === undefined) break
    cursor = nextCursor
  }
  return { target: fallback }
}

/** The rollback's deploy, when Render answered the rollback request without it. */
async function findRollbackDeploy(
  api: RenderApi,
  options: RollbackOptions,
  requestedAt: number,
  deadline: number,
  failedId: string,
): Promise<RenderDeploy> {
  const result = await poll<RenderDeploy | undefined>({
    check: () => findNewDeploy(api, options.serviceId, requestedAt, failedId, deadline),
    isDone: (found) => found !== undefined,
    interval: Math.min(options.intervalMs, 2000),
    deadline: Math.min(deadline, options.now() + LOOKUP_LIMIT_MS),
    sleep: options.sleep,
    now: options.now,
    isTransient: isTransientRenderError,
  })
  if (!result.done || result.state === undefined)
    throw new OperationError('Render accepted the rollback but its deploy did not appear in the deploy list')
  return result.state
}

/** The newest deploy created at or after `since` (less the clock skew), other than `exceptId`. */
export async function findNewDeploy(
  api: RenderApi,
  serviceId: string,
  since: number,
  exceptId: string,
  deadline: number,
): Promise<RenderDeploy | undefined> {
  const createdAfterMs = since - CLOCK_SKEW_MS
  const deploys = await api.listDeploys(
    serviceId,
    { createdAfter: new Date(createdAfterMs).toISOString() },
    deadline,
  )
  return deploys
    .filter((d) => d.id !== exceptId && createdAtMs(d) >= createdAfterMs)
    .sort((a, b) => createdAtMs(b) - createdAtMs(a))[0]
}
