import { mkdtempSync } from 'node:fs'
import { arch, homedir, platform, tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { actionsCore, type ActionIO } from '../lib/core.js'
import { formatDuration } from '../lib/duration.js'
import { OperationError } from '../lib/errors.js'
import { exec as realExec, type Exec } from '../lib/exec.js'
import { runGuarded } from '../lib/failure.js'
import { envInput, type GetInput } from '../lib/inputs.js'
import { realSleep, type Clock, type Sleep } from '../lib/poll.js'
import { maskSecret } from '../lib/secrets.js'
import { dependencyCache } from './cache-state.js'
import { detectDependencies, usesPytestDjango } from './dependencies.js'
import { findProjectDir, findSettingsModule } from './discovery.js'
import { parseInputs } from './inputs.js'
import { installDependencies } from './install-phase.js'
import { planSteps } from './plan-phase.js'
import { netProbe, type Probe } from './probe.js'
import { hasCoverageConfig } from './coverage-config.js'
import { nodeProjectFs, type ProjectFs } from './project-fs.js'
import { installedModules, resolveInterpreter, versionMatches } from './python-env.js'
import { resolvePythonRequest } from './python-version.js'
import type { PhaseLine } from './report.js'
import { reportResults } from './report-phase.js'
import { exportToLaterSteps } from './export-env.js'
import { describeTarget } from './services.js'
import { runGates, runTests } from './test-phase.js'
import { waitForServices } from './wait.js'

/**
 * The shipped Python module's folder beside the bundle (dist/setup-django-test/python/, copied
 * there by the build). Named through a variable so the bundler does not try to inline it.
 */
const PYTHON_FOLDER = ['python'].join('')

export interface Deps {
  io: ActionIO
  getInput: GetInput
  env: NodeJS.ProcessEnv
  exec: Exec
  fs: ProjectFs
  probe: Probe
  /**
   * plan: the composite's first step (validate, then say what setup-python and the cache steps
   * need); main: everything else (`node index.js plan` / `node index.js`).
   */
  phase: 'plan' | 'main'
  sleep: Sleep
  now: Clock
  /** The repository checkout: where manage.py is searched and annotation paths start. */
  workspace: string
  /** A fresh folder for the JUnit and coverage reports. */
  makeReportsDir: () => string
  /** The folder holding the shipped Python test-runner module. */
  pythonModules: string
  cacheRoot: string
  platform: { os: string; arch: string }
  /** Sets a variable for the job's later steps (GITHUB_ENV). */
  exportVariable: (name: string, value: string) => void
}

export function defaultDeps(): Deps {
  const env = process.env
  const temp = env.RUNNER_TEMP || tmpdir()
  return {
    io: actionsCore(),
    getInput: envInput(),
    env,
    exec: realExec,
    fs: nodeProjectFs,
    probe: netProbe,
    phase: process.argv[2] === 'plan' ? 'plan' : 'main',
    sleep: realSleep,
    now: Date.now,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    makeReportsDir: () => mkdtempSync(join(temp, 'setup-django-test-')),
    pythonModules: join(dirname(fileURLToPath(import.meta.url)), PYTHON_FOLDER),
    cacheRoot: join(homedir(), '.cache', 'setup-django-test'),
    platform: { os: env.RUNNER_OS || platform(), arch: arch() },
    exportVariable: (name, value) => exportToLaterSteps(env, name, value),
  }
}

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  const { io, fs } = deps
  await runGuarded(io, async () => {
    // Mask before parsing: a validation error must not be able to echo a database password.
    for (const url of [
      deps.getInput('database-url'),
      deps.env.DATABASE_URL ?? '',
      deps.env.REDIS_URL ?? '',
    ]) {
      const password = /^[a-z0-9+.-]+:\/\/[^:/@]*:([^@]+)@/i.exec(url.trim())?.[1]
      if (password) {
        maskSecret(io, password)
        if (safeDecode(password) !== password) maskSecret(io, safeDecode(password))
      }
    }
    const inputs = parseInputs(deps.getInput, deps.env)
    // Everything that can be decided from files is decided before any process runs.
    const projectDir = findProjectDir(fs, deps.workspace, inputs.workingDirectory)
    const prefix = relative(deps.workspace, projectDir).split('\\').join('/')
    const settings = findSettingsModule(
      fs,
      projectDir,
      inputs.settingsModule,
      deps.env.DJANGO_SETTINGS_MODULE,
    )
    const dependencies = detectDependencies(
      fs,
      projectDir,
      deps.workspace,
      inputs.install,
      inputs.requirements,
    )
    const pythonInputs = {
      pythonVersion: inputs.pythonVersion ?? '',
      pythonVersionFile: inputs.pythonVersionFile,
      python: inputs.python,
    }
    const windows = deps.platform.os.toLowerCase().startsWith('win')
    if (deps.phase === 'plan') {
      const ctx = {
        io,
        exec: deps.exec,
        fs,
        workspace: deps.workspace,
        projectDir,
        cacheRoot: deps.cacheRoot,
        windows,
      }
      return planSteps(ctx, pythonInputs, inputs.cache, dependencies)
    }
    const pythonRequest = resolvePythonRequest(fs, deps.workspace, projectDir, pythonInputs)
    const pytestDjango = usesPytestDjango(fs, projectDir, deps.workspace, dependencies)
    const phases: PhaseLine[] = []
    const problems: string[] = []

    const python = await io.group('Python', async () => {
      const interpreter = await resolveInterpreter(deps.exec, inputs.python, windows)
      io.info(`${interpreter.implementation} ${interpreter.version} at ${interpreter.executable}`)
      const asked = pythonRequest.version
      if (asked && inputs.python === undefined && !versionMatches(asked, interpreter.version)) {
        io.warning(`python-version asked for ${asked}, but the interpreter on PATH is ${interpreter.version}`)
      }
      phases.push({ phase: 'Python', ok: true, text: `${interpreter.version} (${interpreter.executable})` })
      return interpreter
    })

    await io.group('Project', async () => {
      const where = prefix || '.'
      io.info(`manage.py in ${where}; settings ${settings.module} (from ${settings.source})`)
      io.info(
        `Dependencies: ${dependencies.manager ?? 'none'} (${dependencies.reason}); pytest-django ${pytestDjango ? 'used' : 'not used'}`,
      )
      phases.push({
        phase: 'Project',
        ok: true,
        text: `${where}, ${settings.module} (${settings.source}), ${dependencies.manager ?? 'no installer'}${pytestDjango ? ', pytest-django' : ''}`,
      })
    })

    const childEnv: NodeJS.ProcessEnv = {
      ...deps.env,
      DJANGO_SETTINGS_MODULE: settings.module,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      ...(inputs.databaseUrl !== undefined ? { DATABASE_URL: inputs.databaseUrl } : {}),
    }
    // The input is exported like an env: entry would be, so later steps (a server for smoke
    // tests, a data dump) reach the same database. The password is masked above.
    const databaseInput = deps.getInput('database-url').trim()
    if (databaseInput !== '') deps.exportVariable('DATABASE_URL', databaseInput)

    const modules = await io.group('Install', async () => {
      const manager = dependencies.manager
      let line = manager === undefined ? dependencies.reason : ''
      if (manager !== undefined) {
        line = await installDependencies(
          {
            io,
            exec: deps.exec,
            fs,
            env: childEnv,
            python: python.executable,
            cacheRoot: deps.cacheRoot,
            tempDir: deps.makeReportsDir(),
            cache: dependencyCache(deps.env, inputs.cache),
          },
          { ...dependencies, manager },
        )
      }
      let found = await installedModules(deps.exec, python.executable, projectDir)
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
        io.info('coverage.py is not installed; installing it with pip')
        const result = await deps.exec(python.executable, ['-m', 'pip', 'install', 'coverage'], {
          cwd: projectDir,
          env: childEnv,
        })
        if (result.exitCode !== 0)
          throw new OperationError(`Installing coverage.py failed: ${result.stderrTail}`)
        found = await installedModules(deps.exec, python.executable, projectDir)
      }
      io.info(`Django ${found.django}`)
      phases.push({
        phase: 'Install',
        ok: true,
        skipped: manager === undefined,
        text: `${line}; Django ${found.django}`,
      })
      return found
    })

    await io.group('Services', async () => {
      const waitable = inputs.services.filter((s) => s.kind !== 'sqlite')
      if (waitable.length === 0) {
        const text =
          inputs.services.length > 0 ? 'SQLite: nothing to wait for' : 'no DATABASE_URL or REDIS_URL'
        io.info(text)
        phases.push({ phase: 'Services', ok: true, skipped: true, text })
        return
      }
      const waits = await waitForServices(waitable, inputs.servicesTimeoutMs, {
        probe: deps.probe,
        sleep: deps.sleep,
        now: deps.now,
        log: (line) => io.info(line),
      })
      phases.push({
        phase: 'Services',
        ok: true,
        text: waits
          .map((w) => `${describeTarget(w.target)} ready after ${formatDuration(w.waitedMs)}`)
          .join('; '),
      })
    })

    const ctx = { io, exec: deps.exec, fs, python: python.executable, cwd: projectDir, env: childEnv }
    if (inputs.checks.length > 0) {
      await io.group('Checks', async () => {
        const results = await runGates(ctx, inputs.checks)
        const failed = results.filter((r) => !r.ok)
        problems.push(...failed.map((r) => r.problem ?? `${r.gate} failed`))
        phases.push({
          phase: 'Checks',
          ok: failed.length === 0,
          text: results.map((r) => `${r.gate} ${r.ok ? 'passed' : 'failed'}`).join(', '),
        })
      })
    }

    const runner = inputs.testRunner === 'auto' ? (pytestDjango ? 'pytest' : 'django') : inputs.testRunner
    if (runner === 'pytest' && !modules.pytestDjango) {
      throw new OperationError(
        `The tests run with pytest, but pytest-django is not installed for ${python.executable}: add pytest-django to your requirements or set 'test-runner: django'`,
      )
    }
    // Tests against a project whose checks or migrations are broken fail for that reason, in
    // ways that hide it (e.g. a missing column); the gate's message is the one to act on.
    const outcome =
      problems.length > 0
        ? undefined
        : await io.group(`Tests (${runner === 'pytest' ? 'pytest' : 'manage.py test'})`, () =>
            runTests(ctx, {
              runner,
              parallel: inputs.parallel,
              xdist: modules.xdist,
              testArgs: inputs.testArgs,
              coverage: inputs.coverage,
              coverageConfigured: hasCoverageConfig(fs, projectDir),
              reportsDir: deps.makeReportsDir(),
              pythonModules: deps.pythonModules,
            }),
          )
    await io.group('Report', () =>
      reportResults(io, {
        outcome,
        phases,
        problems,
        prefix,
        coverage: inputs.coverage,
        threshold: inputs.coverageThreshold,
        annotate: inputs.annotate,
      }),
    )

    if (problems.length > 0) throw new OperationError(problems.join('; '))
  })
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
