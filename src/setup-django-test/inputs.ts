import { ConfigurationError, quote } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import { splitCommandLine } from '../lib/process/shell-words.js'
import { type Gate, type Parallel } from './commands.js'
import type { InstallMode } from './dependencies.js'
import { parseServiceUrl, type ServiceTarget } from './services.js'

export type TestRunner = 'auto' | 'pytest' | 'django'

export interface Inputs {
  /** What the composite asks setup-python for: auto (from the project's files), a version, or empty to skip it. */
  pythonVersion?: string
  /** A file setup-python reads the version from (relative to the workspace). */
  pythonVersionFile?: string
  python?: string
  workingDirectory?: string
  settingsModule?: string
  install: InstallMode
  requirements: string[]
  cache: boolean
  /** The database URL the tests get as DATABASE_URL (input, else the environment's). */
  databaseUrl?: string
  /**
   * Whether `databaseUrl` came from the input, and so is exported to the job's later steps as
   * an `env:` entry would be (one from the environment is theirs already).
   */
  exportDatabaseUrl: boolean
  services: ServiceTarget[]
  servicesTimeoutMs: number
  checks: Gate[]
  testRunner: TestRunner
  testArgs: string[]
  parallel: Parallel
  coverage: boolean
  coverageThreshold: number
  /** Fewer tests than this (skipped ones not counted) fail the step; 0 turns the check off. */
  minTests: number
  annotate: boolean
}

const INSTALL_MODES: InstallMode[] = ['auto', 'pip', 'poetry', 'pipenv', 'uv', 'none']
const GATES: Gate[] = ['check', 'migrations', 'deploy']

/**
 * Validates every input (and DATABASE_URL / REDIS_URL from the environment) before anything runs.
 * Takes a reader when a composing action names the inputs (InputReader's `names`).
 */
export function parseInputs(get: GetInput | InputReader, env: NodeJS.ProcessEnv = {}): Inputs {
  const input = get instanceof InputReader ? get : new InputReader(get)
  const databaseInput = input.optional('database-url')
  const databaseUrl = databaseInput ?? (env.DATABASE_URL?.trim() || undefined)
  const databaseSource = databaseInput !== undefined ? input.name('database-url') : undefined
  const services = serviceTargets(databaseUrl, databaseSource, env)
  const checks = parseChecks(input)
  const coverage = input.boolean('coverage', true)
  const coverageThreshold = input.number('coverage-threshold', 0, { min: 0, max: 100 })
  if (!coverage && coverageThreshold > 0) {
    // A threshold nothing measures would pass silently: say so instead of ignoring either input.
    throw new ConfigurationError(
      `Input '${input.name('coverage-threshold')}' is ${coverageThreshold}, but '${input.name('coverage')}' is false: turn coverage on or remove the threshold`,
    )
  }
  return {
    pythonVersion: input.optional('python-version'),
    pythonVersionFile: input.optional('python-version-file'),
    python: input.optional('python'),
    workingDirectory: input.optional('working-directory'),
    settingsModule: input.optional('settings-module'),
    install: input.choice('install', INSTALL_MODES, 'auto'),
    requirements: input.list('requirements'),
    cache: input.boolean('cache', true),
    databaseUrl,
    exportDatabaseUrl: databaseInput !== undefined,
    services,
    servicesTimeoutMs: input.duration('services-timeout', '60s'),
    checks,
    testRunner: input.choice('test-runner', ['auto', 'pytest', 'django'] as const, 'auto'),
    testArgs: splitCommandLine(input.optional('test-args') ?? '', `Input '${input.name('test-args')}'`),
    parallel: parseParallel(input.optional('parallel'), input.name('parallel')),
    coverage,
    coverageThreshold,
    minTests: wholeNumber(input.optional('min-tests'), input.name('min-tests'), 1),
    annotate: input.boolean('annotate', true),
  }
}

/** What to wait for: the database (from `input`, or DATABASE_URL when undefined) and REDIS_URL. */
function serviceTargets(
  databaseUrl: string | undefined,
  input: string | undefined,
  env: NodeJS.ProcessEnv,
): ServiceTarget[] {
  const services: ServiceTarget[] = []
  if (databaseUrl !== undefined)
    services.push(parseServiceUrl(databaseUrl, input ?? 'DATABASE_URL', 'database', env))
  const redisUrl = env.REDIS_URL?.trim()
  if (redisUrl) services.push(parseServiceUrl(redisUrl, 'REDIS_URL', 'redis'))
  return services
}

/** The gates, in their fixed order; none for `none`. */
function parseChecks(input: InputReader): Gate[] {
  const listed = input.list('checks').map((item) => item.toLowerCase())
  const checks = listed.length > 0 ? listed : ['check', 'migrations']
  const unknown = checks.filter((item) => !GATES.includes(item as Gate) && item !== 'none')
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `Input '${input.name('checks')}' must list check, migrations and/or deploy, or be none (got ${quote(unknown.join(', '))})`,
    )
  }
  return GATES.filter((gate) => checks.includes(gate))
}

function wholeNumber(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new ConfigurationError(`Input '${name}' must be a whole number, 0 or more (got ${quote(text)})`)
  return Number(text)
}

/** `false`, `true` (one worker per CPU), or a number of workers. */
function parseParallel(text: string | undefined, name: string): Parallel {
  if (text === undefined || text === 'false') return false
  if (text === 'true' || text === 'auto') return 'auto'
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 1024)
    return Number(text) === 1 ? false : Number(text)
  throw new ConfigurationError(
    `Input '${name}' must be true, false or a number of workers (got ${quote(text)})`,
  )
}
