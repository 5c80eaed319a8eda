import { existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { ConfigurationError } from '../lib/errors.js'
import type { Inputs } from './inputs.js'

export interface Paths {
  workspace: string
  context: string
  dockerfile: string
  /** The Dockerfile as annotations name it: relative to the workspace. */
  dockerfileShown: string
  trivyignore?: string
  temp: string
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
  if (inputs.trivyPath !== undefined && inputs.scan && !existsSync(resolve(workspace, inputs.trivyPath))) {
    throw new ConfigurationError(`Input 'trivy-path' names '${inputs.trivyPath}', which does not exist`)
  }
  const shown = relative(workspace, dockerfile)
  return {
    workspace,
    context,
    dockerfile,
    dockerfileShown: shown.startsWith('..') ? dockerfile : shown,
    trivyignore,
    temp: env.RUNNER_TEMP || tmpdir(),
  }
}
