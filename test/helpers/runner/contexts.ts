// The contexts a job's steps see and the environment variables the runner derives from them.
import { randomBytes } from 'node:crypto'
import type { Value } from './expressions.js'

/** github.* values a test may set; anything not given gets a plausible push-to-main default. */
export interface GitHubOptions {
  repository?: string
  sha?: string
  ref?: string
  event_name?: string
  /** The webhook payload; written to GITHUB_EVENT_PATH. */
  event?: Record<string, unknown>
  actor?: string
  run_id?: string
  run_number?: string
  run_attempt?: string
  server_url?: string
  api_url?: string
  graphql_url?: string
  token?: string
  workflow?: string
  job?: string
  head_ref?: string
  base_ref?: string
  [key: string]: unknown
}

/** runner.* values; the defaults are a hosted Ubuntu runner's. */
export interface RunnerOptions {
  os?: string
  arch?: string
  name?: string
  environment?: string
  temp?: string
  tool_cache?: string
  debug?: string
  workspace?: string
}

/**
 * What the runner holds to reach the Actions services. NodeScriptActionHandler.RunAsync hands
 * these to node action steps: ACTIONS_RUNTIME_URL/TOKEN always, ACTIONS_CACHE_URL and
 * ACTIONS_RESULTS_URL when the system connection has them, ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN
 * when the job may mint OIDC tokens (`permissions: id-token: write`), ACTIONS_CACHE_SERVICE_V2
 * when the service is v2.
 */
export interface RuntimeOptions {
  token?: string
  runtimeUrl?: string
  cacheUrl?: string
  resultsUrl?: string
  cacheServiceV2?: boolean
  idTokenUrl?: string
}

export function githubContext(
  options: GitHubOptions,
  workspace: string,
  eventPath: string,
): Record<string, Value> {
  const repository = options.repository ?? 'octo-org/octo-repo'
  const ref = options.ref ?? 'refs/heads/main'
  const refName = ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\/(\d+)\/merge$/, '$1/merge')
  const { event, ...rest } = options
  const values: Record<string, Value> = {
    action: '__self',
    actor: 'octocat',
    actor_id: '1',
    api_url: 'https://api.github.com',
    event_name: 'push',
    event_path: eventPath,
    graphql_url: 'https://api.github.com/graphql',
    head_ref: '',
    base_ref: '',
    job: 'test',
    ref,
    ref_name: refName,
    ref_protected: 'false',
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    repository,
    repository_id: '123456',
    repository_owner: repository.split('/')[0] ?? '',
    repository_owner_id: '654321',
    retention_days: '90',
    run_attempt: '1',
    run_id: '1000000001',
    run_number: '1',
    server_url: 'https://github.com',
    sha: 'a'.repeat(40),
    token: `ghs_${randomBytes(18).toString('hex')}`,
    triggering_actor: 'octocat',
    workflow: 'CI',
    workflow_ref: `${repository}/.github/workflows/ci.yml@${ref}`,
    workflow_sha: 'a'.repeat(40),
    workspace,
  }
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) values[key] = value as Value
  values.event = (event ?? { ref, repository: { full_name: repository } }) as Value
  return values
}

/** GitHubContext._contextEnvAllowlist (src/Runner.Worker/GitHubContext.cs): github.x -> GITHUB_X. */
const GITHUB_ENV_ALLOWLIST = new Set([
  'action_path',
  'action_ref',
  'action_repository',
  'action',
  'actor',
  'actor_id',
  'api_url',
  'artifacts',
  'artifacts_list',
  'base_ref',
  'env',
  'event_name',
  'event_path',
  'graphql_url',
  'head_ref',
  'job',
  'output',
  'path',
  'ref_name',
  'ref_protected',
  'ref_type',
  'ref',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'retention_days',
  'run_attempt',
  'run_id',
  'run_number',
  'server_url',
  'sha',
  'state',
  'step_summary',
  'triggering_actor',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'workspace',
])

/**
 * IEnvironmentContextData.GetRuntimeEnvironmentVariables, exported by both the node and the
 * script handler ("expose context to environment"): GitHubContext for its allowlist (so
 * github.token is never GITHUB_TOKEN), RunnerContext for every key.
 */
export function contextEnvironment(
  github: Record<string, Value>,
  runner: Record<string, Value>,
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(github)) {
    if (GITHUB_ENV_ALLOWLIST.has(key) && (typeof value === 'string' || typeof value === 'boolean'))
      env[`GITHUB_${key.toUpperCase()}`] = String(value)
  }
  for (const [key, value] of Object.entries(runner)) {
    if (typeof value === 'string') env[`RUNNER_${key.toUpperCase()}`] = value
  }
  return env
}

/** What a node action step gets: NodeScriptActionHandler.RunAsync ("Add Actions Runtime server info"). */
export function nodeRuntimeEnvironment(
  runtime: Required<Pick<RuntimeOptions, 'token' | 'runtimeUrl'>> & RuntimeOptions,
) {
  const env: Record<string, string> = {
    ACTIONS_RUNTIME_URL: runtime.runtimeUrl,
    ACTIONS_RUNTIME_TOKEN: runtime.token,
  }
  if (runtime.cacheUrl) env.ACTIONS_CACHE_URL = runtime.cacheUrl
  if (runtime.idTokenUrl) {
    env.ACTIONS_ID_TOKEN_REQUEST_URL = runtime.idTokenUrl
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = runtime.token
  }
  if (runtime.resultsUrl) env.ACTIONS_RESULTS_URL = runtime.resultsUrl
  if (runtime.cacheServiceV2) env.ACTIONS_CACHE_SERVICE_V2 = 'True'
  return env
}

/**
 * What a `run:` step gets: ScriptHandler.RunAsync adds only ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN
 * (actions/runner#1287, 2021) when the job may mint OIDC tokens; never ACTIONS_RUNTIME_TOKEN,
 * ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL (actions/runner#3046, actions/toolkit#852).
 */
export function scriptRuntimeEnvironment(
  runtime: RuntimeOptions & { token: string },
): Record<string, string> {
  return runtime.idTokenUrl
    ? { ACTIONS_ID_TOKEN_REQUEST_URL: runtime.idTokenUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: runtime.token }
    : {}
}

/** Variables the runner sets from its contexts or its connection: a job's env: cannot set them for a node step. */
export const RUNNER_OWNED =
  /^(GITHUB_|RUNNER_|ACTIONS_(RUNTIME_|RESULTS_URL|CACHE_URL|CACHE_SERVICE_V2|ID_TOKEN_)|INPUT_|STATE_)/
