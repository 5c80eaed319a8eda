import type { ActionIO } from '../lib/core.js'
import { formatDuration } from '../lib/duration.js'
import { errorMessage, OperationError } from '../lib/errors.js'
import { poll } from '../lib/poll.js'
import {
  createdAtMs,
  describeSource,
  findTriggeredDeploy,
  rollbackTarget,
  supersedingDeploy,
} from './deploy-lookup.js'
import { hookRequestUrl } from './hook.js'
import type { Inputs } from './inputs.js'
import {
  callDeployHook,
  isTransientRenderError,
  type ApiPorts,
  type RenderApi,
  type RenderDeploy,
} from './render-api.js'
import { classifyStatus } from './statuses.js'
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

// The runner's clock and Render's may differ slightly; a deploy created this long before the
// trigger returned still counts as ours when it builds what was asked for.
const CLOCK_SKEW_MS = 5_000
const LOOKUP_LIMIT_MS = 60_000

/** Triggers the deploy, follows it to a terminal status and rolls back on failure when asked to. */
export async function deployToRender(inputs: Inputs, deps: FlowDeps): Promise<DeployOutcome> {
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
    const service = await io.group('Render service', () => api.getService(inputs.serviceId, deadline))
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
  }

  const deploy = await io.group('Trigger deploy', () => trigger(inputs, deps, deadline))
  if (deploy === undefined) {
    outcome.status = 'triggered'
    outcome.note =
      'The deploy hook was called; following the deploy needs an API key (api-key or RENDER_API_KEY), so its outcome is not known here.'
    if (inputs.wait)
      io.warning(`Deploy of ${inputs.serviceId} triggered through its hook but not followed: ${outcome.note}`)
    return outcome
  }
  outcome.deployId = deploy.id
  outcome.status = deploy.status
  timeline.record(deploy.id, deploy.status)
  if (!inputs.wait || api === undefined) return outcome

  const waited = await io.group(`Wait for deploy ${deploy.id}`, () =>
    waitForDeploy(api, inputs.serviceId, deploy.id, {
      intervalMs: inputs.pollIntervalMs,
      deadline,
      sleep: ports.sleep,
      now: ports.now,
      log: (line) => io.info(line),
      timeline,
    }),
  )
  const last = waited.deploy ?? deploy
  outcome.status = last.status
  if (!waited.done) {
    const why =
      waited.lastError === undefined ? '' : `; the last poll failed: ${errorMessage(waited.lastError)}`
    outcome.failure =
      `Timed out after ${formatDuration(inputs.timeoutMs)} waiting for deploy ${deploy.id} of ${inputs.serviceId} (last status ${last.status}${why}). ` +
      "It may still finish on Render; it was not rolled back, since rolling back under a running deploy would race it. Raise 'timeout' or check the deploy in the Render Dashboard."
    return outcome
  }

  const result = classifyStatus(last.status)
  if (result === 'live') {
    io.info(`Deploy ${deploy.id} is live: ${describeSource(last)}`)
    return outcome
  }
  if (result === 'deactivated') {
    const newer = supersedingDeploy(await api.listDeploys(inputs.serviceId, { limit: 20 }, deadline), last)
    if (newer !== undefined) {
      io.info(`Deploy ${deploy.id} went live and was then superseded by deploy ${newer.id} (${newer.status})`)
      outcome.note = `Superseded by deploy ${newer.id} (${newer.status}).`
      return outcome
    }
    outcome.failure = `Deploy ${deploy.id} of ${inputs.serviceId} ended deactivated without a newer deploy replacing it (was the service suspended?). ${deployDetails(last)}`
    return outcome
  }

  io.info(`Deploy ${deploy.id} failed with status ${last.status}. ${deployDetails(last)}`)
  outcome.failure = `Deploy ${deploy.id} of ${inputs.serviceId} ended ${last.status}. ${deployDetails(last)} See the deploy's logs in the Render Dashboard.`
  if (inputs.rollbackOnFailure) {
    const rollback = await io.group('Roll back', () => rollBack(inputs, deps, last, timeline))
    outcome.rollbackTargetId = rollback.targetId
    outcome.rollbackDeployId = rollback.deployId
    outcome.rolledBack = rollback.live
    outcome.failure += ` ${rollback.message}`
  }
  return outcome
}

function requestedSource(inputs: Inputs): string {
  if (inputs.commitId !== undefined) return `commit ${inputs.commitId}`
  if (inputs.imageUrl !== undefined) return `image ${inputs.imageUrl}`
  return inputs.hook === undefined
    ? "latest commit of the service's branch"
    : "the service's configured source"
}

function deployDetails(deploy: RenderDeploy): string {
  const parts = [`source: ${describeSource(deploy)}`]
  if (deploy.trigger) parts.push(`trigger: ${deploy.trigger}`)
  if (deploy.createdAt) parts.push(`created ${deploy.createdAt}`)
  if (deploy.finishedAt) parts.push(`finished ${deploy.finishedAt}`)
  return `(${parts.join(', ')})`
}

/** Starts the deploy and returns it; undefined when a hook was called and there is no key to find it. */
async function trigger(inputs: Inputs, deps: FlowDeps, deadline: number): Promise<RenderDeploy | undefined> {
  const { io, api, ports } = deps
  const triggeredAt = ports.now()
  let deployId: string | undefined
  if (inputs.hook !== undefined) {
    io.info(
      `Calling the deploy hook of ${inputs.serviceId}${inputs.imageUrl ? ` with image ${inputs.imageUrl}` : ''}`,
    )
    deployId = await callDeployHook(ports, hookRequestUrl(inputs.hook, inputs.imageUrl), {
      deadline,
      secrets: deps.secrets,
    })
    if (api === undefined) {
      if (deployId !== undefined) io.info(`Render started deploy ${deployId}`)
      return undefined
    }
    if (deployId !== undefined) return api.getDeploy(inputs.serviceId, deployId, deadline)
  } else if (api !== undefined) {
    io.info(
      `Triggering a deploy of ${inputs.serviceId}: ${requestedSource(inputs)}${inputs.clearCache ? ', clearing the build cache' : ''}`,
    )
    const created = await api.triggerDeploy(
      inputs.serviceId,
      {
        clearCache: inputs.clearCache ? 'clear' : 'do_not_clear',
        ...(inputs.commitId === undefined ? {} : { commitId: inputs.commitId }),
        ...(inputs.imageUrl === undefined ? {} : { imageUrl: inputs.imageUrl }),
      },
      deadline,
    )
    if (created !== undefined) {
      io.info(`Render created deploy ${created.id} (${describeSource(created)})`)
      return created
    }
    io.info(
      'Render queued the deploy (HTTP 202, no deploy in the answer); looking it up in the service’s deploys',
    )
  }
  if (api === undefined) return undefined
  return findDeploy(inputs, deps, api, triggeredAt, deadline)
}

/** Finds the deploy a 202 (or a hook without an id) started: first among queued deploys, then any. */
async function findDeploy(
  inputs: Inputs,
  deps: FlowDeps,
  api: RenderApi,
  triggeredAt: number,
  deadline: number,
): Promise<RenderDeploy> {
  const createdAfterMs = triggeredAt - CLOCK_SKEW_MS
  const createdAfter = new Date(createdAfterMs).toISOString()
  const criteria = { createdAfter: createdAfterMs, commitId: inputs.commitId, imageUrl: inputs.imageUrl }
  const lookupDeadline = Math.min(deadline, deps.ports.now() + LOOKUP_LIMIT_MS)
  const result = await poll<RenderDeploy | undefined>({
    check: async () =>
      findTriggeredDeploy(
        await api.listDeploys(inputs.serviceId, { status: 'queued', createdAfter }, lookupDeadline),
        criteria,
      ) ??
      findTriggeredDeploy(
        await api.listDeploys(inputs.serviceId, { createdAfter }, lookupDeadline),
        criteria,
      ),
    isDone: (found) => found !== undefined,
    interval: Math.min(inputs.pollIntervalMs, 2000),
    deadline: lookupDeadline,
    sleep: deps.ports.sleep,
    now: deps.ports.now,
    isTransient: isTransientRenderError,
  })
  if (!result.done || result.state === undefined) {
    throw new OperationError(
      `Render accepted the deploy of ${inputs.serviceId} but no matching deploy created after ${createdAfter} appeared in its deploy list within ${formatDuration(lookupDeadline - triggeredAt)}; check the service in the Render Dashboard`,
    )
  }
  deps.io.info(`Found deploy ${result.state.id} (${result.state.status}, ${describeSource(result.state)})`)
  return result.state
}

interface RollbackResult {
  live: boolean
  targetId?: string
  deployId?: string
  message: string
}

/** Rolls back to the last live deploy before `failed` and waits (a fresh `timeout`) until it is live. */
async function rollBack(
  inputs: Inputs,
  deps: FlowDeps,
  failed: RenderDeploy,
  timeline: Timeline,
): Promise<RollbackResult> {
  const { io, ports } = deps
  const api = deps.api as RenderApi
  const deadline = ports.now() + inputs.timeoutMs
  try {
    const target = rollbackTarget(await api.listDeploys(inputs.serviceId, { limit: 50 }, deadline), failed)
    if (target === undefined) {
      return { live: false, message: 'There was no earlier live deploy to roll back to.' }
    }
    io.info(`Rolling back to deploy ${target.id} (${target.status}, ${describeSource(target)})`)
    const requestedAt = ports.now()
    const started =
      (await api.rollback(inputs.serviceId, target.id, deadline)) ??
      (await findRollbackDeploy(deps, api, inputs.serviceId, requestedAt, deadline, failed.id))
    timeline.record(started.id, started.status)
    const waited = await waitForDeploy(api, inputs.serviceId, started.id, {
      intervalMs: inputs.pollIntervalMs,
      deadline,
      sleep: ports.sleep,
      now: ports.now,
      log: (line) => io.info(line),
      timeline,
    })
    const status = waited.deploy?.status ?? started.status
    if (waited.done && classifyStatus(status) === 'live') {
      io.info(`Rolled back: deploy ${started.id} (of ${target.id}) is live`)
      return {
        live: true,
        targetId: target.id,
        deployId: started.id,
        message: `Rolled back to deploy ${target.id}: rollback deploy ${started.id} is live.`,
      }
    }
    return {
      live: false,
      targetId: target.id,
      deployId: started.id,
      message: waited.done
        ? `The rollback to deploy ${target.id} also failed: rollback deploy ${started.id} ended ${status}.`
        : `The rollback to deploy ${target.id} did not go live within ${formatDuration(inputs.timeoutMs)} (rollback deploy ${started.id} last ${status}).`,
    }
  } catch (error) {
    return { live: false, message: `The rollback failed: ${errorMessage(error)}` }
  }
}

async function findRollbackDeploy(
  deps: FlowDeps,
  api: RenderApi,
  serviceId: string,
  requestedAt: number,
  deadline: number,
  failedId: string,
): Promise<RenderDeploy> {
  const createdAfterMs = requestedAt - CLOCK_SKEW_MS
  const result = await poll<RenderDeploy | undefined>({
    check: async () =>
      (await api.listDeploys(serviceId, { createdAfter: new Date(createdAfterMs).toISOString() }, deadline))
        .filter((d) => d.id !== failedId && createdAtMs(d) >= createdAfterMs)
        .sort((a, b) => createdAtMs(b) - createdAtMs(a))[0],
    isDone: (found) => found !== undefined,
    interval: 2000,
    deadline: Math.min(deadline, deps.ports.now() + LOOKUP_LIMIT_MS),
    sleep: deps.ports.sleep,
    now: deps.ports.now,
    isTransient: isTransientRenderError,
  })
  if (!result.done || result.state === undefined)
    throw new OperationError('Render accepted the rollback but its deploy did not appear in the deploy list')
  return result.state
}
