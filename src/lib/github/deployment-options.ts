import { ConfigurationError, quote } from '../errors.js'
import type { InputReader } from '../runner/inputs.js'
import type { ActionIO } from '../runner/io.js'
import { apiUrlFrom, githubClient } from './client.js'
import { finishDeployment, startDeployment, type DeploymentEnd, type DeploymentTarget } from './deployment.js'
import { runUrl } from './run-url.js'

/** A GitHub deployment to record, from `github-environment` and `github-token` (deployment.ts). */
export interface GitHubDeploymentOptions {
  token: string
  apiUrl: string
  target: Omit<DeploymentTarget, 'description'>
}

/**
 * Validates `github-environment` (read by the action, so its inputs stay where they are
 * declared) and reads `github-token`: undefined (nothing recorded, nothing requested) without an
 * environment. The commit is GITHUB_SHA and the repository GITHUB_REPOSITORY, as the
 * runner sets them; both are needed, and a token. Names come from the reader, so a composing
 * action's names appear in the messages.
 */
export function parseGitHubDeploymentOptions(
  reader: InputReader,
  env: NodeJS.ProcessEnv,
  environment: string | undefined,
): GitHubDeploymentOptions | undefined {
  if (environment === undefined) return undefined
  const name = reader.name('github-environment')
  if (environment.length > 255 || /[\r\n]/.test(environment))
    throw new ConfigurationError(
      `Input '${name}' must be a GitHub environment name of at most 255 characters on one line (got ${quote(environment.slice(0, 60))})`,
    )
  const token = reader.optional('github-token')
  if (token === undefined)
    throw new ConfigurationError(
      `Input '${name}' is set, but '${reader.name('github-token')}' is empty: a deployment needs a token with deployments: write (the default is the job's GITHUB_TOKEN)`,
    )
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const sha = env.GITHUB_SHA ?? ''
  if (owner === '' || repo === '' || !/^[0-9a-f]{40}$/i.test(sha))
    throw new ConfigurationError(
      `Input '${name}' needs GITHUB_REPOSITORY and GITHUB_SHA, which the runner sets (got ${quote(env.GITHUB_REPOSITORY ?? '')} and ${quote(sha)})`,
    )
  return { token, apiUrl: apiUrlFrom(env), target: { owner, repo, sha, environment, logUrl: runUrl(env) } }
}

/** How a deployment run ended, for its GitHub deployment; `ok: undefined` leaves it in progress (not waited for). */
export type GitHubDeploymentEnd = Omit<DeploymentEnd, 'ok'> & { ok: boolean | undefined }

/**
 * Runs a deployment inside a GitHub deployment when `options` asks for one: created with an
 * in_progress status before `deploy` starts, then success or failure from `end(result)` (or
 * failure when `deploy` throws, which is rethrown). Without options it only runs `deploy`.
 * Recording never changes the deployment's own outcome (deployment.ts warns instead).
 */
export async function withGitHubDeployment<R>(
  io: Pick<ActionIO, 'setSecret' | 'info' | 'debug' | 'warning'>,
  options: GitHubDeploymentOptions | undefined,
  description: string,
  deploy: () => Promise<R>,
  end: (result: R) => GitHubDeploymentEnd,
  client: typeof githubClient = githubClient,
): Promise<R> {
  if (!options) return deploy()
  const octokit = await client(io, { token: options.token, apiUrl: options.apiUrl })
  const target = { ...options.target, description }
  const record = await startDeployment(io, octokit, target)
  let result: R
  try {
    result = await deploy()
  } catch (error) {
    if (record)
      await finishDeployment(io, octokit, target, record, { ok: false, description: 'the deployment failed' })
    throw error
  }
  const ending = end(result)
  if (!record) return result
  if (ending.ok === undefined) io.info(`GitHub deployment ${record.id}: left in_progress (not waited for)`)
  else await finishDeployment(io, octokit, target, record, { ...ending, ok: ending.ok })
  return result
}
