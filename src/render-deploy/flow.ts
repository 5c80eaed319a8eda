import type { ActionIO } from '../lib/runner/io.js'
import { formatDuration } from '../lib/duration.js'
import { errorMessage } from '../lib/errors.js'
import { describeSource, supersedingDeploy } from './deploy-lookup.js'
import type { RenderDeployOptions } from './options.js'
import type { RenderApi, RenderDeploy } from './render-api.js'
import type { ApiPorts } from './render-http.js'
import { cancelTimedOut } from './cancel.js'
import { diagnoseFailure, type FailureDiagnosis } from './diagnosis.js'
import { rollBack } from './rollback.js'
import { lookUpService, type ServiceFacts } from './service.js'
import { classifyStatus } from './statuses.js'
import { requestedSource, triggerDeploy } from './trigger.js'
import { Timeline, waitForDeploy, type TimelineEntry } from './wait.js'

export interface FlowDeps {
  io: Pick<ActionIO, 'info' | 'warning' | 'group'>
  /** Present when an API key was given. */
  api: RenderApi | undefined
  ports: ApiPorts
  /** Values to blank out of messages. */
  secrets: readonly string[]
}

export interface DeployOutcome {
  serviceId: string
  serviceName?: string
  /** web_service, private_service, background_worker, cron_job or static_site (with an API key). */
  serviceType?: string
  /**
   * The service's public http(s) URL, for a smoke test. Undefined for a private service (its
   * `host:port` is in `internalAddress`, reachable only inside Render's network), a worker or cron
   * job (no URL), and without an API key: never anything that is not a public URL.
   */
  serviceUrl?: string
  /** A private service's `host:port` inside Render's network; not a URL to test from a runner. */
  internalAddress?: string
  deployId?: string
  /** The deploy's last seen status; `triggered` when a hook was called without an API key to follow it. */
  status: string
  source: string
  rolledBack: boolean
  /** True when the wait timed out and the deploy was canceled (`cancel-on-timeout`). */
  canceled: boolean
  /** What Render's events and logs say about a failed deploy. */
  diagnosis?: FailureDiagnosis
  /** Set after a rollback when auto-deploy is on: the next push undoes the rollback. */
  autoDeployWarning?: string
  rollbackTargetId?: string
  rollbackDeployId?: string
  timeline: TimelineEntry[]
  /** Why the step fails; undefined on success. */
  failure?: string
  /** A remark for the summary (e.g. why the deploy was not followed). */
  note?: string
}

/**
 * Triggers the deploy, follows it to a terminal status and rolls back on failure when asked to.
 * Errors before the deploy exists are thrown; once it exists, every ending is an outcome, so the
 * step can still report the deploy id and the last status it saw.
 */
export async function deployToRender(inputs: RenderDeployOptions, deps: FlowDeps): Promise<DeployOutcome> {
  const { io, api, ports } = deps
  const startedAt = ports.now()
  const deadline = startedAt + inputs.timeoutMs
  const timeline = new Timeline(startedAt, ports.now, (line) => io.info(line))
  const outcome: DeployOutcome = {
    serviceId: inputs.serviceId,
    status: '',
    source: requestedSource(inputs),
    rolledBack: false,
    canceled: false,
    timeline: timeline.entries,
  }

  let facts: ServiceFacts | undefined
  if (api !== undefined) {
    facts = await io.group('Render service', () => lookUpService(api, inputs, io, deadline))
    outcome.serviceName = facts.name
    outcome.serviceType = facts.type
    outcome.serviceUrl = facts.publicUrl
    outcome.internalAddress = facts.internalAddress
  }

  const triggered = await io.group('Trigger deploy', () => triggerDeploy(inputs, deps, deadline))
  outcome.deployId = triggered.deployId
  const deploy = triggered.deploy
  if (deploy === undefined || api === undefined) {
    outcome.status = 'triggered'
    outcome.note =
      'The deploy hook was called; following the deploy needs an API key (api-key or RENDER_API_KEY), so its outcome is not known here.'
    if (inputs.wait)
      io.warning(
        `Deploy of ${inputs.serviceId} triggered through its deploy hook but not followed: waiting needs an API key (api-key or RENDER_API_KEY)`,
      )
    return outcome
  }
  outcome.status = deploy.status
  timeline.record(deploy.id, deploy.status)
  if (!inputs.wait) return outcome

  try {
    await follow(inputs, deps, api, deploy, {
      outcome,
      timeline,
      deadline,
      facts: facts ?? { autoDeploy: false },
    })
  } catch (error) {
    outcome.failure = `${errorMessage(error)} (deploy ${deploy.id} was triggered; its outcome is not known)`
  }
  return outcome
}

interface FollowState {
  outcome: DeployOutcome
  timeline: Timeline
  deadline: number
  facts: ServiceFacts
}

async function follow(
  inputs: RenderDeployOptions,
  deps: FlowDeps,
  api: RenderApi,
  deploy: RenderDeploy,
  state: FollowState,
): Promise<void> {
  const { io } = deps
  const { outcome, deadline } = state
  const waited = await io.group(`Wait for deploy ${deploy.id}`, () =>
    waitForDeploy(api, inputs.serviceId, deploy.id, { ...waitOptions(inputs, deps, state), deadline }),
  )
  const last = waited.deploy ?? deploy
  outcome.status = last.status
  if (!waited.done) {
    const why =
      waited.lastError === undefined ? '' : `; the last poll failed: ${errorMessage(waited.lastError)}`
    await timedOut(inputs, deps, api, last, state, why)
    return
  }

  const result = classifyStatus(last.status)
  if (result === 'live') {
    io.info(`Deploy ${deploy.id} is live: ${describeSource(last)}`)
    return
  }
  if (result === 'deactivated') {
    const newer = supersedingDeploy(await api.listDeploys(inputs.serviceId, { limit: 20 }, deadline), last)
    if (newer !== undefined) {
      io.info(`Deploy ${deploy.id} went live and was then superseded by deploy ${newer.id} (${newer.status})`)
      outcome.note = `Superseded by deploy ${newer.id} (${newer.status}).`
      return
    }
    outcome.failure = `Deploy ${deploy.id} of ${inputs.serviceId} ended deactivated without a newer deploy replacing it (was the service suspended?). ${deployDetails(last)}`
    return
  }
  await failed(inputs, deps, api, last, state)
}

function waitOptions(inputs: RenderDeployOptions, deps: FlowDeps, state: FollowState) {
  const { io, ports } = deps
  return {
    intervalMs: inputs.pollIntervalMs,
    sleep: ports.sleep,
    now: ports.now,
    log: (line: string) => io.info(line),
    timeline: state.timeline,
  }
}

/** The wait ran out: cancel the deploy when asked to, else leave it running and say so. */
async function timedOut(
  inputs: RenderDeployOptions,
  deps: FlowDeps,
  api: RenderApi,
  last: RenderDeploy,
  state: FollowState,
  why: string,
): Promise<void> {
  const { outcome } = state
  const names = inputs.inputNames
  const head = `Timed out after ${formatDuration(inputs.timeoutMs)} waiting for deploy ${last.id} of ${inputs.serviceId} (last status ${last.status}${why}).`
  if (!inputs.cancelOnTimeout) {
    outcome.failure = `${head} It may still finish on Render; it was neither canceled nor rolled back, since rolling back under a running deploy would race it. Raise '${names.timeout}', set '${names.cancelOnTimeout}' to cancel it, or check the deploy in the Render Dashboard.`
    return
  }
  const cancel = await deps.io.group(`Cancel deploy ${last.id}`, () =>
    cancelTimedOut(api, inputs.serviceId, last, {
      now: deps.ports.now,
      log: (line) => deps.io.info(line),
      timeline: state.timeline,
      secrets: deps.secrets,
    }),
  )
  outcome.canceled = cancel.canceled
  if (cancel.status !== undefined) outcome.status = cancel.status
  outcome.failure = `${head} ${cancel.message}`
}

/** A failed deploy: say why (events, logs, dashboard link), then roll back when asked to. */
async function failed(
  inputs: RenderDeployOptions,
  deps: FlowDeps,
  api: RenderApi,
  last: RenderDeploy,
  state: FollowState,
): Promise<void> {
  const { io } = deps
  const { outcome, facts } = state
  const diagnosis = await io.group(`Why deploy ${last.id} failed`, async () => {
    const found = await diagnoseFailure(
      { api, io, now: deps.ports.now, secrets: deps.secrets },
      facts,
      inputs.serviceId,
      last,
    )
    io.info(
      `Deploy ${last.id} failed with status ${last.status}${found.reason ? `: ${found.reason}` : ''}. ${deployDetails(last)}`,
    )
    if (found.logLines.length > 0)
      io.info(`The last ${found.logLines.length} log lines:\n${found.logLines.join('\n')}`)
    if (found.deployUrl !== undefined) io.info(`The deploy in the Render Dashboard: ${found.deployUrl}`)
    return found
  })
  outcome.diagnosis = diagnosis
  const reason = diagnosis.reason === undefined ? '' : ` Reason: ${diagnosis.reason}.`
  const where = diagnosis.deployUrl ?? "the deploy's logs in the Render Dashboard"
  outcome.failure = `Deploy ${last.id} of ${inputs.serviceId} ended ${last.status}.${reason} ${deployDetails(last)} See ${where}.`
  if (!inputs.rollbackOnFailure) return
  const rollback = await io.group('Roll back', () =>
    rollBack(api, last, {
      ...waitOptions(inputs, deps, state),
      serviceId: inputs.serviceId,
      timeoutMs: inputs.timeoutMs,
    }),
  )
  outcome.rollbackTargetId = rollback.targetId
  outcome.rollbackDeployId = rollback.deployId
  outcome.rolledBack = rollback.live
  outcome.failure += ` ${rollback.message}`
  if (rollback.live && facts.autoDeploy) {
    // render.com/docs/rollbacks: the Roll back deploy endpoint does not disable automatic deploys,
    // so pushing a new commit to the linked branch deploys again and may reintroduce the change.
    outcome.autoDeployWarning = `Auto-deploy is on for ${inputs.serviceId}: Render's rollback API leaves it on, so the next push${facts.branch ? ` to ${facts.branch}` : ''} deploys again and undoes this rollback. Turn auto-deploy off in the service's Settings until the fix is pushed.`
    io.warning(outcome.autoDeployWarning)
  }
}

/** Status-independent facts about a deploy for a failure message. */
function deployDetails(deploy: RenderDeploy): string {
  const parts = [`source: ${describeSource(deploy)}`]
  if (deploy.trigger) parts.push(`trigger: ${deploy.trigger}`)
  if (deploy.createdAt) parts.push(`created ${deploy.createdAt}`)
  if (deploy.finishedAt) parts.push(`finished ${deploy.finishedAt}`)
  return `(${parts.join(', ')})`
}
