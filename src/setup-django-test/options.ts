import type { ActionIO } from '../lib/runner/io.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import { maskSecret } from '../lib/runner/secrets.js'
import { dependencyCache, type DependencyCache } from './cache-state.js'
import type { ParseContext } from './deps.js'
import { parseInputs, type Inputs } from './inputs.js'
import { discoverProject, type Project } from './project.js'
import { resolvePythonRequest, type PythonRequest } from './python-version.js'
import { parsePullRequestOptions, type PullRequestOptions } from './pull-request-options.js'
import { passwordForms } from './services.js'

/** Everything a run (or the plan step) needs, validated and decided before any process runs. */
export interface SetupDjangoTestOptions extends Inputs {
  /** The project as its files describe it: folder, settings module, dependencies, coverage scope. */
  project: Project
  /** What the composite asks actions/setup-python for, and the version the run warns against. */
  pythonRequest: PythonRequest
  /** What the composite's actions/cache/restore step did (cache-state.ts). */
  dependencyCache: DependencyCache
  /** The comment, changed-line coverage and base coverage of a pull request's run. */
  pullRequest: PullRequestOptions
}

/**
 * Reads and validates every input, then the project's files: a bad input or a project that
 * cannot be told apart fails here, naming the input, before setup-python or anything else runs.
 * `names` maps this action's input names to a composing action's (InputReader).
 */
export function parseSetupDjangoTestOptions(
  get: GetInput,
  context: ParseContext,
  names: Readonly<Record<string, string>> = {},
): SetupDjangoTestOptions {
  const reader = new InputReader(get, names)
  const name = (input: string) => reader.name(input)
  const inputs = parseInputs(reader, context.env)
  const project = discoverProject(context, inputs, name)
  const python = {
    pythonVersion: inputs.pythonVersion ?? '',
    pythonVersionFile: inputs.pythonVersionFile,
    python: inputs.python,
  }
  return {
    ...inputs,
    project,
    pythonRequest: resolvePythonRequest(context.fs, context.workspace, project.dir, python, name),
    dependencyCache: dependencyCache(context.env, inputs.cache),
    pullRequest: parsePullRequestOptions(reader, context, inputs.coverage),
  }
}

/**
 * Masks the passwords of the database and Redis URLs (the input, DATABASE_URL, REDIS_URL) in
 * every form they can reach the log, and the GitHub token, before parsing: a validation error
 * must not be able to echo one.
 */
export function maskSetupDjangoTestSecrets(
  io: Pick<ActionIO, 'setSecret'>,
  get: GetInput,
  env: NodeJS.ProcessEnv,
  names: Readonly<Record<string, string>> = {},
): void {
  const reader = new InputReader(get, names)
  const urls = [reader.raw('database-url'), env.DATABASE_URL, env.REDIS_URL]
  for (const url of urls) {
    for (const form of passwordForms(url ?? '')) maskSecret(io, form)
  }
  maskSecret(io, reader.optional('github-token'))
}
