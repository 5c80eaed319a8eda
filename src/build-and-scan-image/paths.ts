import { existsSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { ConfigurationError } from '../lib/errors.js'
import type { InputReader } from '../lib/runner/inputs.js'
import { resolveTrivyPath } from '../lib/trivy/binary.js'
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

/** Where paths resolve: the runner's environment, and the process's folders outside a runner. */
export interface PathContext {
  env: NodeJS.ProcessEnv
  /** The working directory, when GITHUB_WORKSPACE is not set. */
  cwd: string
  /** The temp dir, when RUNNER_TEMP is not set. */
  tempDir: string
}

function ignoreFile(inputs: Inputs, workspace: string, input: InputReader): string | undefined {
  if (inputs.trivyignore !== undefined) {
    const path = resolve(workspace, inputs.trivyignore)
    if (!existsSync(path)) {
      throw new ConfigurationError(
        `Input '${input.name('trivyignore')}' names '${inputs.trivyignore}', which does not exist`,
      )
    }
    return path
  }
  const found = join(workspace, '.trivyignore')
  return existsSync(found) ? found : undefined
}

/** Checks every path the inputs name, before anything runs; `input` names them in messages. */
export function resolvePaths(inputs: Inputs, context: PathContext, input: InputReader): Paths {
  const { env } = context
  const workspace = resolve(env.GITHUB_WORKSPACE || context.cwd)
  const contextDir = resolve(workspace, inputs.context)
  if (!existsSync(contextDir) || !statSync(contextDir).isDirectory()) {
    throw new ConfigurationError(
      `Input '${input.name('context')}' must be a directory (got '${inputs.context}', not found)`,
    )
  }
  const dockerfile = resolve(workspace, inputs.dockerfile)
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    throw new ConfigurationError(
      `Dockerfile '${inputs.dockerfile}' not found; set '${input.name('dockerfile')}' to its path (relative to the workspace)`,
    )
  }
  const trivyignore = ignoreFile(inputs, workspace, input)
  const trivy =
    inputs.trivyPath !== undefined && inputs.scan
      ? resolveTrivyPath(inputs.trivyPath, workspace, env, input.name('trivy-path'))
      : undefined
  const shown = relative(workspace, dockerfile)
  return {
    workspace,
    context: contextDir,
    dockerfile,
    dockerfileShown: shown.startsWith('..') ? dockerfile : shown,
    trivyignore,
    trivy,
    temp: env.RUNNER_TEMP || context.tempDir,
  }
}
