import { existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, relative, resolve, sep } from 'node:path'
import { ConfigurationError } from '../lib/errors.js'
import type { Inputs } from './inputs.js'

export interface Paths {
  workspace: string
  context: string
  dockerfile: string
  /** The Dockerfile as annotations name it: relative to the workspace. */
  dockerfileShown: string
  trivyignore?: string
  /** The Trivy binary `trivy-path` names, resolved; undefined when Trivy is to be installed. */
  trivy?: string
  temp: string
}

/** A path relative to the workspace, or a bare command name looked up on PATH (`trivy`). */
function findExecutable(name: string, workspace: string, env: NodeJS.ProcessEnv): string | undefined {
  const direct = resolve(workspace, name)
  if (existsSync(direct)) return direct
  if (name.includes('/') || name.includes(sep)) return undefined
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((candidate) => existsSync(candidate) && statSync(candidate).isFile())
}

/** Checks every path the inputs name, before anything runs. */
export function resolvePaths(inputs: Inputs, env: NodeJS.ProcessEnv): Paths {
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd())
  const context = resolve(workspace, inputs.context)
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new ConfigurationError(`Input 'context' must be a directory (got '${inputs.context}', not found)`)
  }
  const dockerfile = resolve(workspace, inputs.dockerfile)
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    throw new ConfigurationError(
      `Dockerfile '${inputs.dockerfile}' not found; set 'dockerfile' to its path (relative to the workspace)`,
    )
  }
  let trivyignore: string | undefined
  if (inputs.trivyignore !== undefined) {
    trivyignore = resolve(workspace, inputs.trivyignore)
    if (!existsSync(trivyignore)) {
      throw new ConfigurationError(`Input 'trivyignore' names '${inputs.trivyignore}', which does not exist`)
    }
  } else if (existsSync(join(workspace, '.trivyignore'))) {
    trivyignore = join(workspace, '.trivyignore')
  }
  let trivy: string | undefined
  if (inputs.trivyPath !== undefined && inputs.scan) {
    trivy = findExecutable(inputs.trivyPath, workspace, env)
    if (trivy === undefined) {
      throw new ConfigurationError(
        `Input 'trivy-path' names '${inputs.trivyPath}', which is neither a file (relative to the workspace) nor a command on PATH`,
      )
    }
  }
  const shown = relative(workspace, dockerfile)
  return {
    workspace,
    context,
    dockerfile,
    dockerfileShown: shown.startsWith('..') ? dockerfile : shown,
    trivyignore,
    trivy,
    temp: env.RUNNER_TEMP || tmpdir(),
  }
}
