import { formatDuration } from '../lib/duration.js'
import { ConfigurationError, quote } from '../lib/errors.js'
import {
  parseGitHubDeploymentOptions,
  type GitHubDeploymentOptions,
} from '../lib/github/deployment-options.js'
import { exclusive, InputReader, type GetInput } from '../lib/runner/inputs.js'
import { requireSecureUrl } from './endpoint.js'
import { parseDeployHook, type DeployHook } from './hook.js'

/** Everything a Render deploy needs, validated before any request. */
export interface RenderDeployOptions {
  serviceId: string
  /** From `api-key`, else RENDER_API_KEY; needed for everything but a fire-and-forget hook call. */
  apiKey?: string
  hook?: DeployHook
  commitId?: string
  /** The image to deploy; with `imageFromPipeline`, the caller fills it in before running. */
  imageUrl?: string
  clearCache: boolean
  wait: boolean
  timeoutMs: number
  pollIntervalMs: number
  rollbackOnFailure: boolean
  /** Cancel the deploy through the API when the wait times out (`cancel-on-timeout`). */
  cancelOnTimeout: boolean
  /** `build_and_deploy` (build the source, the default) or `deploy_only` (redeploy the last build). */
  deployMode: DeployMode
  /** The user's names of the inputs that run-time messages name (they differ under deploy). */
  inputNames: InputNames
  /** The API base, without a trailing slash (`https://api.render.com/v1`). */
  apiUrl: string
  /** The credentials in every form a message could carry them, to blank them out. */
  secrets: string[]
  /** The GitHub deployment to record (`github-environment`); undefined: none. */
  githubDeployment?: GitHubDeploymentOptions
}

export interface RenderDeployContext {
  /** The step's environment: RENDER_API_KEY stands in for `api-key`. */
  env: NodeJS.ProcessEnv
  /**
   * The image is built by an earlier phase of a composing action (deploy), which sets `imageUrl`
   * before running: `image-url` is not read, and `commit-id` cannot be used.
   */
  imageFromPipeline?: boolean
}

type Names = Readonly<Record<string, string>>

/** The `deployMode` enum of render-oss/cli's pkg/client/types_gen.go (DeployMode). */
export const DEPLOY_MODES = ['build_and_deploy', 'deploy_only'] as const
export type DeployMode = (typeof DEPLOY_MODES)[number]

/** Inputs named by messages built after parsing (a cron job's commit-id, a timeout's advice). */
export interface InputNames {
  commitId: string
  timeout: string
  cancelOnTimeout: string
}

const SERVICE_ID = /^(?:srv|crn)-[a-z0-9]+$/
const COMMIT_ID = /^[0-9a-f]{7,40}$/i

/**
 * The secrets among the raw inputs, to mask before anything is parsed: the API key (input and
 * RENDER_API_KEY), the hook URL as written and as parsed, and the hook's `key`.
 */
export function renderDeploySecrets(get: GetInput, env: NodeJS.ProcessEnv, names?: Names): string[] {
  const input = new InputReader(get, names)
  const secrets = [
    input.optional('api-key') ?? '',
    env.RENDER_API_KEY?.trim() ?? '',
    input.optional('github-token') ?? '',
  ]
  const hook = input.optional('deploy-hook-url')
  if (hook !== undefined) {
    secrets.push(hook)
    try {
      const url = new URL(hook)
      secrets.push(url.href, url.searchParams.get('key') ?? '')
    } catch {
      // not a URL: masked whole above; parsing explains without echoing it
    }
  }
  return [...new Set(secrets.filter((secret) => secret !== ''))]
}

/** The API key or the deploy hook (one of them is needed). */
function credentials(input: InputReader, env: NodeJS.ProcessEnv): { apiKey?: string; hook?: DeployHook } {
  const apiKey = input.optional('api-key') ?? (env.RENDER_API_KEY?.trim() || undefined)
  const hookText = input.optional('deploy-hook-url')
  const hook = hookText === undefined ? undefined : parseDeployHook(hookText, input.name('deploy-hook-url'))
  if (apiKey === undefined && hook === undefined) {
    throw new ConfigurationError(
      `Set '${input.name('api-key')}' (or the RENDER_API_KEY environment variable) with '${input.name('service-id')}', or '${input.name('deploy-hook-url')}'`,
    )
  }
  return { apiKey, hook }
}

/** `service-id`, or the service of the hook; both must agree when both are given. */
function serviceIdOf(input: InputReader, hook: DeployHook | undefined): string {
  const name = input.name('service-id')
  const text = input.optional('service-id')
  if (text !== undefined && !SERVICE_ID.test(text)) {
    throw new ConfigurationError(
      `Input '${name}' must be a Render service id like srv-abc123 (shown in the service's Settings; got ${quote(text)})`,
    )
  }
  if (text !== undefined && hook !== undefined && text !== hook.serviceId) {
    throw new ConfigurationError(
      `Input '${name}' (${text}) is not the service of '${input.name('deploy-hook-url')}' (${hook.serviceId}): they must name the same service`,
    )
  }
  const serviceId = text ?? hook?.serviceId
  if (serviceId === undefined) {
    throw new ConfigurationError(
      `Input '${name}' is required with '${input.name('api-key')}' (e.g. srv-abc123)`,
    )
  }
  return serviceId
}

/** What to deploy: a commit, an image (or the one the pipeline builds), and whether to clear the cache. */
function sourceOf(
  input: InputReader,
  hook: DeployHook | undefined,
  context: RenderDeployContext,
): Pick<RenderDeployOptions, 'commitId' | 'imageUrl' | 'clearCache'> {
  if (context.imageFromPipeline && input.optional('image-url') !== undefined) {
    throw new ConfigurationError(
      `Input '${input.name('image-url')}' cannot be set here: the image is the one this workflow step builds`,
    )
  }
  exclusive(input, 'commit-id', 'image-url')
  const commitId = input.optional('commit-id')
  if (commitId !== undefined && !COMMIT_ID.test(commitId)) {
    throw new ConfigurationError(
      `Input '${input.name('commit-id')}' must be a git commit SHA (7 to 40 hex digits; got ${quote(commitId)})`,
    )
  }
  if (context.imageFromPipeline && commitId !== undefined) {
    throw new ConfigurationError(
      `Input '${input.name('commit-id')}' cannot be used with an image this workflow step builds: a commit is built by Render`,
    )
  }
  const imageUrl = input.optional('image-url')
  if (imageUrl !== undefined && /\s/.test(imageUrl)) {
    throw new ConfigurationError(
      `Input '${input.name('image-url')}' must be an image reference like ghcr.io/acme/web:1.2.3 (got ${quote(imageUrl)})`,
    )
  }
  const clearCache = input.boolean('clear-cache', false)
  const hookName = input.name('deploy-hook-url')
  if (hook !== undefined && commitId !== undefined) {
    throw new ConfigurationError(
      `Input '${input.name('commit-id')}' cannot be used with '${hookName}': a deploy hook deploys the branch's latest commit; use '${input.name('api-key')}' to deploy a specific commit`,
    )
  }
  if (hook !== undefined && clearCache) {
    throw new ConfigurationError(
      `Input '${input.name('clear-cache')}' cannot be used with '${hookName}': a deploy hook cannot clear the build cache; use '${input.name('api-key')}' instead`,
    )
  }
  return { commitId, imageUrl, clearCache }
}

/** `api-url` without a trailing slash: https, or http only on the loopback interface (tests). */
function apiUrlOf(input: InputReader): string {
  const apiUrl = input.url('api-url') ?? new URL('https://api.render.com/v1')
  requireSecureUrl(apiUrl, input.name('api-url'))
  if (apiUrl.search !== '' || apiUrl.hash !== '') {
    throw new ConfigurationError(
      `Input '${input.name('api-url')}' must be the API base URL without a query or fragment, like https://api.render.com/v1 (got ${quote(apiUrl.href)})`,
    )
  }
  return apiUrl.href.replace(/\/+$/, '')
}

function timingOf(input: InputReader): Pick<RenderDeployOptions, 'timeoutMs' | 'pollIntervalMs'> {
  const timeoutMs = input.duration('timeout', '30m')
  const pollIntervalMs = input.duration('poll-interval', '5s')
  if (pollIntervalMs > timeoutMs) {
    throw new ConfigurationError(
      `Input '${input.name('poll-interval')}' (${formatDuration(pollIntervalMs)}) must not be longer than '${input.name('timeout')}' (${formatDuration(timeoutMs)})`,
    )
  }
  return { timeoutMs, pollIntervalMs }
}

/** `deploy-mode`: deploy_only redeploys the last build, so nothing that makes a build goes with it. */
function deployModeOf(
  input: InputReader,
  source: Pick<RenderDeployOptions, 'commitId' | 'imageUrl' | 'clearCache'>,
  hook: DeployHook | undefined,
  context: RenderDeployContext,
): DeployMode {
  const mode = input.choice('deploy-mode', DEPLOY_MODES, 'build_and_deploy')
  if (mode !== 'deploy_only') return mode
  const clash =
    source.commitId !== undefined
      ? 'commit-id'
      : source.imageUrl !== undefined && !context.imageFromPipeline
        ? 'image-url'
        : source.clearCache
          ? 'clear-cache'
          : undefined
  const name = input.name('deploy-mode')
  if (clash !== undefined) {
    throw new ConfigurationError(
      `Input '${input.name(clash)}' cannot be used with '${name}: deploy_only', which redeploys the service's last build without building (got '${input.name(clash)}' set)`,
    )
  }
  if (context.imageFromPipeline) {
    throw new ConfigurationError(
      `Input '${name}' cannot be deploy_only here: this workflow step builds an image to deploy (got ${quote(mode)})`,
    )
  }
  if (hook !== undefined) {
    throw new ConfigurationError(
      `Input '${name}: deploy_only' needs an API key ('${input.name('api-key')}'): a deploy hook always builds (got '${input.name('deploy-hook-url')}')`,
    )
  }
  return mode
}

/** `cancel-on-timeout`: cancelling goes through the API, so it needs the key and a wait. */
function cancelOnTimeoutOf(input: InputReader, apiKey: string | undefined): boolean {
  const cancel = input.boolean('cancel-on-timeout', false)
  if (cancel && apiKey === undefined) {
    throw new ConfigurationError(
      `Input '${input.name('cancel-on-timeout')}' needs an API key ('${input.name('api-key')}' or RENDER_API_KEY): a deploy hook cannot cancel a deploy`,
    )
  }
  return cancel
}

/**
 * Reads and checks every input before any request is made. `names` maps render-deploy's input
 * names to a composing action's, for reads and messages.
 */
export function parseRenderDeployOptions(
  get: GetInput,
  context: RenderDeployContext,
  names?: Names,
): RenderDeployOptions {
  const input = new InputReader(get, names)
  const { apiKey, hook } = credentials(input, context.env)
  const serviceId = serviceIdOf(input, hook)
  const source = sourceOf(input, hook, context)
  const apiUrl = apiUrlOf(input)
  const timing = timingOf(input)
  const rollbackOnFailure = input.boolean('rollback-on-failure', false)
  if (rollbackOnFailure && apiKey === undefined) {
    throw new ConfigurationError(
      `Input '${input.name('rollback-on-failure')}' needs an API key ('${input.name('api-key')}' or RENDER_API_KEY): a deploy hook cannot roll back`,
    )
  }
  const wait = input.boolean('wait', true)
  const deployMode = deployModeOf(input, source, hook, context)
  const cancelOnTimeout = cancelOnTimeoutOf(input, apiKey)
  const inputNames = {
    commitId: input.name('commit-id'),
    timeout: input.name('timeout'),
    cancelOnTimeout: input.name('cancel-on-timeout'),
  }
  const secrets = renderDeploySecrets(get, context.env, names)
  const githubDeployment = parseGitHubDeploymentOptions(
    input,
    context.env,
    input.optional('github-environment'),
  )
  return {
    serviceId,
    apiKey,
    hook,
    ...source,
    wait,
    ...timing,
    rollbackOnFailure,
    cancelOnTimeout,
    deployMode,
    inputNames,
    apiUrl,
    secrets,
    githubDeployment,
  }
}
