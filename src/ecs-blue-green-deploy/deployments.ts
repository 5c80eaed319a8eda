import { errorMessage } from '../lib/errors.js'
import { removeGateHooks } from './cleanup.js'
import type { DeployContext, WatchOptions } from './context.js'
import type { EcsDeployOptions } from './options.js'
import { rollBack } from './rollback.js'
import type { RunState } from './run-state.js'
import { startDeployments } from './start.js'
import type { Tracker } from './tracker.js'
import { watchDeployments } from './watch.js'

function watchOptions(options: EcsDeployOptions, deadline: number): WatchOptions {
  return {
    cluster: options.cluster,
    deadline,
    timeoutMs: options.timeoutMs,
    pollIntervalMs: options.pollIntervalMs,
    checks: options.testChecks,
    rollbackOnFailure: options.rollbackOnFailure,
  }
}

/** Puts the started services back after another one could not be started, and waits for that. */
async function undoAll(ctx: DeployContext, options: WatchOptions, trackers: Tracker[]): Promise<void> {
  const undoing = await rollBack(ctx, options, trackers)
  if (undoing.length === 0) return
  ctx.io.info('Waiting for the rollback to finish')
  await watchDeployments(
    ctx,
    { ...options, deadline: ctx.now() + options.timeoutMs, rollbackOnFailure: false },
    undoing,
  )
}

/**
 * Starts every deployment and watches them together (gate, rollback), then takes the gate's hooks
 * off again. A service whose UpdateService failed is reported as not started, and the others are
 * put back on their previous revisions.
 */
export async function deployAndWatch(
  ctx: DeployContext,
  options: EcsDeployOptions,
  state: RunState,
  arns: string[],
  deadline: number,
): Promise<void> {
  const watch = watchOptions(options, deadline)
  const started = await ctx.io.group('Deploy', () => startDeployments(ctx, options, state.plans, arns))
  state.trackers = started.trackers
  state.deploymentArn = started.trackers[0]?.deploymentArn ?? ''
  for (const { plan, error, updated } of started.failures) {
    const result = state.report.services.find((r) => r.service === plan.name)
    if (result === undefined) continue
    if (updated) Object.assign(result, { changed: true, status: 'IN_PROGRESS', reason: errorMessage(error) })
    else result.reason = `it was not updated: ${errorMessage(error)}`
  }
  const unwatched = started.failures.find((f) => f.updated)
  try {
    if (started.failures.length > 0) {
      if (options.rollbackOnFailure) await undoAll(ctx, watch, state.trackers)
      // A deployment that runs but cannot be watched: the error says where each service is.
      if (unwatched !== undefined) throw unwatched.error
    } else if (options.wait) {
      await watchDeployments(ctx, watch, state.trackers)
    }
  } finally {
    if (options.wait) await removeGateHooks(ctx, ctx.ecs, options.cluster, state.trackers)
  }
}
