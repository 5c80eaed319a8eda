import { errorMessage } from '../lib/errors.js'
import type { ActionIO } from '../lib/runner/io.js'
import { redact } from '../lib/runner/secrets.js'
import type { Clock } from '../lib/poll.js'
import type { RenderApi, RenderDeploy, RenderEvent, RenderLog } from './render-api.js'
import type { ServiceFacts } from './service.js'

/** Why a deploy failed, as far as Render's events and logs tell. */
export interface FailureDiagnosis {
  /** From the service's events: "the application exited with status 1". */
  reason?: string
  /** The last log lines of the deploy's time window, oldest first, secrets cut out. */
  logLines: string[]
  /** The deploy's page in the Render Dashboard. */
  deployUrl?: string
}

export interface DiagnosisDeps {
  api: RenderApi
  io: Pick<ActionIO, 'info'>
  now: Clock
  secrets: readonly string[]
}

const LOG_LINES = 30
const EVENTS = 50
/** How long after the deploy finished its last events and log lines may still be stamped. */
const AFTER_FINISH_MS = 5_000
/** Reading the logs and events may take this long; they explain, they never decide the outcome. */
const DIAGNOSIS_BUDGET_MS = 20_000

/**
 * The reason in a failure (`failureReason` of render-oss/cli's pkg/client/events/events_gen.go:
 * nonZeroExit, oomKilled, timedOutSeconds, unhealthy, earlyExit, evicted), in words.
 */
export function describeFailureReason(reason: Record<string, unknown>): string | undefined {
  const parts: string[] = []
  if (typeof reason.nonZeroExit === 'number')
    parts.push(`the application exited with status ${reason.nonZeroExit}`)
  const oom = reason.oomKilled as { memoryLimit?: unknown } | undefined
  if (oom !== undefined && oom !== null)
    parts.push(
      `the application ran out of memory${typeof oom.memoryLimit === 'string' ? ` (limit ${oom.memoryLimit})` : ''}`,
    )
  if (typeof reason.timedOutSeconds === 'number') {
    const why = typeof reason.timedOutReason === 'string' ? `: ${reason.timedOutReason}` : ''
    parts.push(`it timed out after ${reason.timedOutSeconds}s${why}`)
  }
  if (typeof reason.unhealthy === 'string') parts.push(`the instance was unhealthy: ${reason.unhealthy}`)
  if (reason.earlyExit === true)
    parts.push('the application exited early (a service must run until Render stops it)')
  if (reason.evicted === true)
    parts.push(
      `the instance was evicted${typeof reason.evictionReason === 'string' ? `: ${reason.evictionReason}` : ''}`,
    )
  return parts.length === 0 ? undefined : parts.join('; ')
}

/**
 * The failure reason an event carries: `details.reason.failure` of build_ended / deploy_ended /
 * pre_deploy_ended (a buildDeployEndReason), `details.reason` of server_failed (a failureReason),
 * or an image_pull_failed event's message.
 */
export function eventReason(event: RenderEvent): string | undefined {
  const details = event.details ?? {}
  if (event.type === 'image_pull_failed' && typeof details.message === 'string')
    return `the image could not be pulled: ${details.message}`
  const reason = details.reason as Record<string, unknown> | undefined
  if (reason === undefined || reason === null || typeof reason !== 'object') return undefined
  const failure = reason.failure as Record<string, unknown> | undefined
  return describeFailureReason(failure !== undefined && failure !== null ? failure : reason)
}

/** The reason for `deploy`: its own deploy_ended first, then any other event of the window. */
export function reasonFrom(events: readonly RenderEvent[], deployId: string): string | undefined {
  const ours = events.filter((e) => (e.details as { deployId?: unknown } | undefined)?.deployId === deployId)
  for (const event of [...ours, ...events]) {
    const reason = eventReason(event)
    if (reason !== undefined) return reason
  }
  return undefined
}

function window(deploy: RenderDeploy, now: number): { startTime: string; endTime: string } {
  const start = Date.parse(deploy.startedAt ?? deploy.createdAt ?? '')
  const finished = Date.parse(deploy.finishedAt ?? '')
  const end = Number.isNaN(finished) ? now : finished + AFTER_FINISH_MS
  return {
    startTime: new Date(Number.isNaN(start) ? now - 3_600_000 : start).toISOString(),
    endTime: new Date(end).toISOString(),
  }
}

/**
 * Log lines as the job log shows them: `time message`, oldest first. ListLogs answered newest first
 * (`direction=backward`), so reversing keeps lines of the same millisecond in the order printed.
 */
export function formatLogLines(logs: readonly RenderLog[], secrets: readonly string[]): string[] {
  return (
    [...logs]
      .reverse()
      .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
      // One job-log line per log line, led by its time: a message's own line breaks could otherwise
      // start a line with `::`, which the runner reads as a workflow command (actions/runner's
      // ActionCommand.TryParseV2 trims leading space and takes any line starting `::`).
      .map((log) => redact(`${log.timestamp} ${log.message.replace(/\r?\n/g, ' ⏎ ')}`, secrets))
  )
}

/**
 * Reads what Render recorded about a failed deploy: the last log lines of its time window (GET /logs
 * with the service's ownerId and the service as `resource`; build logs for a failed build) and the
 * failure reason from the service's events. Never throws: what cannot be read is said.
 */
export async function diagnoseFailure(
  deps: DiagnosisDeps,
  facts: ServiceFacts,
  serviceId: string,
  deploy: RenderDeploy,
): Promise<FailureDiagnosis> {
  const { api, io } = deps
  const deadline = deps.now() + DIAGNOSIS_BUDGET_MS
  const range = window(deploy, deps.now())
  const diagnosis: FailureDiagnosis = {
    logLines: [],
    // pkg/dashboard/dashboard.go of render-oss/cli: a deploy's page is <service page>/deploys/<id>.
    deployUrl: facts.dashboardUrl === undefined ? undefined : `${facts.dashboardUrl}/deploys/${deploy.id}`,
  }
  try {
    const events = await api.listEvents(serviceId, { ...range, limit: EVENTS }, deadline)
    diagnosis.reason = reasonFrom(events, deploy.id)
  } catch (error) {
    io.info(`Could not read the service's events: ${redact(errorMessage(error), deps.secrets)}`)
  }
  if (facts.ownerId === undefined) {
    io.info('Render gave no ownerId for the service, so its logs cannot be read')
    return diagnosis
  }
  try {
    const types = deploy.status === 'build_failed' ? ['build'] : ['build', 'app']
    const logs = await api.listLogs(
      { ownerId: facts.ownerId, resource: serviceId, ...range, limit: LOG_LINES, types },
      deadline,
    )
    diagnosis.logLines = formatLogLines(logs, deps.secrets)
  } catch (error) {
    io.info(`Could not read the deploy's logs: ${redact(errorMessage(error), deps.secrets)}`)
  }
  return diagnosis
}
