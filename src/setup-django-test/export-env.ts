import { exportVariable } from '@actions/core'

/**
 * Sets an environment variable for the job's later steps through @actions/core's exportVariable
 * (a heredoc entry in the GITHUB_ENV file). Outside a runner (no GITHUB_ENV) it does nothing:
 * there are no later steps, and @actions/core would instead print a `::set-env` command, which
 * the runner has long refused, with the value (a DATABASE_URL and its password) in the log.
 */
export function exportToLaterSteps(env: NodeJS.ProcessEnv, name: string, value: string): void {
  if (!env.GITHUB_ENV) return
  exportVariable(name, value)
}
