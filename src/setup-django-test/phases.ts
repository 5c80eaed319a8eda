import { relative, resolve } from 'node:path'
import { formatDuration } from '../lib/duration.js'
import { OperationError } from '../lib/errors.js'
import { isWindows, type SetupDjangoTestPorts } from './deps.js'
import { installFailureMessage } from './install-errors.js'
import { installDependencies, type Installed } from './install-phase.js'
import type { SetupDjangoTestOptions } from './options.js'
import {
  installedModules,
  resolveInterpreter,
  versionMatches,
  type InstalledModules,
  type Interpreter,
} from './python-env.js'
import type { PhaseLine } from './report.js'
import { describeTarget } from './services.js'
import { runGates, type GateResult } from './gates.js'
import { repoPath, type RunContext } from './test-phase.js'
import { waitForServices } from './wait.js'

// The phases of a run before the tests, in order. Each logs as it goes and adds its line to the
// summary's phase table; an OperationError ends the run at that phase (run.ts reports it).

/** The resolved interpreter, with a warning when it is not the version the workflow asked for. */
export async function pythonPhase(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
  phases: PhaseLine[],
): Promise<Interpreter> {
  const interpreter = await resolveInterpreter(ports.exec, options.python, isWindows(ports))
  ports.io.info(`${interpreter.implementation} ${interpreter.version} at ${interpreter.executable}`)
  const asked = options.pythonRequest.version
  if (asked && options.python === undefined && !versionMatches(asked, interpreter.version)) {
    ports.io.warning(
      `python-version asked for ${asked}, but the interpreter on PATH is ${interpreter.version}`,
    )
  }
  phases.push({ phase: 'Python', ok: true, text: `${interpreter.version} (${interpreter.executable})` })
  return interpreter
}

/** Says what discovery found, and why, in the log and the summary. */
export function projectPhase(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
  phases: PhaseLine[],
): void {
  const { project } = options
  const where = project.prefix || '.'
  const { settings, dependencies } = project
  ports.io.info(`manage.py in ${where}; settings ${settings.module} (from ${settings.source})`)
  const dir = relative(ports.workspace, dependencies.dir).split('\\').join('/') || '.'
  ports.io.info(
    `Dependencies: ${dependencies.manager ?? 'none'} in ${dir} (${dependencies.reason}); pytest-django ${project.pytestDjango ? 'used' : 'not used'}`,
  )
  if (options.coverage) ports.io.info(`Coverage: ${project.coverage.why}`)
  phases.push({
    phase: 'Project',
    ok: true,
    text: `${where}, ${settings.module} (${settings.source}), ${dependencies.manager ?? 'no installer'}${project.pytestDjango ? ', pytest-django' : ''}`,
  })
}

/**
 * Installs the dependencies, then checks Django (and coverage.py when asked) is there.
 * `installed` hears about a successful install at once: a later failure (no Django) still
 * saves the cache the install filled.
 */
export async function installPhase(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
  python: Interpreter,
  env: NodeJS.ProcessEnv,
  phases: PhaseLine[],
  installed: (install: Installed) => void,
): Promise<InstalledModules> {
  const { dependencies } = options.project
  const manager = dependencies.manager
  let line = dependencies.reason
  if (manager !== undefined) {
    const install = await installDependencies(
      {
        io: ports.io,
        exec: ports.exec,
        fs: ports.fs,
        env,
        python: python.executable,
        cacheRoot: ports.cacheRoot,
        tempDir: ports.makeReportsDir(),
        cache: options.dependencyCache,
      },
      { ...dependencies, manager },
    )
    installed(install)
    line = install.line
  }
  const found = await ensureCoverage(ports, options, python, env, await ensureDjango(ports, options, python))
  ports.io.info(`Django ${found.django}`)
  phases.push({
    phase: 'Install',
    ok: true,
    skipped: manager === undefined,
    text: `${line}; Django ${found.django}`,
  })
  return found
}

async function ensureDjango(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
  python: Interpreter,
): Promise<InstalledModules> {
  const found = await installedModules(ports.exec, python.executable, options.project.dir)
  if (found.django === undefined) {
    throw new OperationError(
      `Django is not installed for ${python.executable}: add it to your requirements, or set 'install'`,
    )
  }
  return found
}

/** coverage.py, installed with pip when the run measures coverage and it is missing. */
async function ensureCoverage(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
  python: Interpreter,
  env: NodeJS.ProcessEnv,
  found: InstalledModules,
): Promise<InstalledModules> {
  if (!options.coverage || found.coverage) return found
  if (options.install === 'none')
    throw new OperationError(
      `coverage.py is not installed for ${python.executable} and 'install' is none: add coverage to your requirements or set 'coverage: false'`,
    )
  ports.io.info('coverage.py is not installed; installing it with pip')
  const cwd = options.project.dir
  const result = await ports.exec(python.executable, ['-m', 'pip', 'install', 'coverage'], { cwd, env })
  if (result.exitCode !== 0)
    throw new OperationError(
      installFailureMessage('pip install coverage', result.exitCode, `${result.stdout}\n${result.stderr}`),
    )
  return installedModules(ports.exec, python.executable, cwd)
}

/** Waits for the database (and Redis) in the URLs; SQLite needs nothing. */
export async function servicesPhase(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
  phases: PhaseLine[],
): Promise<void> {
  const waitable = options.services.filter((s) => s.kind !== 'sqlite')
  if (waitable.length === 0) {
    const text = options.services.length > 0 ? 'SQLite: nothing to wait for' : 'no DATABASE_URL or REDIS_URL'
    ports.io.info(text)
    phases.push({ phase: 'Services', ok: true, skipped: true, text })
    return
  }
  const waits = await waitForServices(waitable, options.servicesTimeoutMs, {
    probe: ports.probe,
    sleep: ports.sleep,
    now: ports.now,
    log: (line) => ports.io.info(line),
  })
  phases.push({
    phase: 'Services',
    ok: true,
    text: waits
      .map((w) => `${describeTarget(w.target)} ready after ${formatDuration(w.waitedMs)}`)
      .join('; '),
  })
}

/** Runs the gates (manage.py check, makemigrations --check, check --deploy) and says how they went. */
export async function checksPhase(
  ctx: RunContext,
  options: SetupDjangoTestOptions,
  phases: PhaseLine[],
): Promise<GateResult[]> {
  const gates = await runGates(ctx, options.checks)
  if (gates.length > 0) {
    phases.push({
      phase: 'Checks',
      ok: gates.every((g) => g.ok),
      text: gates.map((r) => `${r.gate} ${r.ok ? 'passed' : 'failed'}`).join(', '),
    })
  }
  return gates
}

/**
 * coverage.py names files relative to the folder it ran in (the project) when they are inside
 * it: the summary shows them relative to the repository, as the annotations are.
 */
export function coverageFileName(workspace: string, projectDir: string): (file: string) => string {
  return (file) => repoPath(workspace, resolve(projectDir, file)) ?? file
}
