import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import type { LocalCacheStore } from '../cache-store.js'
import type { Manifest } from '../manifest.js'

/**
 * A third-party action replaced by a recording in-process stand-in. It declares the real action's
 * inputs (with their defaults), outputs, post step and post-if, so the runner model treats it as
 * that node action: same INPUT_* variables, same runtime credentials, same STATE_* in its post.
 */
export interface StandIn {
  /** The owner/repo[/path] it stands in for, the commit it models and that commit's version tag. */
  action: string
  sha: string
  version: string
  manifest: Manifest
  main(run: StandInRun): Promise<void>
  post?(run: StandInRun): Promise<void>
}

/** What the job offers stand-ins beyond their environment: a cache store, interpreters to "install". */
export interface StandInJob {
  workspace: string
  toolCache: string
  cacheStore?: LocalCacheStore
}

export interface StandInRun {
  stage: 'main' | 'post'
  /** The environment the runner built for this node step (INPUT_*, STATE_*, ACTIONS_*, GITHUB_*). */
  env: Record<string, string>
  io: StandInIO
  job: StandInJob
}

/** The parts of @actions/core a stand-in uses, over the step's own environment and files. */
export interface StandInIO {
  getInput(name: string, options?: { required?: boolean }): string
  getMultilineInput(name: string): string[]
  getBooleanInput(name: string): boolean
  getState(name: string): string
  info(message: string): void
  debug(message: string): void
  warning(message: string): void
  error(message: string): void
  setFailed(message: string): void
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  exportVariable(name: string, value: string): void
  addPath(dir: string): void
}

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

/**
 * @actions/core (packages/core/src/core.ts and file-command.ts) over an explicit environment:
 * getInput reads INPUT_<NAME> and trims, file commands append `name<<ghadelimiter_<uuid>` blocks.
 */
export function standInIO(env: Record<string, string>, out: { stdout: string; exitCode: number }): StandInIO {
  const line = (text: string) => void (out.stdout += `${text}\n`)
  const fileCommand = (variable: string, text: string) => {
    const file = env[variable]
    if (!file) throw new Error(`${variable} is not set for this step`)
    appendFileSync(file, `${text}\n`)
  }
  const keyValue = (variable: string, name: string, value: string) => {
    const delimiter = `ghadelimiter_${randomUUID()}`
    fileCommand(variable, `${name}<<${delimiter}\n${value}\n${delimiter}`)
  }
  const getInput = (name: string, options?: { required?: boolean }) => {
    const value = (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
    if (options?.required && !value) throw new Error(`Input required and not supplied: ${name}`)
    return value
  }
  return {
    getInput,
    getMultilineInput: (name) =>
      getInput(name)
        .split('\n')
        .filter((x) => x !== '')
        .map((x) => x.trim()),
    getBooleanInput: (name) => {
      const value = getInput(name)
      if (['true', 'True', 'TRUE'].includes(value)) return true
      if (['false', 'False', 'FALSE'].includes(value)) return false
      throw new TypeError(
        `Input does not meet YAML 1.2 "Core Schema" specification: ${name}\nSupport boolean input list: \`true | True | TRUE | false | False | FALSE\``,
      )
    },
    getState: (name) => env[`STATE_${name}`] ?? '',
    info: line,
    debug: (message) => line(`::debug::${escapeData(message)}`),
    warning: (message) => line(`::warning::${escapeData(message)}`),
    error: (message) => line(`::error::${escapeData(message)}`),
    setFailed: (message) => {
      out.exitCode = 1
      line(`::error::${escapeData(message)}`)
    },
    setOutput: (name, value) => keyValue('GITHUB_OUTPUT', name, value),
    saveState: (name, value) => keyValue('GITHUB_STATE', name, value),
    exportVariable: (name, value) => {
      env[name] = value
      keyValue('GITHUB_ENV', name, value)
    },
    addPath: (dir) => {
      fileCommand('GITHUB_PATH', dir)
      env.PATH = `${dir}:${env.PATH ?? ''}`
    },
  }
}
