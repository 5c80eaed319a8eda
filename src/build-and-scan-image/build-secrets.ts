import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigurationError, quote } from '../lib/errors.js'
import { parseLines } from '../lib/list.js'
import type { ActionIO } from '../lib/runner/io.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import { maskSecret } from '../lib/runner/secrets.js'

/**
 * Build secrets and SSH agents for BuildKit (`RUN --mount=type=secret` / `type=ssh`): the values
 * reach the builder through its environment or a file the user names, never its argv, so they
 * are in neither the log nor the image, its history or its labels. docker/build-push-action's
 * `secrets`, `secret-files`, `secret-envs` and `ssh` inputs, in the same shapes.
 */
export interface BuildSecrets {
  /** `secrets`: id=value; the value travels in the builder's environment. */
  values: { id: string; value: string }[]
  /** `secret-files`: id=path, resolved against the workspace. */
  files: { id: string; path: string }[]
  /** `secret-envs`: id=ENV_NAME of this step's environment. */
  envs: { id: string; env: string }[]
  /** `ssh`: `default` (the agent at SSH_AUTH_SOCK) or id=path[,path] (agent sockets or keys). */
  ssh: { id: string; paths: string[] }[]
}

const ID = /^[A-Za-z0-9_.-]+$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export const noSecrets = (): BuildSecrets => ({ values: [], files: [], envs: [], ssh: [] })

export function hasSecrets(secrets: BuildSecrets): boolean {
  return secrets.values.length + secrets.files.length + secrets.envs.length + secrets.ssh.length > 0
}

/** `id=rest` lines; a bad line is named by number, never by its text (it may hold the value). */
function idLines(text: string, inputName: string, shape: string): { id: string; rest: string }[] {
  const entries: { id: string; rest: string }[] = []
  const seen = new Set<string>()
  const lines = text.split(/\r?\n/)
  lines.forEach((line, index) => {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const eq = trimmed.indexOf('=')
    const id = eq > 0 ? trimmed.slice(0, eq).trim() : ''
    if (!ID.test(id) || eq === trimmed.length - 1) {
      throw new ConfigurationError(
        `Input '${inputName}' line ${index + 1} must be ${shape} (an id of letters, digits, '_', '.' or '-'); the line is not shown, it may hold a secret`,
      )
    }
    if (seen.has(id)) {
      throw new ConfigurationError(`Input '${inputName}' names secret id ${quote(id)} twice`)
    }
    seen.add(id)
    entries.push({ id, rest: trimmed.slice(eq + 1) })
  })
  return entries
}

/** Masks every secret value before anything runs: the `secrets` values and the variables `secret-envs` names. */
export function maskBuildSecrets(
  io: Pick<ActionIO, 'setSecret'>,
  get: GetInput,
  env: NodeJS.ProcessEnv,
  names?: Readonly<Record<string, string>>,
): void {
  const input = new InputReader(get, names)
  for (const line of (input.raw('secrets') ?? '').split(/\r?\n/)) {
    const eq = line.indexOf('=')
    if (eq > 0) maskSecret(io, line.slice(eq + 1).trim())
  }
  for (const line of parseLines(input.raw('secret-envs') ?? '')) {
    const name = line.slice(line.indexOf('=') + 1).trim()
    if (ENV_NAME.test(name)) maskSecret(io, env[name])
  }
}

/** Resolves a path against the workspace; it must exist. */
function existing(path: string, workspace: string, inputName: string, id: string): string {
  const resolved = resolve(workspace, path)
  if (!existsSync(resolved)) {
    throw new ConfigurationError(
      `Input '${inputName}' entry ${quote(id)} names '${path}', which does not exist (paths are relative to the workspace)`,
    )
  }
  return resolved
}

function parseSsh(input: InputReader, workspace: string, env: NodeJS.ProcessEnv): BuildSecrets['ssh'] {
  const name = input.name('ssh')
  return input.lines('ssh').map((line) => {
    const eq = line.indexOf('=')
    const id = (eq < 0 ? line : line.slice(0, eq)).trim()
    if (!ID.test(id)) {
      throw new ConfigurationError(
        `Input '${name}' entry ${quote(line)} must be 'default' or id=path[,path] (an agent socket or key file)`,
      )
    }
    const paths =
      eq < 0
        ? []
        : line
            .slice(eq + 1)
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean)
    if (paths.length === 0 && !env.SSH_AUTH_SOCK) {
      throw new ConfigurationError(
        `Input '${name}' entry ${quote(id)} uses the SSH agent, but SSH_AUTH_SOCK is not set: start an agent first (e.g. webfactory/ssh-agent) or give id=path to a key`,
      )
    }
    return { id, paths: paths.map((p) => existing(p, workspace, name, id)) }
  })
}

/** Reads and checks the four inputs, before anything runs; `workspace` resolves the paths. */
export function parseBuildSecrets(
  input: InputReader,
  workspace: string,
  env: NodeJS.ProcessEnv,
): BuildSecrets {
  const values = idLines(input.raw('secrets') ?? '', input.name('secrets'), 'id=value').map(
    ({ id, rest }) => ({ id, value: rest.trim() }),
  )
  const fileName = input.name('secret-files')
  const files = idLines(input.raw('secret-files') ?? '', fileName, 'id=path').map(({ id, rest }) => ({
    id,
    path: existing(rest.trim(), workspace, fileName, id),
  }))
  const envName = input.name('secret-envs')
  const envs = idLines(input.raw('secret-envs') ?? '', envName, 'id=ENV_NAME').map(({ id, rest }) => {
    const name = rest.trim()
    if (!ENV_NAME.test(name)) {
      throw new ConfigurationError(`Input '${envName}' entry ${quote(id)} must name an environment variable`)
    }
    if (env[name] === undefined) {
      throw new ConfigurationError(
        `Input '${envName}' entry ${quote(id)} names ${name}, which is not set in this step's environment`,
      )
    }
    return { id, env: name }
  })
  const ids = [...values, ...files, ...envs].map((entry) => entry.id)
  const twice = ids.find((id, index) => ids.indexOf(id) !== index)
  if (twice !== undefined) {
    throw new ConfigurationError(
      `Secret id ${quote(twice)} is given more than once across '${input.name('secrets')}', '${fileName}' and '${envName}'`,
    )
  }
  return { values, files, envs, ssh: parseSsh(input, workspace, env) }
}

/** The environment variable a `secrets` value travels in to the builder. */
const valueEnv = (index: number) => `DEVOPS_ACTIONS_BUILD_SECRET_${index}`

/** The builder's `--secret` / `--ssh` arguments (ids, variable names and paths only) and the variables they read. */
export function secretArgs(secrets: BuildSecrets): { argv: string[]; env: Record<string, string> } {
  const argv: string[] = []
  const env: Record<string, string> = {}
  secrets.values.forEach(({ id, value }, index) => {
    env[valueEnv(index)] = value
    argv.push('--secret', `id=${id},env=${valueEnv(index)}`)
  })
  for (const { id, path } of secrets.files) argv.push('--secret', `id=${id},src=${path}`)
  for (const { id, env: name } of secrets.envs) argv.push('--secret', `id=${id},env=${name}`)
  for (const { id, paths } of secrets.ssh)
    argv.push('--ssh', paths.length > 0 ? `${id}=${paths.join(',')}` : id)
  return { argv, env }
}
