import { errorMessage } from '../lib/errors.js'
import type { DeployContext, WatchOptions } from './context.js'
import { gateHookIds } from './deployment-state.js'
import { gateFailure, runGateChecks } from './gate-checks.js'
import type { Tracker } from './tracker.js'

/**
 * The test gate of one deployment paused at POST_TEST_TRAFFIC_SHIFT: runs the checks against the
 * test listener, then answers the hook with CONTINUE when all pass, and with ROLLBACK when one
 * fails (StopServiceDeployment if that answer is refused). Without `rollback-on-failure` a failed
 * gate leaves the deployment paused; ECS rolls it back when the hook's timeout expires.
 */
export async function runGate(deps: DeployContext, t: Tracker, options: WatchOptions): Promise<void> {
  const { io, ecs } = deps
  const hooks = gateHookIds(t.deployment ?? {})
  t.gatePending = false
  const results = await io.group(`Test gate${t.plan.name ? `: ${t.plan.name}` : ''}`, async () => {
    io.info(
      `Deployment paused at POST_TEST_TRAFFIC_SHIFT: running ${options.checks.length} check(s) against the test listener`,
    )
    return runGateChecks(deps, options.checks, options.deadline - deps.now(), (line) => io.info(line))
  })
  t.gateResults = results
  const passed = results.every((r) => r.ok)
  if (!passed) t.failure = gateFailure(results)
  if (!passed && !options.rollbackOnFailure) {
    io.info('Gate failed: the deployment stays paused at the hook (rollback-on-failure is false)')
    t.abandoned = true
    return
  }
  const action = passed ? 'CONTINUE' : 'ROLLBACK'
  io.info(`Gate ${passed ? 'passed' : 'failed'}: ContinueServiceDeployment with ${action}`)
  try {
    for (const hookId of hooks) await ecs.continueServiceDeployment(t.id, hookId, action)
  } catch (error) {
    if (passed) throw error
    io.info(
      `ContinueServiceDeployment with ROLLBACK failed (${errorMessage(error)}); stopping the deployment instead`,
    )
    await ecs.stopServiceDeployment(t.id, 'ROLLBACK')
  }
  if (!passed) t.undoRequested = true
}
