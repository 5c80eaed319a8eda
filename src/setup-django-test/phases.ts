import { relative, resolve } from 'node:path'
import { formatDuration } from '../lib/duration.js'
import { OperationError } from '../lib/errors.js'
import { findCoverageConfig } from './coverage-config.js'
import type { Dependencies } from './dependencies.js'
import { installFailureMessage } from './install-errors.js'
import { installDependencies } from './install-phase.js'
import type { Inputs } from './inputs.js'
import type { Deps } from './main.js'
import {
  installedModules,
  resolveInterpreter,
  versionMatches,
  type InstalledModules,
  type Interpreter,
} from './python-env.js'
import { resolvePythonRequest, type PythonInputs } from './python-version.js'
import { dependencyCache } from './cache-state.js'
import type { SettingsModule } from './discovery.js'
import type { ProjectFs } from './project-fs.js'
import type { PhaseLine } from './report.js'
import { describeTarget } from './services.js'
import { repoPath } from './test-phase.js'
import { waitForServices } from './wait.js'

/** What discovery decided from the files alone, before any process ran. */
export interface Project {
  dir: string
  /** The project folder relative to the workspace (`''` at the root). */
  prefix: string
  settings: SettingsModule
  dependencies: Dependencies
  pytestDjango: boolean
  /** What coverage measures (see coverageScope). */
  coverage: { source?: string; why: string }
}

/** What the workflow asked of Python: the inputs python-version.ts resolves a version from. */
export function pythonInputs(inputs: Inputs): PythonInputs {
  return {
    pythonVersion: inputs.pythonVersion ?? '',
    pythonVersionFile: inputs.pythonVersionFile,
    python: inputs.python,
  }
}

export function isWindows(deps: Pick<Deps, 'platform'>): boolean {
  return deps.platform.os.toLowerCase().startsWith('win')
}

/** The resolved interpreter, with a warning when it is not the version the workflow asked for. */
export async function pythonPhase(
  deps: Deps,
  inputs: Inputs,
  project: Project,
  phases: PhaseLine[],
): Promise<Interpreter> {
  const interpreter = await resolveInterpreter(deps.exec, inputs.python, isWindows(deps))
  deps.io.info(`${interpreter.implementation} ${interpreter.version} at ${interpreter.executable}`)
  const asked = resolvePythonRequest(deps.fs, deps.workspace, project.dir, pythonInputs(inputs)).version
  if (asked && inputs.python === undefined && !versionMatches(asked, interpreter.version)) {
    deps.io.warning(
      `python-version asked for ${asked}, but the interpreter on PATH is ${interpreter.version}`,
    )
  }
  phases.push({ phase: 'Python', ok: true, text: `${interpreter.version} (${interpreter.executable})` })
  return interpreter
}

/** Says what discovery found, and why, in the log and the summary. */
export function projectPhase(deps: Deps, inputs: Inputs, project: Project, phases: PhaseLine[]): void {
  const where = project.prefix || '.'
  const { settings, dependencies } = project
  deps.io.info(`manage.py in ${where}; settings ${settings.module} (from ${settings.source})`)
  const dir = relative(deps.workspace, dependencies.dir).split('\\').join('/') || '.'
  deps.io.info(
    `Dependencies: ${dependencies.manager ?? 'none'} in ${dir} (${dependencies.reason}); pytest-django ${project.pytestDjango ? 'used' : 'not used'}`,
  )
  if (inputs.coverage) deps.io.info(`Coverage: ${project.coverage.why}`)
  phases.push({
    phase: 'Project',
    ok: true,
    text: `${where}, ${settings.module} (${settings.source}), ${dependencies.manager ?? 'no installer'}${project.pytestDjango ? ', pytest-django' : ''}`,
  })
}

/**
 * What coverage measures: what the project's coverage config says, else the project folder
 * (coverage.py's own default measures everything outside the standard library it sees run,
 * which on a system Python includes all of dist-packages).
 */
export function coverageScope(
  fs: ProjectFs,
  projectDir: string,
  env: NodeJS.ProcessEnv,
): { source?: string; why: string } {
  const config = findCoverageConfig(fs, projectDir, env)
  if (config?.choosesFiles) return { why: `what ${config.file} chooses (its source or include)` }
  return {
    source: '.',
    why: `the project folder (--source=.), since ${config ? `${config.file} sets no source or include` : 'the project has no coverage config'}`,
  }
}

/** Installs the dependencies, then checks Django (and coverage.py when asked) is there. */
export async function installPhase(
  deps: Deps,
  inputs: Inputs,
  project: Project,
  python: Interpreter,
  env: NodeJS.ProcessEnv,
  phases: PhaseLine[],
): Promise<InstalledModules> {
  const { dependencies } = project
  const manager = dependencies.manager
  let line = manager === undefined ? dependencies.reason : ''
  if (manager !== undefined) {
    line = await installDependencies(
      {
        io: deps.io,
        exec: deps.exec,
        fs: deps.fs,
        env,
        python: python.executable,
        cacheRoot: deps.cacheRoot,
        tempDir: deps.makeReportsDir(),
        cache: dependencyCache(deps.env, inputs.cache),
      },
      { ...dependencies, manager },
    )
  }
  let found = await installedModules(deps.exec, python.executable, project.dir)
  if (found.django === undefined) {
    throw new OperationError(
      `Django is not installed for ${python.executable}: add it to your requirements, or set 'install'`,
    )
  }
  if (inputs.coverage && !found.coverage) {
    if (inputs.install === 'none')
      throw new OperationError(
        `coverage.py is not installed for ${python.executable} and 'install' is none: add coverage to your requirements or set 'coverage: false'`,
      )
    deps.io.info('coverage.py is not installed; installing it with pip')
    const result = await deps.exec(python.executable, ['-m', 'pip', 'install', 'coverage'], {
      cwd: project.dir,
      env,
    })
    if (result.exitCode !== 0)
      throw new OperationError(
        installFailureMessage('pip install coverage', result.exitCode, `${result.stdout}\n${result.stderr}`),
      )
    found = await installedModules(deps.exec, python.executable, project.dir)
  }
  deps.io.info(`Django ${found.django}`)
  phases.push({
    phase: 'Install',
    ok: true,
    skipped: manager === undefined,
    text: `${line}; Django ${found.django}`,
  })
  return found
}

/** Waits for the database (and Redis) in the URLs; SQLite needs nothing. */
export async function servicesPhase(deps: Deps, inputs: Inputs, phases: PhaseLine[]): Promise<void> {
  const waitable = inputs.services.filter((s) => s.kind !== 'sqlite')
  if (waitable.length === 0) {
    const text = inputs.services.length > 0 ? 'SQLite: nothing to wait for' : 'no DATABASE_URL or REDIS_URL'
    deps.io.info(text)
    phases.push({ phase: 'Services', ok: true, skipped: true, text })
    return
  }
  const waits = await waitForServices(waitable, inputs.servicesTimeoutMs, {
    probe: deps.probe,
    sleep: deps.sleep,
    now: deps.now,
    log: (line) => deps.io.info(line),
  })
  phases.push({
    phase: 'Services',
    ok: true,
    text: waits
      .map((w) => `${describeTarget(w.target)} ready after ${formatDuration(w.waitedMs)}`)
      .join('; '),
  })
}

/**
 * coverage.py names files relative to the folder it ran in (the project) when they are inside
 * it: the summary shows them relative to the repository, as the annotations are.
 */
export function coverageFileName(deps: Deps, projectDir: string): (file: string) => string {
  return (file) => repoPath(deps.workspace, resolve(projectDir, file)) ?? file
}
