import type { ActionIO } from '../lib/runner/io.js'
import { formatDuration } from '../lib/duration.js'
import { OperationError } from '../lib/errors.js'
import { poll } from '../lib/poll.js'
import { describeSource, findTriggeredDeploy } from './deploy-lookup.js'
import { callDeployHook, hookRequestUrl } from './hook.js'
import type { RenderDeployOptions } from './options.js'
import type { RenderApi, RenderDeploy, TriggerBody } from './render-api.js'
import { isTransientRenderError } from './render-errors.js'
import type { ApiPorts } from './render-http.js'

export interface TriggerDeps {
  io: Pick<ActionIO, 'info'>
  /** Present when an API key was given. */
  api: RenderApi | undefined
  ports: ApiPorts
  secrets: readonly string[]
}

/** What a trigger started: the deploy when it can be read, else at least its id when Render gave one. */
export interface Triggered {
  deploy?: RenderDeploy
  deployId?: string
}

// The runner's clock and Render's may differ slightly; a deploy created this long before the
// trigger returned still counts as ours when it builds what was asked for.
export const CLOCK_SKEW_MS = 5_000
/** How long a deploy Render accepted may take to show up in the service's deploy list. */
export const LOOKUP_LIMIT_MS = 60_000

/** What was asked to be deployed, in words. */
export function requestedSource(inputs: RenderDeployOptions): string {
  if (inputs.deployMode === 'deploy_only') return "the service's last build (deploy_only: no new build)"
  if (inputs.commitId !== undefined) return `commit ${inputs.commitId}`
  if (inputs.imageUrl !== undefined) return `image ${inputs.imageUrl}`
  return "the service's configured source (its branch's latest commit, or its image)"
}

/** CreateDeploy's body: the build fields, or `deployMode: deploy_only` alone (it takes none of them). */
export function triggerBody(inputs: RenderDeployOptions): TriggerBody {
  if (inputs.deployMode === 'deploy_only') return { deployMode: 'deploy_only' }
  return {
    clearCache: inputs.clearCache ? 'clear' : 'do_not_clear',
    ...(inputs.commitId === undefined ? {} : { commitId: inputs.commitId }),
    ...(inputs.imageUrl === undefined ? {} : { imageUrl: inputs.imageUrl }),
  }
}

/** Starts the deploy through the hook or the API and, with an API key, returns it. */
export async function triggerDeploy(
  inputs: RenderDeployOptions,
  deps: TriggerDeps,
  deadline: number,
): Promise<Triggered> {
  const { io, api, ports } = deps
  const triggeredAt = ports.now()
  if (inputs.hook !== undefined) {
    io.info(
      `Calling the deploy hook of ${inputs.serviceId}${inputs.imageUrl ? ` with image ${inputs.imageUrl}` : ''}`,
    )
    const deployId = await callDeployHook(ports, hookRequestUrl(inputs.hook, inputs.imageUrl), {
      deadline,
      secrets: deps.secrets,
    })
    if (deployId !== undefined) io.info(`Render started deploy ${deployId}`)
    if (api === undefined) return { deployId }
    const deploy =
      deployId === undefined
        ? await findDeploy(inputs, deps, api, triggeredAt, deadline)
        : await api.getDeploy(inputs.serviceId, deployId, deadline)
    return { deploy, deployId: deploy.id }
  }
  if (api === undefined) return {}
  io.info(
    `Triggering a deploy of ${inputs.serviceId}: ${requestedSource(inputs)}${inputs.clearCache ? ', clearing the build cache' : ''}`,
  )
  const created = await api.triggerDeploy(inputs.serviceId, triggerBody(inputs), deadline)
  if (created !== undefined) {
    io.info(`Render created deploy ${created.id} (${describeSource(created)})`)
    return { deploy: created, deployId: created.id }
  }
  io.info(
    "Render queued the deploy (HTTP 202, no deploy in the answer); looking it up in the service's deploys",
  )
  const deploy = await findDeploy(inputs, deps, api, triggeredAt, deadline)
  return { deploy, deployId: deploy.id }
}

/** Finds the deploy a 202 (or a hook without an id) started: first among queued deploys, then any. */
async function findDeploy(
  inputs: RenderDeployOptions,
  deps: TriggerDeps,
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
