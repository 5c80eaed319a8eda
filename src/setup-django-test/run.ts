import { OperationError } from '../lib/errors.js'
import { isWindows, type SetupDjangoTestPorts } from './deps.js'
import type { SetupDjangoTestOptions } from './options.js'
import {
  checksPhase,
  coverageFileName,
  installPhase,
  projectPhase,
  pythonPhase,
  servicesPhase,
} from './phases.js'
import type { InstalledModules, Interpreter } from './python-env.js'
import { pullRequestPhase } from './pr-phase.js'
import { reportResults } from './report-phase.js'
import { finishedResult, stoppedResult, type RunState, type SetupDjangoTestResult } from './result.js'
import { runTests, type RunContext, type TestRunResult } from './test-phase.js'

type Phase = <T>(name: string, fn: () => Promise<T>) => Promise<T>

/**
 * The main step: Python, the project, its dependencies, the services, the checks, the tests and
 * the verdict, each phase in its own log group. It returns the result also when a phase stopped
 * the run (the failure and a summary saying how far it got), so the step's outputs and summary
 * are written whatever happened; it throws only for a bug.
 */
export async function runSetupDjangoTest(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
): Promise<SetupDjangoTestResult> {
  const state: RunState = { phases: [], current: 'Python', cacheSave: false }
  try {
    return await runPhases(ports, options, state)
  } catch (error) {
    if (!(error instanceof OperationError)) throw error
    return stoppedResult(options, state, error.message)
  }
}

async function runPhases(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
  state: RunState,
): Promise<SetupDjangoTestResult> {
  const { io } = ports
  const { phases } = state
  const phase: Phase = (name, fn) => {
    state.current = name
    return io.group(name, fn)
  }
  const python = await phase('Python', () => pythonPhase(ports, options, phases))
  await phase('Project', async () => projectPhase(ports, options, phases))
  const env = testEnvironment(ports.env, options)
  // The input is exported like an env: entry would be, so later steps (a server for smoke
  // tests, a data dump) reach the same database. main.ts masked the password.
  if (options.exportDatabaseUrl && options.databaseUrl !== undefined)
    ports.exportVariable('DATABASE_URL', options.databaseUrl)
  const installed = (install: { cacheSave: boolean }) => void (state.cacheSave = install.cacheSave)
  const modules = await phase('Install', () => installPhase(ports, options, python, env, phases, installed))
  await phase('Services', () => servicesPhase(ports, options, phases))

  const ctx = runContext(ports, options, python, env)
  const gates =
    options.checks.length > 0 ? await phase('Checks', () => checksPhase(ctx, options, phases)) : []
  const findings = gates.flatMap((g) => (g.finding ? [g.finding] : []))
  state.current = 'Tests'
  // Tests against a project whose checks or migrations are broken fail for that reason, in
  // ways that hide it (e.g. a missing column); the gate's message is the one to act on.
  const outcome = findings.length > 0 ? undefined : await testsPhase(ports, options, ctx, modules, phase)
  state.current = 'Report'
  const verdict = await io.group('Report', async () =>
    reportResults(io, {
      outcome,
      phases,
      findings,
      coverage: options.coverage,
      threshold: options.coverageThreshold,
      minTests: options.minTests,
      annotate: options.annotate,
      checkIssues: gates.filter((g) => g.issues.length > 0).map((g) => ({ gate: g.gate, issues: g.issues })),
      coverageFile: coverageFileName(ports.workspace, options.project.dir),
    }),
  )
  const pullRequest = await pullRequestPhase(ports, options, outcome, verdict)
  return finishedResult(options, state, outcome, verdict, pullRequest)
}

/** The environment of every project command: the step's, with the settings and the database. */
function testEnvironment(env: NodeJS.ProcessEnv, options: SetupDjangoTestOptions): NodeJS.ProcessEnv {
  return {
    ...env,
    DJANGO_SETTINGS_MODULE: options.project.settings.module,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...(options.databaseUrl !== undefined ? { DATABASE_URL: options.databaseUrl } : {}),
  }
}

function runContext(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
  python: Interpreter,
  env: NodeJS.ProcessEnv,
): RunContext {
  return {
    io: ports.io,
    exec: ports.exec,
    fs: ports.fs,
    python: python.executable,
    cwd: options.project.dir,
    env,
    root: ports.workspace,
    settingsModule: options.project.settings.module,
    windows: isWindows(ports),
  }
}

/** Runs the tests with the runner the project uses, which must be installed. */
async function testsPhase(
  ports: SetupDjangoTestPorts,
  options: SetupDjangoTestOptions,
  ctx: RunContext,
  modules: InstalledModules,
  phase: Phase,
): Promise<TestRunResult> {
  const runner =
    options.testRunner === 'auto' ? (options.project.pytestDjango ? 'pytest' : 'django') : options.testRunner
  if (runner === 'pytest' && !modules.pytestDjango) {
    throw new OperationError(
      `The tests run with pytest, but pytest-django is not installed for ${ctx.python}: add pytest-django to your requirements or set 'test-runner: django'`,
    )
  }
  return phase(`Tests (${runner === 'pytest' ? 'pytest' : 'manage.py test'})`, () =>
    runTests(ctx, {
      runner,
      parallel: options.parallel,
      xdist: modules.xdist,
      testArgs: options.testArgs,
      coverage: options.coverage,
      coverageSource: options.project.coverage.source,
      reportsDir: ports.makeReportsDir(),
      pythonModules: ports.pythonModules,
    }),
  )
}
