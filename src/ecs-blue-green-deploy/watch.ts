import type { ServiceDeployment } from '@aws-sdk/client-ecs'
import { isTransientAwsError } from './aws-errors.js'
import type { ActionIO } from '../lib/core.js'
import { errorMessage } from '../lib/errors.js'
import { formatDuration } from '../lib/duration.js'
import type { HttpClient } from '../lib/http.js'
import { poll, transientNote, type Clock, type PollResult, type Sleep } from '../lib/poll.js'
import type { Check } from '../lib/smoke/checks.js'
import { runChecks, type CheckResult, type EngineOptions } from '../lib/smoke/engine.js'
import { failureLine } from '../lib/smoke/report.js'
import {
  failureReason,
  foreignPauses,
  gateHookIds,
  isFinal,
  progressLine,
  recordStage,
  ROLLING_BACK,
  type TimelineEntry,
} from './deployment-state.js'
import type { EcsApi } from './ecs-api.js'

export interface WatchDeps {
  io: ActionIO
  ecs: EcsApi
  http: HttpClient
  sleep: Sleep
  now: Clock
  random: () => number
}

export interface WatchPlan {
  deploymentArn: string
  pollIntervalMs: number
  /** When the wait for the deployment gives up. */
  deadline: number
  timeoutMs: number
  /** The gate's checks; empty means no gate. */
  checks: Check[]
  rollbackOnFailure: boolean
}

export interface WatchOutcome {
  /** The deployment as last seen. */
  deployment?: ServiceDeployment
  succeeded: boolean
  /** Why it did not succeed. */
  reason?: string
  timeline: TimelineEntry[]
  gateResults?: CheckResult[]
}

/** A gate check keeps retrying for at most this long (the listener may need a moment). */
export const GATE_CHECK_TIMEOUT_MS = 60_000

/** Options for the smoke-test engine when it runs the gate. */
export function gateEngineOptions(remainingMs: number): EngineOptions {
  return {
    timeoutMs: Math.max(1000, Math.min(GATE_CHECK_TIMEOUT_MS, remainingMs)),
    requestTimeoutMs: 10_000,
    retryIntervalMs: 1000,
    concurrency: 5,
    followRedirects: true,
    insecure: false,
  }
}

/**
 * Watches a service deployment to its end: polls DescribeServiceDeployments every interval (a
 * line only when status, stage or task counts change), runs the test gate when ECS pauses at
 * POST_TEST_TRAFFIC_SHIFT and answers the hook, and on failure or timeout rolls back where ECS is
 * not already doing so, then waits for the rollback to finish.
 */
export async function watchDeployment(deps: WatchDeps, plan: WatchPlan): Promise<WatchOutcome> {
  const { io, ecs } = deps
  const timeline: TimelineEntry[] = []
  let gatePending = plan.checks.length > 0
  let pauseNoted = false

  const watch = (deadline: number): Promise<PollResult<ServiceDeployment | undefined>> =>
    poll<ServiceDeployment | undefined>({
      check: () => ecs.describeServiceDeployment(plan.deploymentArn),
      isDone: (d) => d !== undefined && (isFinal(d) || (gatePending && gateHookIds(d).length > 0)),
      interval: plan.pollIntervalMs,
      deadline,
      sleep: deps.sleep,
      now: deps.now,
      random: deps.random,
      describe: (d) => (d === undefined ? 'waiting for the deployment to be visible' : progressLine(d)),
      onChange: (d, line) => {
        io.info(`${new Date(deps.now()).toISOString().slice(11, 19)} ${line}`)
        if (d === undefined) return
        recordStage(timeline, d, deps.now())
        if (!pauseNoted && foreignPauses(d)) {
          pauseNoted = true
          io.warning(
            'The deployment is paused at a PAUSE hook this action did not add; it waits for someone to continue it',
          )
        }
      },
      isTransient: isTransientAwsError,
      onTransientError: (error, attempt) => io.info(transientNote(error, attempt)),
    })

  const rollBack = async (why: string): Promise<void> => {
    io.info(`Rolling back (${why}): StopServiceDeployment with ROLLBACK`)
    await ecs.stopServiceDeployment(plan.deploymentArn, 'ROLLBACK')
  }

  let result = await watch(plan.deadline)
  let gateResults: CheckResult[] | undefined
  let gateFailure: string | undefined

  if (result.done && result.state !== undefined && !isFinal(result.state)) {
    const hooks = gateHookIds(result.state)
    gatePending = false
    gateResults = await io.group('Test gate', async () => {
      io.info(
        `Deployment paused at POST_TEST_TRAFFIC_SHIFT: running ${plan.checks.length} check(s) against the test listener`,
      )
      return runChecks(plan.checks, gateEngineOptions(plan.deadline - deps.now()), {
        http: deps.http,
        sleep: deps.sleep,
        now: deps.now,
        random: deps.random,
        log: (line) => io.info(line),
      })
    })
    const passed = gateResults.every((r) => r.ok)
    if (!passed) gateFailure = `the test gate failed: ${failureLine(gateResults)}`
    const action = passed ? 'CONTINUE' : plan.rollbackOnFailure ? 'ROLLBACK' : undefined
    if (action !== undefined) {
      io.info(`Gate ${passed ? 'passed' : 'failed'}: ContinueServiceDeployment with ${action}`)
      try {
        for (const hookId of hooks) await ecs.continueServiceDeployment(plan.deploymentArn, hookId, action)
      } catch (error) {
        if (action === 'CONTINUE') throw error
        io.info(
          `ContinueServiceDeployment with ROLLBACK failed (${errorMessage(error)}); stopping the deployment instead`,
        )
        await rollBack('the gate failed')
      }
      result = await watch(passed ? plan.deadline : deps.now() + plan.timeoutMs)
    }
  }

  const deployment = result.state
  if (result.done && deployment?.status === 'SUCCESSFUL' && gateFailure === undefined) {
    return { deployment, succeeded: true, timeline, gateResults }
  }
  const reason =
    gateFailure ??
    (result.done && deployment !== undefined
      ? failureReason(deployment)
      : `it did not finish within ${formatDuration(plan.timeoutMs)}`)
  const failed = { succeeded: false, reason, timeline, gateResults }
  // A failed gate was answered (and its rollback watched) above, or deliberately left paused.
  if (gateFailure !== undefined || (deployment !== undefined && isFinal(deployment))) {
    return { ...failed, deployment }
  }
  let rollingBack = deployment !== undefined && ROLLING_BACK.has(deployment.status ?? '')
  if (!rollingBack && plan.rollbackOnFailure) {
    await rollBack(reason)
    rollingBack = true
  }
  if (!rollingBack) return { ...failed, deployment }
  gatePending = false
  io.info('Waiting for the rollback to finish')
  const rollback = await watch(deps.now() + plan.timeoutMs)
  return { ...failed, deployment: rollback.state ?? deployment }
}
