import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'

/**
 * Sets an environment variable for the job's later steps, as @actions/core's exportVariable
 * does: a heredoc entry in the GITHUB_ENV file (with a delimiter the value cannot contain).
 * Outside a runner (no GITHUB_ENV) it does nothing: there are no later steps.
 */
export function exportToLaterSteps(env: NodeJS.ProcessEnv, name: string, value: string): void {
  const file = env.GITHUB_ENV
  if (!file) return
  const delimiter = `ghadelimiter_${randomUUID()}`
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
}
