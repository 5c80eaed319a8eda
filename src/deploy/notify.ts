import { errorMessage } from '../lib/errors.js'
import { isTransientHttp, retryAfterMs, type HttpResponse } from '../lib/http/client.js'
import { retry } from '../lib/retry.js'
import type { DeployPorts } from './deps.js'
import type { DeployOptions } from './options.js'
import type { DeployResult } from './result.js'

const TRIES = 3
const REQUEST_TIMEOUT_MS = 10_000

/** The service a run deployed, as a person reading the channel knows it. */
function serviceOf(options: DeployOptions): string {
  return options.target === 'ecs'
    ? `${options.deploy.services.join(', ')} (ECS cluster ${options.deploy.cluster})`
    : `${options.deploy.serviceId} (Render)`
}

/** The workflow run's page, from the runner's GITHUB_* variables; undefined outside a run. */
export function runLink(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server = 'https://github.com', GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env
  if (repo === undefined || id === undefined || repo === '' || id === '') return undefined
  const attempt = env.GITHUB_RUN_ATTEMPT
  return `${server}/${repo}/actions/runs/${id}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}`
}

/**
 * The one message of a run, as Slack's incoming webhooks take it (`{"text": …}`, which
 * Mattermost's accept too): the outcome, the service, the image, the commit and the run's link.
 */
export function notifyText(options: DeployOptions, result: DeployResult, env: NodeJS.ProcessEnv): string {
  const outcome =
    result.failure === undefined
      ? `✅ Deploy to ${serviceOf(options)} succeeded`
      : `❌ Deploy to ${serviceOf(options)} failed: ${result.failure}`
  const image = result.imageDeployed === '' ? 'built by Render from the repository' : result.imageDeployed
  const lines = [
    outcome,
    `Image: ${image}${result.origin === 'promoted' ? ' (promoted, not built here)' : ''}`,
    `Commit: ${env.GITHUB_SHA ?? 'unknown'}${env.GITHUB_REF_NAME ? ` (${env.GITHUB_REF_NAME})` : ''}`,
  ]
  if (result.status !== '') lines.push(`Status: ${result.status}`)
  const link = runLink(env)
  if (link !== undefined) lines.push(`Run: ${link}`)
  return lines.join('\n')
}

/** Why a webhook answer is worth another try (429, 5xx, no answer), else undefined. */
function retryable(outcome: { ok: true; value: HttpResponse } | { ok: false; error: unknown }, now: number) {
  if (outcome.ok) {
    const { status, headers } = outcome.value
    if (!isTransientHttp(status)) return undefined
    return { reason: `HTTP ${status}`, delayMs: retryAfterMs(headers, now) }
  }
  return isTransientHttp(outcome.error) ? { reason: errorMessage(outcome.error) } : undefined
}

/**
 * Posts the run's message to `notify-webhook` when asked (`notify-on`: always, or failure only).
 * Whatever the webhook does, the deploy's outcome stands: a failure here is a warning. The URL
 * is never printed (it is the credential).
 */
export async function notify(
  ports: DeployPorts,
  options: DeployOptions,
  result: DeployResult,
): Promise<void> {
  const { webhook, on } = options.notify
  if (webhook === undefined) return
  if (on === 'failure' && result.failure === undefined) return
  const body = JSON.stringify({ text: notifyText(options, result, ports.env) })
  const tried = await retry(
    () =>
      ports.http({
        url: webhook,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        timeoutMs: REQUEST_TIMEOUT_MS,
      }),
    {
      attempts: TRIES,
      backoff: { initialMs: 1000, maxMs: 5000, jitter: 0.2 },
      sleep: ports.sleep,
      now: ports.now,
      random: ports.random,
      retryable: (outcome) => retryable(outcome, ports.now()),
    },
  )
  const { outcome, attempts } = tried
  const tries = `${attempts} ${attempts === 1 ? 'try' : 'tries'}`
  if (outcome.ok && outcome.value.status >= 200 && outcome.value.status < 300) {
    ports.io.info(`Notified the webhook (${tries})`)
    return
  }
  const why = outcome.ok ? `HTTP ${outcome.value.status}` : errorMessage(outcome.error)
  ports.io.warning(`Could not notify the webhook after ${tries}: ${why}. The deploy's outcome is unchanged.`)
}
