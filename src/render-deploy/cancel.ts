import { errorMessage } from '../lib/errors.js'
import type { Clock } from '../lib/poll.js'
import { redact } from '../lib/runner/secrets.js'
import { describeSource } from './deploy-lookup.js'
import type { RenderApi, RenderDeploy } from './render-api.js'
import type { Timeline } from './wait.js'

export interface CancelResult {
  /** True when Render reports the deploy canceled. */
  canceled: boolean
  /** The deploy's status after the cancel request, when known. */
  status?: string
  /** A sentence for the failure message. */
  message: string
}

export interface CancelDeps {
  now: Clock
  log: (line: string) => void
  timeline: Timeline
  secrets: readonly string[]
}

/** The wait's deadline has passed: canceling gets a budget of its own. */
const CANCEL_BUDGET_MS = 30_000

/** The deploy serving the service now (the newest live one), in words, or '' when none is. */
async function servingNow(
  api: RenderApi,
  serviceId: string,
  exceptId: string,
  deadline: number,
): Promise<string> {
  const live = (await api.listDeploys(serviceId, { status: 'live', limit: 5 }, deadline)).find(
    (d) => d.id !== exceptId,
  )
  return live === undefined ? '' : ` The service stays on deploy ${live.id} (${describeSource(live)}).`
}

/**
 * Cancels a deploy the wait gave up on (`cancel-on-timeout`), through CancelDeploy
 * (`POST /services/{id}/deploys/{deployId}/cancel`, render-oss/cli's pkg/client/client_gen.go), and
 * says which deploy the service stays on. Never throws: a cancel that fails is said.
 */
export async function cancelTimedOut(
  api: RenderApi,
  serviceId: string,
  deploy: RenderDeploy,
  deps: CancelDeps,
): Promise<CancelResult> {
  const deadline = deps.now() + CANCEL_BUDGET_MS
  deps.log(`Canceling deploy ${deploy.id} (cancel-on-timeout)`)
  try {
    const answered = await api.cancelDeploy(serviceId, deploy.id, deadline)
    const status = answered?.status ?? (await api.getDeploy(serviceId, deploy.id, deadline)).status
    deps.timeline.record(deploy.id, status)
    const serving = await servingNow(api, serviceId, deploy.id, deadline).catch(() => '')
    if (status === 'canceled')
      return { canceled: true, status, message: `Canceled deploy ${deploy.id} through the API.${serving}` }
    return {
      canceled: false,
      status,
      message: `Asked Render to cancel deploy ${deploy.id}; its status is now ${status}.${serving}`,
    }
  } catch (error) {
    const now = await api.getDeploy(serviceId, deploy.id, deadline).catch(() => undefined)
    const said = redact(errorMessage(error), deps.secrets)
    if (now !== undefined && now.status !== deploy.status) {
      // It finished between the last poll and the cancel (Render refuses to cancel a finished deploy).
      deps.timeline.record(deploy.id, now.status)
      return {
        canceled: now.status === 'canceled',
        status: now.status,
        message: `Deploy ${deploy.id} was not canceled: it ended ${now.status} just after the wait timed out (${said}).`,
      }
    }
    return {
      canceled: false,
      message: `Canceling deploy ${deploy.id} failed: ${said}; it may still finish on Render.`,
    }
  }
}
