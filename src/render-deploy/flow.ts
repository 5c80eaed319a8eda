import type { ActionIO } from '../lib/runner/io.js'
import { formatDuration } from '../lib/duration.js'
import { errorMessage } from '../lib/errors.js'
import { describeSource, supersedingDeploy } from './deploy-lookup.js'
import type { RenderDeployOptions } from './options.js'
import type { RenderApi, RenderDeploy } from './render-api.js'
import type { ApiPorts } from './render-http.js'
import { rollBack } from './rollback.js'
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
  serviceUrl?: string
  deployId?: string
  /** The deploy's last seen status; `triggered` when a hook was called without an API key to follow it. */
  status: string
  source: string
  rolledBack: boolean
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
    timeline: timeline.entries,
  }

  if (api !== undefined) {
    await io.group('Render service', async () => {
      const service = await api.getService(inputs.serviceId, deadline)
      outcome.serviceName = service.name
      outcome.serviceUrl = service.serviceDetails?.url ?? undefined
      io.info(
        `Service ${service.name ?? inputs.serviceId} (${inputs.serviceId}${service.type ? `, ${service.type}` : ''})${
          outcome.serviceUrl ? ` at ${outcome.serviceUrl}` : ''
        }`,
      )
      if (service.suspended === 'suspended')
        io.warning(
          `Service ${inputs.serviceId} is suspended: Render does not deploy a suspended service until it is resumed`,
        )
    })
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
    await follow(inputs, deps, api, deploy, { outcome, timeline, deadline })
  } catch (error) {
    outcome.failure = `${errorMessage(error)} (deploy ${deploy.id} was triggered; its outcome is not known)`
  }
  return outcome
}

async function follow(
  inputs: RenderDeployOptions,
  deps: FlowDeps,
  api: RenderApi,
  deploy: RenderDeploy,
  { outcome, timeline, deadline }: { outcome: DeployOutcome; timeline: Timeline; deadline: number },
): Promise<void> {
  const { io, ports } = deps
  const waitOptions = {
    intervalMs: inputs.pollIntervalMs,
    sleep: ports.sleep,
    now: ports.now,
    log: (line: string) => io.info(line),
    timeline,
  }
  const waited = await io.group(`Wait for deploy ${deploy.id}`, () =>
    waitForDeploy(api, inputs.serviceId, deploy.id, { ...waitOptions, deadline }),
  )
  const last = waited.deploy ?? deploy
  outcome.status = last.status
  if (!waited.done) {
    const why =
      waited.lastError === undefined ? '' : `; the last poll failed: ${errorMessage(waited.lastError)}`
    outcome.failure =
      `Timed out after ${formatDuration(inputs.timeoutMs)} waiting for deploy ${deploy.id} of ${inputs.serviceId} (last status ${last.status}${why}). ` +
      "It may still finish on Render; it was not rolled back, since rolling back under a running deploy would race it. Raise 'timeout' or check the deploy in the Render Dashboard."
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

  io.info(`Deploy ${deploy.id} failed with status ${last.status}. ${deployDetails(last)}`)
  outcome.failure = `Deploy ${deploy.id} of ${inputs.serviceId} ended ${last.status}. ${deployDetails(last)} See the deploy's logs in the Render Dashboard.`
  if (inputs.rollbackOnFailure) {
    const rollback = await io.group('Roll back', () =>
      rollBack(api, last, { ...waitOptions, serviceId: inputs.serviceId, timeoutMs: inputs.timeoutMs }),
    )
    outcome.rollbackTargetId = rollback.targetId
    outcome.rollbackDeployId = rollback.deployId
    outcome.rolledBack = rollback.live
    outcome.failure += ` ${rollback.message}`
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
