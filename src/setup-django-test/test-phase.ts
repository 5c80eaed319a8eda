import { join } from 'node:path'
import { errorMessage } from '../lib/errors.js'
import { tail } from '../lib/exec.js'
import {
  appsMissingMigrations,
  coverageRunArgs,
  coverageXmlArgs,
  djangoTestArgs,
  gateArgs,
  JUNIT_ENV,
  parallelCoverageConfig,
  pytestArgs,
  type Gate,
  type Parallel,
} from './commands.js'
import { parseCobertura, type CoverageReport } from './coverage-report.js'
import { runLogged, type InstallContext } from './install-phase.js'
import { parseJUnit, type TestReport } from './junit.js'

export type RunContext = Pick<InstallContext, 'io' | 'exec' | 'fs' | 'python'> & {
  cwd: string
  env: NodeJS.ProcessEnv
}

export interface GateResult {
  gate: Gate
  ok: boolean
  /** What to tell the user when it failed. */
  problem?: string
}

/** Runs each gate (all of them, so one run shows every problem) and says which failed and why. */
export async function runGates(ctx: RunContext, gates: readonly Gate[]): Promise<GateResult[]> {
  const results: GateResult[] = []
  for (const gate of gates) {
    const result = await runLogged(ctx, ctx.python, gateArgs(gate), { cwd: ctx.cwd, env: ctx.env })
    if (result.exitCode === 0) {
      results.push({ gate, ok: true })
      continue
    }
    const output = `${result.stdout}\n${result.stderr}`
    let problem: string
    if (gate === 'migrations') {
      const apps = appsMissingMigrations(result.stdout)
      problem =
        apps.length > 0
          ? `Missing migrations for ${apps.join(', ')}: run 'python manage.py makemigrations' and commit the result`
          : `'makemigrations --check' failed (exit code ${result.exitCode}): ${tail(output, 1)}`
    } else {
      const what = gate === 'deploy' ? 'check --deploy' : 'check'
      problem = `'manage.py ${what}' found problems (exit code ${result.exitCode}): ${tail(output, 3).replace(/\n/g, ' ')}`
    }
    ctx.io.error(problem)
    results.push({ gate, ok: false, problem })
  }
  return results
}

export interface TestRunOptions {
  runner: 'pytest' | 'django'
  parallel: Parallel
  xdist: boolean
  testArgs: string[]
  coverage: boolean
  /** The project has its own coverage.py configuration. */
  coverageConfigured: boolean
  reportsDir: string
  /** Folder holding the shipped JUnit runner module, put on PYTHONPATH. */
  pythonModules: string
}

export interface TestRunResult {
  exitCode: number
  junitPath: string
  coveragePath?: string
  tests?: TestReport
  coverage?: CoverageReport
  /** Why there is no report, when there is none. */
  problem?: string
}

/** Runs the tests (under coverage when asked), then reads the JUnit and coverage reports. */
export async function runTests(ctx: RunContext, options: TestRunOptions): Promise<TestRunResult> {
  const junitPath = join(options.reportsDir, 'junit.xml')
  const coverageXml = join(options.reportsDir, 'coverage.xml')
  const pathSep = process.platform === 'win32' ? ';' : ':'
  const env: NodeJS.ProcessEnv = {
    ...ctx.env,
    [JUNIT_ENV]: junitPath,
    COVERAGE_FILE: join(options.reportsDir, '.coverage'),
    PYTHONPATH: [options.pythonModules, ctx.env.PYTHONPATH].filter(Boolean).join(pathSep),
  }
  const testArgs =
    options.runner === 'django'
      ? djangoTestArgs(options.parallel, options.testArgs)
      : pytestArgs(options.parallel, options.xdist, junitPath, options.testArgs)
  if (options.runner === 'pytest' && options.parallel !== false && !options.xdist) {
    ctx.io.warning(
      "Input 'parallel' is set but pytest-xdist is not installed: running the tests in one process",
    )
  }
  const parallel = options.parallel !== false && (options.runner === 'django' || options.xdist)
  const rcfile = join(options.reportsDir, 'coveragerc')
  if (options.coverage && parallel && !options.coverageConfigured) {
    ctx.fs.writeText(rcfile, parallelCoverageConfig(ctx.cwd))
  }
  const args = options.coverage
    ? coverageRunArgs(testArgs, { configured: options.coverageConfigured, parallel, rcfile })
    : testArgs
  const run = await runLogged(ctx, ctx.python, args, { cwd: ctx.cwd, env })
  ctx.io.info(`Tests finished with exit code ${run.exitCode}`)

  const result: TestRunResult = { exitCode: run.exitCode, junitPath }
  const junitText = ctx.fs.readText(junitPath)
  if (junitText === undefined) {
    result.problem = `The tests did not run to the end (exit code ${run.exitCode}, no JUnit report): ${tail(`${run.stdout}\n${run.stderr}`, 3)}`
  } else {
    try {
      result.tests = parseJUnit(junitText)
    } catch (error) {
      result.problem = `The JUnit report could not be read: ${errorMessage(error)}`
    }
  }
  if (options.coverage) {
    if (parallel) await runLogged(ctx, ctx.python, ['-m', 'coverage', 'combine'], { cwd: ctx.cwd, env })
    const xml = await runLogged(ctx, ctx.python, coverageXmlArgs(coverageXml), { cwd: ctx.cwd, env })
    const text = ctx.fs.readText(coverageXml)
    // Exit code 2 only means the project's own fail_under was missed; the report is written.
    if (text === undefined) {
      ctx.io.warning(
        `No coverage report: 'coverage xml' exited with ${xml.exitCode}: ${tail(`${xml.stdout}\n${xml.stderr}`, 1)}`,
      )
    } else {
      try {
        result.coverage = parseCobertura(text)
        result.coveragePath = coverageXml
      } catch (error) {
        ctx.io.warning(`The coverage report could not be read: ${errorMessage(error)}`)
      }
    }
  }
  return result
}
