import type { ActionIO } from '../runner/io.js'
import type { Octokit } from './client.js'
import { describeFailure, githubFailure } from './errors.js'

/**
 * A GitHub deployment for what an action deployed: created for the commit in an environment,
 * then statuses in_progress → success (with environment_url) or failure, each with log_url =
 * the run's page (GitHub's REST API: POST /repos/{owner}/{repo}/deployments and
 * /deployments/{id}/statuses). Recording is a courtesy to reviewers: a failure to record is a
 * warning, never the deployment's failure.
 */

export interface DeploymentTarget {
  owner: string
  repo: string
  /** The commit deployed (GITHUB_SHA). */
  sha: string
  /** The GitHub environment, e.g. production or staging. */
  environment: string
  /** The run's page, for log_url. */
  logUrl: string
  /** Shown on the deployment, e.g. `render-deploy: srv-web`. */
  description: string
}

export interface DeploymentRecord {
  id: number
  /** The deployment's API URL. */
  url: string
}

export interface DeploymentEnd {
  ok: boolean
  /** The service's URL, for a success. */
  environmentUrl?: string
  /** Up to 140 characters (GitHub answers 422 beyond); longer text is cut. */
  description: string
}

type Io = Pick<ActionIO, 'info' | 'warning'>

/** GitHub's limit on a deployment status's description. */
export const MAX_STATUS_DESCRIPTION = 140

function cut(text: string): string {
  return text.length <= MAX_STATUS_DESCRIPTION ? text : `${text.slice(0, MAX_STATUS_DESCRIPTION - 1)}…`
}

/**
 * Creates the deployment and its in_progress status. `required_contexts: []`: GitHub would
 * otherwise check the commit's statuses, which include this very run's pending checks, and
 * answer 409; `auto_merge: false`: the commit deployed is the one given, never a merge.
 * Returns undefined (after a warning) when GitHub refused.
 */
export async function startDeployment(
  io: Io,
  octokit: Octokit,
  target: DeploymentTarget,
): Promise<DeploymentRecord | undefined> {
  const repo = { owner: target.owner, repo: target.repo }
  try {
    const { data, status } = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: target.sha,
      environment: target.environment,
      description: cut(target.description),
      auto_merge: false,
      required_contexts: [],
    })
    if (status !== 201 || !('id' in data)) {
      io.warning(`GitHub did not create a deployment in ${target.environment}: ${JSON.stringify(data)}`)
      return undefined
    }
    const record = { id: Number(data.id), url: data.url }
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: record.id,
      state: 'in_progress',
      log_url: target.logUrl,
      description: cut(target.description),
    })
    io.info(`GitHub deployment ${record.id} in ${target.environment}: in_progress`)
    return record
  } catch (error) {
    io.warning(notRecorded(target.environment, error))
    return undefined
  }
}

/** The final status: success with the environment's URL, or failure. */
export async function finishDeployment(
  io: Io,
  octokit: Octokit,
  target: DeploymentTarget,
  record: DeploymentRecord,
  end: DeploymentEnd,
): Promise<void> {
  const state = end.ok ? 'success' : 'failure'
  try {
    await octokit.rest.repos.createDeploymentStatus({
      owner: target.owner,
      repo: target.repo,
      deployment_id: record.id,
      state,
      log_url: target.logUrl,
      description: cut(end.description),
      ...(end.ok && end.environmentUrl ? { environment_url: end.environmentUrl } : {}),
    })
    io.info(`GitHub deployment ${record.id} in ${target.environment}: ${state}`)
  } catch (error) {
    io.warning(notRecorded(target.environment, error))
  }
}

function notRecorded(environment: string, error: unknown): string {
  const failure = githubFailure(error)
  const hint = failure.kind === 'denied' ? ' (the job needs `permissions: deployments: write`)' : ''
  return `The GitHub deployment in ${environment} could not be recorded: GitHub answered ${describeFailure(failure)}${hint}`
}
