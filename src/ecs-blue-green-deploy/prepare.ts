import { OperationError } from '../lib/errors.js'
import type { DeployContext } from './context.js'
import type { EcsDeployOptions } from './options.js'
import { plannedResult } from './outcome.js'
import { planServices, type ServicePlan } from './plan.js'
import { runMigration } from './run-migration.js'
import type { RunState } from './run-state.js'
import { taskDefinitionLabel } from './task-definition.js'

/**
 * Registers every service's new revision (together) and runs the migration once, before any
 * service changes. Returns the registered revisions' ARNs, in the services' order; a failed
 * migration is an OperationError saying no service was updated.
 */
export async function prepare(
  ctx: DeployContext,
  options: EcsDeployOptions,
  state: RunState,
  deadline: number,
): Promise<string[]> {
  const { io, ecs } = ctx
  const arns = await io.group('Task definitions', async () => {
    state.plans = await planServices(ecs, options)
    state.report.services = state.plans.map(plannedResult)
    const registered = await Promise.all(state.plans.map((p) => ecs.registerTaskDefinition(p.request)))
    return registered.map((td, i) => {
      const arn = td.taskDefinitionArn as string
      io.info(`Registered ${taskDefinitionLabel(arn)} for '${state.plans[i]?.name}'`)
      Object.assign(state.report.services[i] ?? {}, { taskDefinitionArn: arn })
      return arn
    })
  })
  const first = state.plans[0] as ServicePlan
  if (options.migrateCommand === undefined) return arns
  const migration = await io.group('Migration', () =>
    runMigration(ctx, ecs, first.before, {
      cluster: options.cluster,
      taskDefinitionArn: arns[0] as string,
      containerName: first.container as string,
      command: options.migrateCommand as string[],
      pollIntervalMs: options.pollIntervalMs,
      deadline,
    }),
  )
  state.report.migrationTaskArn = migration.taskArn
  if (!migration.ok) {
    state.report.status = 'MIGRATION_FAILED'
    state.report.reason = migration.message
    throw new OperationError(
      `${migration.message}; ${state.plans.length > 1 ? 'no service was' : 'the service was not'} updated`,
    )
  }
  return arns
}
