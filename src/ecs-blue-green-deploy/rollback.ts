import type { Service } from '@aws-sdk/client-ecs'
import { errorMessage } from '../lib/errors.js'
import type { DeployContext, WatchOptions } from './context.js'
import { ROLLING_BACK } from './deployment-state.js'
import type { EcsApi } from './ecs-api.js'
import { withoutHook } from './gate-hook.js'
import { primaryRolloutId } from './rollout-state.js'
import { revertRequest } from './service-update.js'
import { taskDefinitionLabel } from './task-definition.js'
import { isDone, isFailing, type Tracker } from './tracker.js'

/** The user's own hooks of a plan: this run's gate hook taken out again. */
export function userHooks(t: Tracker) {
  const { hooks, ours } = t.plan.hooks
  return ours === undefined ? hooks : withoutHook(hooks, ours)
}

/**
 * Starts the deployment that puts a service back on the revision it ran before this run, with the
 * configuration it had, and watches that from now on.
 */
export async function revert(ecs: EcsApi, cluster: string, t: Tracker): Promise<void> {
  const updated: Service = await ecs.updateService(revertRequest(cluster, t.plan.before, userHooks(t)))
  const arn = updated.currentServiceDeployment
  const rolloutId = primaryRolloutId(updated)
  if (arn === undefined && rolloutId === undefined) {
    throw new Error('UpdateService named no deployment to watch')
  }
  Object.assign(t, {
    reverting: true,
    undoRequested: true,
    mode: arn !== undefined ? 'service-deployment' : 'rollout',
    id: arn ?? rolloutId,
    rolloutId,
    deployment: undefined,
    line: undefined,
  })
}

/** What undoing one tracker takes: nothing, a StopServiceDeployment, or a revert deployment. */
function undoFor(t: Tracker): 'none' | 'watch' | 'stop' | 'revert' {
  const d = t.deployment
  if (t.undoRequested || ROLLING_BACK.has(d?.status ?? '')) return isDone(t) ? 'none' : 'watch'
  if (d?.status === 'SUCCESSFUL') return 'revert'
  if (d?.status === 'STOPPED') return /supersed/i.test(d.statusReason ?? '') ? 'none' : 'revert'
  if (isDone(t)) return 'none'
  return t.mode === 'service-deployment' ? 'stop' : 'revert'
}

/**
 * Puts every service back on its previous revision after one failed: StopServiceDeployment with
 * ROLLBACK for a deployment still running, a new deployment of the previous revision for one that
 * had finished (or that is watched without the ServiceDeployment API). Deployments ECS is
 * already rolling back are left to it. Returns the trackers whose undoing is to be watched.
 */
export async function rollBack(
  deps: DeployContext,
  options: WatchOptions,
  trackers: Tracker[],
): Promise<Tracker[]> {
  const failed = trackers.filter(isFailing).map((t) => t.plan.name)
  const cause = trackers.length > 1 ? ` (${failed.join(', ')} failed)` : ''
  const undoing: Tracker[] = []
  await Promise.all(
    trackers.map(async (t) => {
      const undo = undoFor(t)
      if (undo === 'none') return
      if (undo === 'watch') {
        undoing.push(t)
        return
      }
      const back = taskDefinitionLabel(t.plan.previousTaskDefinitionArn)
      try {
        if (undo === 'stop') {
          deps.io.info(`Rolling back ${t.plan.name}${cause}: StopServiceDeployment with ROLLBACK`)
          try {
            await deps.ecs.stopServiceDeployment(t.id, 'ROLLBACK')
            t.undoRequested = true
          } catch (error) {
            // It may have finished in the meantime: then a revert deployment undoes it.
            deps.io.info(
              `StopServiceDeployment failed (${errorMessage(error)}); putting it back on ${back} instead`,
            )
            await revert(deps.ecs, options.cluster, t)
          }
        } else {
          deps.io.info(
            `Putting ${t.plan.name} back on ${back}${cause}: UpdateService with its previous revision`,
          )
          await revert(deps.ecs, options.cluster, t)
        }
        undoing.push(t)
      } catch (error) {
        t.rollbackError = errorMessage(error)
        deps.io.warning(`Could not roll back ${t.plan.name}: ${t.rollbackError}`)
      }
    }),
  )
  return undoing
}
