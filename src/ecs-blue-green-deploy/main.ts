import { readFileSync } from 'node:fs'
import type { Service } from '@aws-sdk/client-ecs'
import { resolveRegion } from '../lib/aws.js'
import { formatDuration } from '../lib/duration.js'
import { OperationError } from '../lib/errors.js'
import { runGuarded } from '../lib/failure.js'
import { realPorts, type RunnerPorts } from '../lib/ports.js'
import { createEcsApi, type EcsApi } from './ecs-api.js'
import { parseInputs, type Inputs, type ReadFile } from './inputs.js'
import { runMigration } from './run-migration.js'
import { eventLines, relevantStoppedTasks, runSummary, stoppedTaskLines, type RunReport } from './report.js'
import { checkDeploymentController, updateServiceRequest } from './service-update.js'
import {
  checkTaskDefinition,
  containerImage,
  renderTaskDefinition,
  selectContainer,
  taskDefinitionLabel,
  type SourceTaskDefinition,
} from './task-definition.js'
import { watchDeployment } from './watch.js'

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

async function sourceTaskDefinition(
  ecs: EcsApi,
  inputs: Inputs,
  service: Service,
): Promise<SourceTaskDefinition> {
  if (inputs.taskDefinition !== undefined) return inputs.taskDefinition
  if (service.taskDefinition === undefined) {
    throw new OperationError(
      `Service '${inputs.service}' has no task definition; pass one with 'task-definition'`,
    )
  }
  const { taskDefinition, tags } = await ecs.describeTaskDefinition(service.taskDefinition)
  const definition = taskDefinition as Record<string, unknown>
  checkTaskDefinition(
    definition,
    `The service's task definition ${taskDefinitionLabel(service.taskDefinition)}`,
  )
  return { definition, tags }
}

/** Prints what a reader needs to see why a deployment failed: the service's events and stopped tasks. */
async function diagnose(
  deps: Omit<Deps, 'getInput'>,
  ecs: EcsApi,
  inputs: Inputs,
  taskDefinitionArn: string,
): Promise<Service | undefined> {
  return deps.io.group('Service events and stopped tasks', async () => {
    const service = await ecs.describeService(inputs.cluster, inputs.service).catch(() => undefined)
    const events = eventLines(service?.events, 10)
    deps.io.info(events.length > 0 ? 'Last service events:' : 'No service events.')
    for (const line of events) deps.io.info(`  ${line}`)
    const stopped = await ecs.stoppedTasks(inputs.cluster, inputs.service, 100).catch(() => [])
    const tasks = relevantStoppedTasks(stopped, taskDefinitionArn)
    if (tasks.length > 0) deps.io.info('Stopped tasks:')
    for (const line of stoppedTaskLines(tasks)) deps.io.info(`  ${line}`)
    return service
  })
}

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  await runGuarded(deps.io, async () => {
    const inputs = await parseInputs(deps.getInput, deps.readFile)
    await deployService(deps, inputs)
  })
}

/**
 * Everything after the inputs are valid: register the revision, migrate, deploy, watch (gating on
 * the test checks) and roll back, setting the outputs and the job summary. Used by this action
 * and by deploy. Throws an OperationError saying why when the service does not end on the new
 * revision.
 */
export async function deployService(deps: Omit<Deps, 'getInput'>, inputs: Inputs): Promise<void> {
  const { io } = deps
  const region = resolveRegion(inputs.region, deps.env)
  const ecs = await deps.ecs(region)
  const report: RunReport = {
    cluster: inputs.cluster,
    service: inputs.service,
    strategy: inputs.strategy,
    status: 'NOT_STARTED',
    rolledBack: false,
    timeline: [],
    endedAt: 0,
  }
  // Every run that got past validation ends here: the closing outputs and the job summary.
  const finish = async () => {
    report.endedAt = deps.now()
    io.setOutput('status', report.status)
    io.setOutput('rolled-back', String(report.rolledBack))
    await io.appendSummary(runSummary(report))
  }

  const { service, registered, container } = await io.group('Task definition', async () => {
    const service = await ecs.describeService(inputs.cluster, inputs.service)
    checkDeploymentController(service, inputs.service)
    const source = await sourceTaskDefinition(ecs, inputs, service)
    const request = renderTaskDefinition(source, {
      containerName: inputs.containerName,
      image: inputs.image,
      environment: inputs.environment,
    })
    const needsContainer = inputs.migrateCommand !== undefined || inputs.image !== undefined
    const container = needsContainer ? selectContainer(source.definition, inputs.containerName) : undefined
    const registered = await ecs.registerTaskDefinition(request)
    io.info(`Registered ${taskDefinitionLabel(registered.taskDefinitionArn)}`)
    report.image = container === undefined ? undefined : containerImage(request, container)
    return { service, registered, container }
  })
  const taskDefinitionArn = registered.taskDefinitionArn as string
  report.taskDefinitionArn = taskDefinitionArn
  io.setOutput('task-definition-arn', taskDefinitionArn)
  const deadline = deps.now() + inputs.timeoutMs

  if (inputs.migrateCommand !== undefined) {
    const migration = await io.group('Migration', () =>
      runMigration(deps, ecs, service, {
        cluster: inputs.cluster,
        taskDefinitionArn,
        containerName: container as string,
        command: inputs.migrateCommand as string[],
        pollIntervalMs: inputs.pollIntervalMs,
        deadline,
      }),
    )
    report.migrationTaskArn = migration.taskArn
    io.setOutput('migration-task-arn', migration.taskArn)
    if (!migration.ok) {
      report.status = 'MIGRATION_FAILED'
      report.reason = migration.message
      await finish()
      throw new OperationError(`${migration.message}; the service was not updated`)
    }
  }

  const deploymentArn = await io.group('Deploy', async () => {
    const before = deps.now()
    const plan = {
      cluster: inputs.cluster,
      service: inputs.service,
      taskDefinitionArn,
      strategy: inputs.strategy,
      bakeTimeMinutes: inputs.bakeTimeMinutes,
      gate: inputs.testChecks.length > 0,
      gateTimeoutMinutes: Math.max(1, Math.ceil(inputs.timeoutMs / 60_000)),
      forceNewDeployment: inputs.forceNewDeployment,
    }
    const updated = await ecs.updateService(updateServiceRequest(service, plan))
    const arn =
      updated.currentServiceDeployment ??
      (await ecs.latestServiceDeployment(inputs.cluster, inputs.service, new Date(before - 60_000)))
    if (arn === undefined) {
      throw new OperationError(
        `UpdateService succeeded but no service deployment of '${inputs.service}' was found to watch`,
      )
    }
    io.info(`Started ${inputs.strategy} deployment ${arn} of ${taskDefinitionLabel(taskDefinitionArn)}`)
    return arn
  })
  report.deploymentArn = deploymentArn
  io.setOutput('deployment-arn', deploymentArn)

  if (!inputs.wait) {
    report.status = 'IN_PROGRESS'
    await finish()
    return
  }

  // Not in a group: the progress lines are what a reader watches, and the gate opens its own group.
  const outcome = await watchDeployment(
    { ...deps, ecs },
    {
      deploymentArn,
      pollIntervalMs: inputs.pollIntervalMs,
      deadline,
      timeoutMs: inputs.timeoutMs,
      checks: inputs.testChecks,
      rollbackOnFailure: inputs.rollbackOnFailure,
    },
  )
  report.timeline = outcome.timeline
  report.gateResults = outcome.gateResults
  report.status = outcome.deployment?.status ?? 'UNKNOWN'
  if (outcome.succeeded) {
    const elapsed = formatDuration(deps.now() - (outcome.timeline[0]?.at ?? deps.now()))
    io.info(
      `Deployment SUCCESSFUL: ${inputs.service} runs ${taskDefinitionLabel(taskDefinitionArn)} (watched ${elapsed})`,
    )
    await finish()
    return
  }

  const current = await diagnose(deps, ecs, inputs, taskDefinitionArn)
  report.rolledBack = outcome.deployment?.status === 'ROLLBACK_SUCCESSFUL'
  report.serviceTaskDefinition = current?.taskDefinition
  report.reason = outcome.reason
  await finish()
  const now = taskDefinitionLabel(current?.taskDefinition)
  const what = report.rolledBack
    ? `was rolled back: the service is back on ${now}`
    : outcome.deployment?.status === 'ROLLBACK_FAILED'
      ? `failed and its rollback failed too: the service is on ${now}`
      : `did not succeed (status ${report.status}): the service is on ${now}`
  throw new OperationError(
    `Deployment of ${taskDefinitionLabel(taskDefinitionArn)} to service '${inputs.service}' ${what}. Why: ${outcome.reason ?? 'unknown'}`,
  )
}
