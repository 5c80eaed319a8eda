import { join } from 'node:path'
import type { Manager } from './dependencies.js'
import { isWindows, type PlanPorts } from './deps.js'
import { cacheFolder, lockFilesHash } from './install.js'
import type { SetupDjangoTestOptions } from './options.js'
import { resolveInterpreter } from './python-env.js'

/** The dependency cache the composite's actions/cache steps keep (cache-state.ts says why there). */
export interface PlannedCache {
  /** The folder to restore and save. */
  path: string
  installer: Manager
  /** The part of the key that changes with what gets installed (lockFilesHash). */
  lockHash: string
  /** The interpreter's own version when setup-python is skipped: the key's Python version then. */
  interpreterVersion?: string
}

/** What the composite's later steps need, decided by its first step. */
export interface SetupDjangoTestPlan {
  /** Whether actions/setup-python runs, and with which version or version file. */
  setupPython: boolean
  pythonVersion?: string
  pythonVersionFile?: string
  /** undefined: no dependency cache (cache off, nothing to install, or no interpreter to key it on). */
  cache?: PlannedCache
  /** The cache keys of the base commit's coverage (pull requests) and this commit's (base-coverage.ts). */
  coverageRestoreKey?: string
  coverageSaveKey?: string
}

/** The plan step's outputs: exactly what action.yml reads as `steps.plan.outputs.*`. */
export type PlanOutput =
  | 'setup-python'
  | 'python-version'
  | 'python-version-file'
  | 'cache-path'
  | 'installer'
  | 'lock-hash'
  | 'interpreter-version'
  | 'coverage-base-key'
  | 'coverage-save-key'

/**
 * The composite's first step, after every input was validated and the project was found (so a
 * bad input fails before setup-python installs anything): what setup-python and the dependency
 * cache steps need. Says in the log what it chose.
 */
export async function planSetupDjangoTest(
  ports: PlanPorts,
  options: SetupDjangoTestOptions,
): Promise<SetupDjangoTestPlan> {
  const { io } = ports
  const request = options.pythonRequest
  for (const note of request.notes) io.warning(note)
  io.info(
    request.setupPython
      ? `Python: setup-python with ${request.version ?? request.file} (${request.source})`
      : `Python: the interpreter already there (${request.source})`,
  )
  return {
    setupPython: request.setupPython,
    pythonVersion: request.version,
    pythonVersionFile: request.file,
    cache: await planCache(ports, options),
    coverageRestoreKey: options.pullRequest.baseCoverage.restoreKey,
    coverageSaveKey: options.pullRequest.baseCoverage.saveKey,
  }
}

async function planCache(
  ports: PlanPorts,
  options: SetupDjangoTestOptions,
): Promise<PlannedCache | undefined> {
  const { io } = ports
  const { dependencies } = options.project
  const manager = dependencies.manager
  if (!options.cache || manager === undefined) {
    io.info(`Dependency cache: ${options.cache ? 'nothing to install' : 'off'}`)
    return undefined
  }
  let interpreterVersion: string | undefined
  if (!options.pythonRequest.setupPython) {
    try {
      interpreterVersion = (await resolveInterpreter(ports.exec, options.python, isWindows(ports))).version
    } catch {
      // The main step names the missing interpreter; without its version there is no cache key.
      io.info('Dependency cache: not used (no interpreter to key it on)')
      return undefined
    }
  }
  const files = dependencies.files.map((name) => ({
    name,
    text: ports.fs.readText(join(dependencies.dir, name)) ?? '',
  }))
  return {
    path: cacheFolder(ports.cacheRoot, manager),
    installer: manager,
    lockHash: lockFilesHash(files),
    interpreterVersion,
  }
}

/** The plan as step outputs; empty strings where there is nothing (no cache: `cache-path` ''). */
export function planOutputs(plan: SetupDjangoTestPlan): Record<PlanOutput, string> {
  return {
    'setup-python': String(plan.setupPython),
    'python-version': plan.pythonVersion ?? '',
    'python-version-file': plan.pythonVersionFile ?? '',
    'cache-path': plan.cache?.path ?? '',
    installer: plan.cache?.installer ?? '',
    'lock-hash': plan.cache?.lockHash ?? '',
    'interpreter-version': plan.cache?.interpreterVersion ?? '',
    'coverage-base-key': plan.coverageRestoreKey ?? '',
    'coverage-save-key': plan.coverageSaveKey ?? '',
  }
}
