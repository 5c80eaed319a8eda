import { formatDuration } from '../lib/duration.js'
import { ConfigurationError, quote } from '../lib/errors.js'
import { exclusive, InputReader, type GetInput } from '../lib/runner/inputs.js'
import { requireSecureUrl } from './endpoint.js'
import { parseDeployHook, type DeployHook } from './hook.js'

export interface Inputs {
  serviceId: string
  /** From `api-key`, else RENDER_API_KEY; needed for everything but a fire-and-forget hook call. */
  apiKey?: string
  hook?: DeployHook
  commitId?: string
  imageUrl?: string
  clearCache: boolean
  wait: boolean
  timeoutMs: number
  pollIntervalMs: number
  rollbackOnFailure: boolean
  /** The API base, without a trailing slash (`https://api.render.com/v1`). */
  apiUrl: string
}

const SERVICE_ID = /^(?:srv|crn)-[a-z0-9]+$/
const COMMIT_ID = /^[0-9a-f]{7,40}$/i

/** Reads and checks every input before any request is made. */
export function parseInputs(get: GetInput, env: NodeJS.ProcessEnv = {}): Inputs {
  const input = new InputReader(get)
  const apiKey = input.optional('api-key') ?? (env.RENDER_API_KEY?.trim() || undefined)
  const hookText = input.optional('deploy-hook-url')
  const hook = hookText === undefined ? undefined : parseDeployHook(hookText)
  if (apiKey === undefined && hook === undefined) {
    throw new ConfigurationError(
      "Set 'api-key' (or the RENDER_API_KEY environment variable) with 'service-id', or 'deploy-hook-url'",
    )
  }

  const serviceIdText = input.optional('service-id')
  if (serviceIdText !== undefined && !SERVICE_ID.test(serviceIdText)) {
    throw new ConfigurationError(
      `Input 'service-id' must be a Render service id like srv-abc123 (shown in the service's Settings; got ${quote(serviceIdText)})`,
    )
  }
  if (serviceIdText !== undefined && hook !== undefined && serviceIdText !== hook.serviceId) {
    throw new ConfigurationError(
      `Input 'service-id' (${serviceIdText}) is not the service of 'deploy-hook-url' (${hook.serviceId}): they must name the same service`,
    )
  }
  const serviceId = serviceIdText ?? hook?.serviceId
  if (serviceId === undefined) {
    throw new ConfigurationError("Input 'service-id' is required with 'api-key' (e.g. srv-abc123)")
  }

  exclusive(input, 'commit-id', 'image-url')
  const commitId = input.optional('commit-id')
  if (commitId !== undefined && !COMMIT_ID.test(commitId)) {
    throw new ConfigurationError(
      `Input 'commit-id' must be a git commit SHA (7 to 40 hex digits; got ${quote(commitId)})`,
    )
  }
  const imageUrl = input.optional('image-url')
  if (imageUrl !== undefined && /\s/.test(imageUrl)) {
    throw new ConfigurationError(
      `Input 'image-url' must be an image reference like ghcr.io/acme/web:1.2.3 (got ${quote(imageUrl)})`,
    )
  }
  const clearCache = input.boolean('clear-cache', false)
  if (hook !== undefined && commitId !== undefined) {
    throw new ConfigurationError(
      "Input 'commit-id' cannot be used with 'deploy-hook-url': a deploy hook deploys the branch's latest commit; use 'api-key' to deploy a specific commit",
    )
  }
  if (hook !== undefined && clearCache) {
    throw new ConfigurationError(
      "Input 'clear-cache' cannot be used with 'deploy-hook-url': a deploy hook cannot clear the build cache; use 'api-key' instead",
    )
  }

  const apiUrl = input.url('api-url') ?? new URL('https://api.render.com/v1')
  requireSecureUrl(apiUrl, 'api-url')
  if (apiUrl.search !== '' || apiUrl.hash !== '') {
    throw new ConfigurationError(
      `Input 'api-url' must be the API base URL without a query or fragment, like https://api.render.com/v1 (got ${quote(apiUrl.href)})`,
    )
  }

  const timeoutMs = input.duration('timeout', '30m')
  const pollIntervalMs = input.duration('poll-interval', '5s')
  if (pollIntervalMs > timeoutMs) {
    throw new ConfigurationError(
      `Input 'poll-interval' (${formatDuration(pollIntervalMs)}) must not be longer than 'timeout' (${formatDuration(timeoutMs)})`,
    )
  }
  const rollbackOnFailure = input.boolean('rollback-on-failure', false)
  if (rollbackOnFailure && apiKey === undefined) {
    throw new ConfigurationError(
      "Input 'rollback-on-failure' needs an API key ('api-key' or RENDER_API_KEY): a deploy hook cannot roll back",
    )
  }
  return {
    serviceId,
    apiKey,
    hook,
    commitId,
    imageUrl,
    clearCache,
    wait: input.boolean('wait', true),
    timeoutMs,
    pollIntervalMs,
    rollbackOnFailure,
    apiUrl: apiUrl.href.replace(/\/+$/, ''),
  }
}
