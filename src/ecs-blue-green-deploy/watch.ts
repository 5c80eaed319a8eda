import type { Service, ServiceDeployment } from '@aws-sdk/client-ecs'
import { isTransientAwsError, UnsupportedOperationError } from '../lib/aws/client.js'
import { formatDuration } from '../lib/duration.js'
import { poll, transientNote } from '../lib/poll.js'
import type { DeployContext, WatchOptions } from './context.js'
import { runGate } from './gate.js'
import { nextDelay } from './polling.js'
import { rollBack } from './rollback.js'
import { rolloutDeployment } from './rollout-state.js'
import { gateReady, isDone, isFailing, observe, pollView, type Tracker } from './tracker.js'

/**
 * One look at every deployment still watched: DescribeServiceDeployments for those with a
 * ServiceDeployment ARN (20 to a call), DescribeServices for rolling ones watched through
 * `deployments[]` (10 to a call). A rolling deployment falls back to `deployments[]` when the
 * endpoint turns out not to have the ServiceDeployment API.
 */
async function refresh(deps: DeployContext, options: WatchOptions, trackers: Tracker[]): Promise<void> {
  const now = deps.now()
  const several = trackers.length > 1
  const watched = trackers.filter((t) => !isDone(t))
  const byArn = watched.filter((t) => t.mode === 'service-deployment')
  let found: ServiceDeployment[] = []
  if (byArn.length > 0) {
    try {
      found = await deps.ecs.describeServiceDeployments(byArn.map((t) => t.id))
    } catch (error) {
      const rolling = byArn.every((t) => t.plan.strategy === 'rolling' && t.rolloutId !== undefined)
      if (!(error instanceof UnsupportedOperationError) || !rolling) throw error
      deps.io.info(
        `The ServiceDeployment API is not available here (${error.message}); watching DescribeServices instead`,
      )
      for (const t of byArn) Object.assign(t, { mode: 'rollout', id: t.rolloutId })
    }
  }
  for (const t of watched.filter((w) => w.mode === 'service-deployment')) {
    observe(
      deps.io,
      t,
      found.find((d) => d.serviceDeploymentArn === t.id),
      now,
      several,
    )
  }
  const byRollout = watched.filter((t) => t.mode === 'rollout')
  if (byRollout.length === 0) return
  const services = await deps.ecs.describeServices(
    options.cluster,
    byRollout.map((t) => t.plan.name),
  )
  byRollout.forEach((t, i) => {
    const service = services[i] as Service
    const previous = t.reverting ? t.taskDefinitionArn : t.plan.previousTaskDefinitionArn
    observe(
      deps.io,
      t,
      rolloutDeployment(service, { id: t.id, previousTaskDefinitionArn: previous }),
      now,
      several,
    )
  })
}

/** Polls until every tracker is done, a gate is ready, or (with `stopAtFailure`) one fails. */
async function watchUntil(
  deps: DeployContext,
  options: WatchOptions,
  trackers: Tracker[],
  deadline: number,
  stopAtFailure: boolean,
): Promise<boolean> {
  const result = await poll<Tracker[]>({
    check: async () => {
      await refresh(deps, options, trackers)
      return trackers
    },
    isDone: (all) => all.every(isDone) || all.some(gateReady) || (stopAtFailure && all.some(isFailing)),
    interval: () => nextDelay(trackers.map(pollView), deps.now(), options.pollIntervalMs),
    deadline,
    sleep: deps.sleep,
    now: deps.now,
    random: deps.random,
    isTransient: isTransientAwsError,
    onTransientError: (error, attempt) => deps.io.info(transientNote(error, attempt)),
  })
  return result.done
}

/** Why a deployment still running at the deadline did not succeed. */
function timeoutReason(t: Tracker, timeoutMs: number): string {
  const base = `it did not finish within ${formatDuration(timeoutMs)}`
  if (t.pause === undefined) return base
  return `${base}: it waited at ${t.pause.stage} on a PAUSE hook this action did not add (hook ${t.pause.hookId}), and nobody continued it`
}

/**
 * Watches the deployments to their end, together: runs the test gate when a gated deployment
 * pauses at POST_TEST_TRAFFIC_SHIFT, and when one fails, is found wanting or does not finish in
 * time, puts every service back on its previous revision (with `rollback-on-failure`) and waits
 * for that. Without `rollback-on-failure` the others run on to their own end.
 */
export async function watchDeployments(
  deps: DeployContext,
  options: WatchOptions,
  trackers: Tracker[],
): Promise<void> {
  for (;;) {
    const done = await watchUntil(deps, options, trackers, options.deadline, options.rollbackOnFailure)
    const ready = trackers.find(gateReady)
    if (ready !== undefined) {
      await runGate(deps, ready, options)
      continue
    }
    if (!done) {
      for (const t of trackers.filter((x) => !isDone(x))) t.failure ??= timeoutReason(t, options.timeoutMs)
    }
    break
  }
  if (!trackers.some(isFailing)) return
  if (!options.rollbackOnFailure) {
    for (const t of trackers.filter((x) => !isDone(x))) t.abandoned = true
    return
  }
  const undoing = await rollBack(deps, options, trackers)
  if (undoing.length === 0) return
  deps.io.info('Waiting for the rollback to finish')
  const finished = await watchUntil(deps, options, undoing, deps.now() + options.timeoutMs, false)
  if (!finished) for (const t of undoing.filter((x) => !isDone(x))) t.abandoned = true
}
