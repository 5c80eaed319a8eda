import type { Service, Task } from '@aws-sdk/client-ecs'
import { isTransientAwsError } from '../lib/aws/client.js'
import type { ActionIO } from '../lib/runner/io.js'
import { poll, transientNote, type Clock, type Sleep } from '../lib/poll.js'
import type { EcsApi } from './ecs-api.js'
import { migrationDelay } from './polling.js'
import { migrationOutcome, migrationProgress, migrationTaskRequest, type MigrationPlan } from './migration.js'

export interface MigrationRun extends MigrationPlan {
  /** A fixed interval; undefined backs off from 1 s to 10 s (see migrationDelay). */
  pollIntervalMs?: number
  deadline: number
}

export interface MigrationResult {
  taskArn: string
  ok: boolean
  /** What happened, for the failure line. */
  message: string
}

/** Runs the migration task and waits until it stops; success means the container exited 0. */
export async function runMigration(
  deps: { io: ActionIO; sleep: Sleep; now: Clock; random: () => number },
  ecs: EcsApi,
  service: Service,
  plan: MigrationRun,
): Promise<MigrationResult> {
  const { io } = deps
  const started = await ecs.runTask(migrationTaskRequest(service, plan))
  const taskArn = started.taskArn as string
  io.info(
    `Started migration task ${taskArn}: ${JSON.stringify(plan.command)} in container '${plan.containerName}'`,
  )
  const result = await poll<Task | undefined>({
    check: () => ecs.describeTask(plan.cluster, taskArn),
    isDone: (task) => task?.lastStatus === 'STOPPED',
    interval: (_task, attempt) => migrationDelay(attempt, plan.pollIntervalMs),
    deadline: plan.deadline,
    sleep: deps.sleep,
    now: deps.now,
    random: deps.random,
    describe: migrationProgress,
    onChange: (_task, line) => io.info(line),
    isTransient: isTransientAwsError,
    onTransientError: (error, attempt) => io.info(transientNote(error, attempt)),
  })
  if (!result.done || result.state === undefined) {
    return {
      taskArn,
      ok: false,
      message: `Migration task ${taskArn} did not stop before the timeout (last status ${result.state?.lastStatus ?? 'unknown'}); it may still be running`,
    }
  }
  const outcome = migrationOutcome(result.state, plan.containerName)
  if (outcome.ok) {
    io.info('Migration finished with exit code 0')
    return { taskArn, ok: true, message: 'migration succeeded' }
  }
  const exit = outcome.exitCode === undefined ? 'no exit code' : `exit code ${outcome.exitCode}`
  return { taskArn, ok: false, message: `Migration failed with ${exit}: ${outcome.reason}` }
}
