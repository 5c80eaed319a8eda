import { mkdtempSync } from 'node:fs'
import { arch, homedir, platform, tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { actionsCore, type ActionIO } from '../lib/runner/io.js'
import { errorMessage, OperationError } from '../lib/errors.js'
import { exec as realExec, type Exec } from '../lib/process/exec.js'
import { runGuarded } from '../lib/runner/failure.js'
import { envInput, type GetInput } from '../lib/runner/inputs.js'
import { realSleep, type Clock, type Sleep } from '../lib/poll.js'
import { maskSecret } from '../lib/runner/secrets.js'
import { detectDependencies, usesPytestDjango } from './dependencies.js'
import { findProjectDir, findSettingsModule } from './discovery.js'
import { exportToLaterSteps } from './export-env.js'
import { parseInputs, type Inputs } from './inputs.js'
import {
  coverageFileName,
  coverageScope,
  installPhase,
  isWindows,
  projectPhase,
  pythonInputs,
  pythonPhase,
  servicesPhase,
  type Project,
} from './phases.js'
import { netProbe, type Probe } from './probe.js'
import { planSteps } from './plan-phase.js'
import { nodeProjectFs, type ProjectFs } from './project-fs.js'
import { buildSummary, type PhaseLine } from './report.js'
import { reportResults } from './report-phase.js'
import { passwordForms } from './services.js'
import type { InstalledModules } from './python-env.js'
import { runGates, runTests, type RunContext, type TestRunResult } from './test-phase.js'

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
  await runGuarded(deps.io, async () => {
    // Mask before parsing: a validation error must not be able to echo a database password.
    for (const url of [
      deps.getInput('database-url'),
      deps.env.DATABASE_URL ?? '',
      deps.env.REDIS_URL ?? '',
    ]) {
      for (const form of passwordForms(url)) maskSecret(deps.io, form)
    }
    const inputs = parseInputs(deps.getInput, deps.env)
    const project = discoverProject(deps, inputs)
    if (deps.phase === 'plan') return planPhase(deps, inputs, project)
    // From here on every run ends with a job summary saying how far it got and what stopped it.
    const state: RunState = { phases: [], current: 'Python', summarized: false }
    try {
      await runPhases(deps, inputs, project, state)
    } catch (error) {
      if (!state.summarized) await summarizeFailure(deps.io, state, error)
      throw error
    }
  })
}

/** The composite's first step: what setup-python and the cache steps need, from the files alone. */
async function planPhase(deps: Deps, inputs: Inputs, project: Project): Promise<void> {
  const ctx = {
    io: deps.io,
    exec: deps.exec,
    fs: deps.fs,
    workspace: deps.workspace,
    projectDir: project.dir,
    cacheRoot: deps.cacheRoot,
    windows: isWindows(deps),
  }
  return planSteps(ctx, pythonInputs(inputs), inputs.cache, project.dependencies)
}

interface RunState {
  phases: PhaseLine[]
  /** The phase running now: the one a thrown error is reported against. */
  current: string
  summarized: boolean
}

/** Everything that can be decided from files, decided before any process runs. */
function discoverProject(deps: Deps, inputs: Inputs): Project {
  const dir = findProjectDir(deps.fs, deps.workspace, inputs.workingDirectory)
  const dependencies = detectDependencies(deps.fs, dir, deps.workspace, inputs.install, inputs.requirements)
  return {
    dir,
    prefix: relative(deps.workspace, dir).split('\\').join('/'),
    settings: findSettingsModule(deps.fs, dir, inputs.settingsModule, deps.env.DJANGO_SETTINGS_MODULE),
    dependencies,
    pytestDjango: usesPytestDjango(deps.fs, dir, deps.workspace, dependencies),
    coverage: coverageScope(deps.fs, dir, deps.env),
  }
}

async function runPhases(deps: Deps, inputs: Inputs, project: Project, state: RunState): Promise<void> {
  const { io } = deps
  const { phases } = state
  const phase = <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    state.current = name
    return io.group(name, fn)
  }
  const python = await phase('Python', () => pythonPhase(deps, inputs, project, phases))
  await phase('Project', async () => projectPhase(deps, inputs, project, phases))
  const env: NodeJS.ProcessEnv = {
    ...deps.env,
    DJANGO_SETTINGS_MODULE: project.settings.module,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...(inputs.databaseUrl !== undefined ? { DATABASE_URL: inputs.databaseUrl } : {}),
  }
  // The input is exported like an env: entry would be, so later steps (a server for smoke
  // tests, a data dump) reach the same database. The password is masked above.
  const databaseInput = deps.getInput('database-url').trim()
  if (databaseInput !== '') deps.exportVariable('DATABASE_URL', databaseInput)
  const modules = await phase('Install', () => installPhase(deps, inputs, project, python, env, phases))
  await phase('Services', () => servicesPhase(deps, inputs, phases))

  const ctx: RunContext = {
    io,
    exec: deps.exec,
    fs: deps.fs,
    python: python.executable,
    cwd: project.dir,
    env,
    root: deps.workspace,
    settingsModule: project.settings.module,
  }
  const gates = inputs.checks.length > 0 ? await phase('Checks', () => runGates(ctx, inputs.checks)) : []
  if (gates.length > 0) {
    phases.push({
      phase: 'Checks',
      ok: gates.every((g) => g.ok),
      text: gates.map((r) => `${r.gate} ${r.ok ? 'passed' : 'failed'}`).join(', '),
    })
  }
  const findings = gates.flatMap((g) => (g.finding ? [g.finding] : []))

  state.current = 'Tests'
  // Tests against a project whose checks or migrations are broken fail for that reason, in
  // ways that hide it (e.g. a missing column); the gate's message is the one to act on.
  const outcome =
    findings.length > 0 ? undefined : await testsPhase(deps, inputs, project, ctx, modules, phase)
  state.current = 'Report'
  state.summarized = true
  await io.group('Report', () =>
    reportResults(io, {
      outcome,
      phases,
      findings,
      coverage: inputs.coverage,
      threshold: inputs.coverageThreshold,
      minTests: inputs.minTests,
      annotate: inputs.annotate,
      checkIssues: gates.filter((g) => g.issues.length > 0).map((g) => ({ gate: g.gate, issues: g.issues })),
      coverageFile: coverageFileName(deps, project.dir),
    }),
  )
}

/** Runs the tests with the runner the project uses, which must be installed. */
async function testsPhase(
  deps: Deps,
  inputs: Inputs,
  project: Project,
  ctx: RunContext,
  modules: InstalledModules,
  phase: <T>(name: string, fn: () => Promise<T>) => Promise<T>,
): Promise<TestRunResult> {
  const runner =
    inputs.testRunner === 'auto' ? (project.pytestDjango ? 'pytest' : 'django') : inputs.testRunner
  if (runner === 'pytest' && !modules.pytestDjango) {
    throw new OperationError(
      `The tests run with pytest, but pytest-django is not installed for ${ctx.python}: add pytest-django to your requirements or set 'test-runner: django'`,
    )
  }
  return phase(`Tests (${runner === 'pytest' ? 'pytest' : 'manage.py test'})`, () =>
    runTests(ctx, {
      runner,
      parallel: inputs.parallel,
      xdist: modules.xdist,
      testArgs: inputs.testArgs,
      coverage: inputs.coverage,
      coverageSource: project.coverage.source,
      reportsDir: deps.makeReportsDir(),
      pythonModules: deps.pythonModules,
    }),
  )
}

/** The job summary of a run that stopped at a phase: what was done, and what stopped it. */
async function summarizeFailure(io: ActionIO, state: RunState, error: unknown): Promise<void> {
  const message = errorMessage(error)
  await io.appendSummary(
    buildSummary({
      phases: [...state.phases, { phase: state.current, ok: false, text: message }],
      verdict: message,
      coverageThreshold: 0,
      annotated: 0,
    }),
  )
}
