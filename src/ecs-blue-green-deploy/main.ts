import { readFileSync } from 'node:fs'
import { resolveRegion } from '../lib/aws/client.js'
import { formatDuration } from '../lib/duration.js'
import { errorMessage, OperationError } from '../lib/errors.js'
import { runGuarded } from '../lib/runner/failure.js'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import { removeGateHooks } from './cleanup.js'
import { createEcsApi, type EcsApi } from './ecs-api.js'
import { parseInputs, type Inputs, type ReadFile } from './inputs.js'
import { locate, locationNote, plannedResult, trackedResult } from './outcome.js'
import { planServices, type ServicePlan } from './plan.js'
import {
  allRolledBack,
  deploymentsOutput,
  failureMessage,
  overallStatus,
  runSummary,
  type RunReport,
} from './report.js'
import { rollBack } from './rollback.js'
import { runMigration } from './run-migration.js'
import { startDeployments } from './start.js'
import { taskDefinitionLabel } from './task-definition.js'
import { isFailing, isSucceeded, type Tracker } from './tracker.js'
import { watchDeployments, type WatchDeps, type WatchOptions } from './watch.js'

export interface Deps extends RunnerPorts {
  readFile: ReadFile
  env: NodeJS.ProcessEnv
  ecs: (region: string) => Promise<EcsApi>
}

export function defaultDeps(): Deps {
  return {
    ...realPorts(),
    readFile: (path) => readFileSync(path, 'utf8'),
    env: process.env,
    ecs: createEcsApi,
  }
}

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  await runGuarded(deps.io, async () => {
    const inputs = await parseInputs(deps.getInput, deps.readFile)
    await deployService(deps, inputs)
  })
}

type RunDeps = Omit<Deps, 'getInput'>

/** One run's state: the report the outputs and summary are made from, and the trackers once started. */
interface RunState {
  report: RunReport
  plans: ServicePlan[]
  trackers: Tracker[]
}

/** Registers every service's new revision (together) and runs the migration once, before any service changes. */
async function prepare(
  deps: RunDeps,
  ecs: EcsApi,
  inputs: Inputs,
  state: RunState,
  deadline: number,
): Promise<string[]> {
  const { io } = deps
  const arns = await io.group('Task definitions', async () => {
    state.plans = await planServices(ecs, inputs)
    state.report.services = state.plans.map(plannedResult)
    const registered = await Promise.all(state.plans.map((p) => ecs.registerTaskDefinition(p.request)))
    return registered.map((td, i) => {
      const arn = td.taskDefinitionArn as string
      io.info(`Registered ${taskDefinitionLabel(arn)} for '${state.plans[i]?.name}'`)
      Object.assign(state.report.services[i] ?? {}, { taskDefinitionArn: arn })
      return arn
    })
  })
  io.setOutput('task-definition-arn', arns[0] ?? '')
  const first = state.plans[0] as ServicePlan
  if (inputs.migrateCommand === undefined) return arns
  const migration = await io.group('Migration', () =>
    runMigration(deps, ecs, first.before, {
      cluster: inputs.cluster,
      taskDefinitionArn: arns[0] as string,
      containerName: first.container as string,
      command: inputs.migrateCommand as string[],
      pollIntervalMs: inputs.pollIntervalMs,
      deadline,
    }),
  )
  state.report.migrationTaskArn = migration.taskArn
  io.setOutput('migration-task-arn', migration.taskArn)
  if (!migration.ok) {
    state.report.status = 'MIGRATION_FAILED'
    state.report.reason = migration.message
    throw new OperationError(
      `${migration.message}; ${state.plans.length > 1 ? 'no service was' : 'the service was not'} updated`,
    )
  }
  return arns
}

/**
 * Starts every deployment and watches them together (gate, rollback), then takes the gate's hooks
 * off again. A service whose UpdateService failed is reported as not started, and the others are
 * put back on their previous revisions.
 */
async function deployAndWatch(
  deps: RunDeps,
  ecs: EcsApi,
  inputs: Inputs,
  state: RunState,
  arns: string[],
  deadline: number,
): Promise<void> {
  const watchDeps: WatchDeps = { ...deps, ecs }
  const options: WatchOptions = {
    cluster: inputs.cluster,
    deadline,
    timeoutMs: inputs.timeoutMs,
    pollIntervalMs: inputs.pollIntervalMs,
    checks: inputs.testChecks,
    rollbackOnFailure: inputs.rollbackOnFailure,
  }
  const started = await deps.io.group('Deploy', () =>
    startDeployments({ ...deps, ecs }, inputs, state.plans, arns),
  )
  state.trackers = started.trackers
  deps.io.setOutput('deployment-arn', started.trackers[0]?.deploymentArn ?? '')
  for (const { plan, error, updated } of started.failures) {
    const result = state.report.services.find((r) => r.service === plan.name)
    if (result === undefined) continue
    if (updated) Object.assign(result, { changed: true, status: 'IN_PROGRESS', reason: errorMessage(error) })
    else result.reason = `it was not updated: ${errorMessage(error)}`
  }
  const unwatched = started.failures.find((f) => f.updated)
  try {
    if (started.failures.length > 0) {
      if (inputs.rollbackOnFailure) await undoAll(watchDeps, options, state.trackers)
      // A deployment that runs but cannot be watched: the error says where each service is.
      if (unwatched !== undefined) throw unwatched.error
    } else if (inputs.wait) {
      await watchDeployments(watchDeps, options, state.trackers)
    }
  } finally {
    if (inputs.wait) await removeGateHooks(watchDeps, ecs, inputs.cluster, state.trackers)
  }
}

async function undoAll(deps: WatchDeps, options: WatchOptions, trackers: Tracker[]): Promise<void> {
  const undoing = await rollBack(deps, options, trackers)
  if (undoing.length === 0) return
  deps.io.info('Waiting for the rollback to finish')
  await watchDeployments(
    deps,
    { ...options, deadline: deps.now() + options.timeoutMs, rollbackOnFailure: false },
    undoing,
  )
}

/** Turns the trackers into the report's results; returns whether every deployment succeeded. */
function conclude(state: RunState): boolean {
  const failed = [
    ...state.report.services
      .filter((r) => !state.trackers.some((t) => t.plan.name === r.service))
      .map((r) => r.service),
    ...state.trackers.filter((t) => isFailing(t) && !t.reverting).map((t) => t.plan.name),
  ]
  const cause = failed.length > 0 ? failed.join(', ') : undefined
  state.report.services = state.report.services.map((result) => {
    const t = state.trackers.find((x) => x.plan.name === result.service)
    return t === undefined ? result : trackedResult(result, t, cause)
  })
  return state.trackers.length === state.plans.length && state.trackers.every(isSucceeded)
}

function successLine(state: RunState, elapsedMs: number): string {
  const names = state.plans.map((p) => p.name)
  const revisions = state.trackers.map((t) => taskDefinitionLabel(t.taskDefinitionArn))
  const runs =
    names.length === 1
      ? `${names[0]} runs ${revisions[0]}`
      : `${names.join(', ')} run ${revisions.join(', ')}`
  return `Deployment SUCCESSFUL: ${runs} (watched ${formatDuration(elapsedMs)})`
}

/**
 * Everything after the inputs are valid: register each service's revision, migrate once, deploy
 * every service together, watch them (gating on the test checks) and roll back, setting the
 * outputs and the job summary whatever happens. Used by this action and by deploy. Throws an
 * OperationError saying why, and where each service is, when not every service ends on its new
 * revision.
 */
export async function deployService(deps: RunDeps, inputs: Inputs): Promise<void> {
  const { io } = deps
  const region = resolveRegion(inputs.region, deps.env)
  const ecs = await deps.ecs(region)
  const state: RunState = {
    report: { cluster: inputs.cluster, services: [], endedAt: 0 },
    plans: [],
    trackers: [],
  }
  const deadline = deps.now() + inputs.timeoutMs
  let outcome: OperationError | undefined
  try {
    const arns = await prepare(deps, ecs, inputs, state, deadline)
    await deployAndWatch(deps, ecs, inputs, state, arns, deadline)
    const succeeded = conclude(state)
    if (!inputs.wait && state.trackers.length === state.plans.length) {
      state.report.status = 'IN_PROGRESS'
      return
    }
    if (succeeded) {
      io.info(successLine(state, deps.now() - (state.trackers[0]?.timeline[0]?.at ?? deps.now())))
      return
    }
    await locate(io, ecs, inputs.cluster, state.report.services, state.trackers)
    outcome = new OperationError(failureMessage(state.report))
    throw outcome
  } catch (error) {
    const changed = state.trackers.length > 0 || state.report.services.some((r) => r.changed)
    if (error === outcome || !changed) throw error
    // A failure after UpdateService that the watch could not turn into an outcome (a rollback
    // call refused, a permission missing): the error says where each service is now.
    conclude(state)
    await locate(io, ecs, inputs.cluster, state.report.services, state.trackers)
    throw new OperationError(`${errorMessage(error)}. ${locationNote(state.report.services)}`)
  } finally {
    state.report.endedAt = deps.now()
    io.setOutput('status', overallStatus(state.report))
    io.setOutput('rolled-back', String(allRolledBack(state.report)))
    io.setOutput('deployments', deploymentsOutput(state.report))
    await io.appendSummary(runSummary(state.report))
  }
}
