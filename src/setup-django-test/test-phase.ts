import { isAbsolute, join, relative } from 'node:path'
import { errorMessage } from '../lib/errors.js'
import { tail } from '../lib/process/exec.js'
import {
  coverageJsonArgs,
  coverageRunArgs,
  coverageXmlArgs,
  djangoTestArgs,
  JUNIT_ENV,
  pytestArgs,
  type Parallel,
} from './commands.js'
import { parseCoverageJson, type CoverageReport } from './coverage-report.js'
import { runLogged, type InstallContext } from './install-phase.js'
import { parseJUnit, rebaseJUnitFiles, type TestReport } from './junit.js'
import { lastException, settingsImportFailure, testDatabaseError } from './python-errors.js'
import type { Finding } from './report.js'

export type RunContext = Pick<InstallContext, 'io' | 'exec' | 'fs' | 'python'> & {
  cwd: string
  env: NodeJS.ProcessEnv
  /** The repository root: reported paths are relative to it. */
  root: string
  /** DJANGO_SETTINGS_MODULE, for messages. */
  settingsModule: string
  /** A Windows runner: PYTHONPATH separates with `;` there. */
  windows: boolean
}

/** `app/mysite/settings.py` for a file of the repository, undefined for anything outside it. */
export function repoPath(root: string, file: string): string | undefined {
  const rel = relative(root, isAbsolute(file) ? file : join(root, file))
    .split('\\')
    .join('/')
  if (rel === '' || rel.startsWith('../') || isAbsolute(rel)) return undefined
  if (/(^|\/)(site|dist)-packages\//.test(rel)) return undefined
  return rel
}

/** A failure to import the settings module, as a finding at the line that raised, if it is that. */
export function settingsFinding(ctx: RunContext, output: string): Finding | undefined {
  const failure = settingsImportFailure(output, (file) => repoPath(ctx.root, file) !== undefined)
  if (!failure) return undefined
  const file = failure.frame ? repoPath(ctx.root, failure.frame.file) : undefined
  const where = file && failure.frame ? ` (${file}:${failure.frame.line})` : ''
  return {
    message: `The settings module ${ctx.settingsModule} failed to import: ${failure.exception}${where}`,
    annotation: {
      message: failure.exception,
      props: {
        title: `Settings module ${ctx.settingsModule} failed to import`,
        ...(file && failure.frame ? { file, startLine: failure.frame.line } : {}),
      },
    },
  }
}

export interface TestRunOptions {
  runner: 'pytest' | 'django'
  parallel: Parallel
  xdist: boolean
  testArgs: string[]
  coverage: boolean
  /**
   * What coverage measures when the project's config does not say: the project folder, as
   * `--source` (undefined: the project's config chooses).
   */
  coverageSource?: string
  reportsDir: string
  /** Folder holding the shipped JUnit runner module and pytest plugin, put on PYTHONPATH. */
  pythonModules: string
}

export interface TestRunResult {
  runner: 'pytest' | 'django'
  exitCode: number
  junitPath: string
  coveragePath?: string
  tests?: TestReport
  coverage?: CoverageReport
  /** Why there is no report (the run crashed), when there is none. */
  crash?: Finding
}

/** pytest's exit code when it collected no tests (pytest's ExitCode.NO_TESTS_COLLECTED). */
export const PYTEST_NO_TESTS = 5

/**
 * The test command's environment: where the shipped runner and plugin write the JUnit report
 * (and pytest's rootdir), coverage's data file, the shipped modules on PYTHONPATH, and for
 * parallel workers under coverage what each measures.
 */
function testRunEnv(ctx: RunContext, options: TestRunOptions, parallel: boolean): NodeJS.ProcessEnv {
  const workerCoverage =
    options.coverageSource !== undefined ? { source: [join(ctx.cwd, options.coverageSource)] } : {}
  return {
    ...ctx.env,
    [JUNIT_ENV]: join(options.reportsDir, 'junit.xml'),
    DJANGO_JUNIT_ROOT: ctx.root,
    DEVOPS_PYTEST_ROOTDIR: join(options.reportsDir, 'pytest-rootdir'),
    COVERAGE_FILE: join(options.reportsDir, '.coverage'),
    PYTHONPATH: [options.pythonModules, ctx.env.PYTHONPATH].filter(Boolean).join(ctx.windows ? ';' : ':'),
    ...(options.coverage && parallel ? { DEVOPS_WORKER_COVERAGE: JSON.stringify(workerCoverage) } : {}),
  }
}

/** Runs the tests (under coverage when asked), then reads the JUnit and coverage reports. */
export async function runTests(ctx: RunContext, options: TestRunOptions): Promise<TestRunResult> {
  const junitPath = join(options.reportsDir, 'junit.xml')
  const rootdirFile = join(options.reportsDir, 'pytest-rootdir')
  const parallel = options.parallel !== false && (options.runner === 'django' || options.xdist)
  const env = testRunEnv(ctx, options, parallel)
  const testArgs =
    options.runner === 'django'
      ? djangoTestArgs(options.parallel, options.testArgs)
      : pytestArgs(options.parallel, options.xdist, junitPath, options.testArgs)
  if (options.runner === 'pytest' && options.parallel !== false && !options.xdist) {
    ctx.io.warning(
      "Input 'parallel' is set but pytest-xdist is not installed: running the tests in one process",
    )
  }
  const args = options.coverage
    ? coverageRunArgs(testArgs, { parallel, source: options.coverageSource })
    : testArgs
  const run = await runLogged(ctx, ctx.python, args, { cwd: ctx.cwd, env })
  ctx.io.info(`Tests finished with exit code ${run.exitCode}`)

  const result: TestRunResult = { runner: options.runner, exitCode: run.exitCode, junitPath }
  const junitText = ctx.fs.readText(junitPath)
  if (junitText === undefined) {
    result.crash = crashFinding(ctx, run.exitCode, `${run.stdout}\n${run.stderr}`)
    // Coverage of a run that did not finish is no figure to report or to judge.
    return result
  }
  try {
    result.tests = readJUnit(ctx, options.runner, junitPath, junitText, rootdirFile)
  } catch (error) {
    result.crash = { message: `The JUnit report could not be read: ${errorMessage(error)}` }
    return result
  }
  if (options.coverage) Object.assign(result, await reportCoverage(ctx, env, options.reportsDir, parallel))
  return result
}

/**
 * Reads the report, first making pytest's `file` attributes (relative to pytest's rootdir)
 * relative to the repository, as Django's runner here writes them (DJANGO_JUNIT_ROOT).
 */
function readJUnit(
  ctx: RunContext,
  runner: 'pytest' | 'django',
  path: string,
  text: string,
  rootdirFile: string,
): TestReport {
  if (runner === 'pytest') {
    const rootdir = ctx.fs.readText(rootdirFile)?.trim() || ctx.cwd
    const rebased = rebaseJUnitFiles(text, (file) => repoPath(ctx.root, join(rootdir, file)) ?? file)
    if (rebased !== text) ctx.fs.writeText(path, rebased)
    return parseJUnit(rebased, { zeroBasedLines: true })
  }
  return parseJUnit(text)
}

/** Why the run ended without a report: the settings, the test database, else the last exception. */
function crashFinding(ctx: RunContext, exitCode: number, output: string): Finding {
  const settings = settingsFinding(ctx, output)
  if (settings) return settings
  const database = testDatabaseError(output)
  if (database)
    return {
      message: `The test database could not be created: ${database} (exit code ${exitCode}, no JUnit report)`,
    }
  const cause = lastException(output) ?? tail(output, 3).replace(/\n/g, ' ')
  return { message: `The tests did not run to the end (exit code ${exitCode}, no JUnit report): ${cause}` }
}

/** Combines the workers' data (parallel), then writes the Cobertura XML and reads the JSON totals. */
async function reportCoverage(
  ctx: RunContext,
  env: NodeJS.ProcessEnv,
  reportsDir: string,
  parallel: boolean,
): Promise<Pick<TestRunResult, 'coverage' | 'coveragePath'>> {
  const xmlPath = join(reportsDir, 'coverage.xml')
  const jsonPath = join(reportsDir, 'coverage.json')
  const options = { cwd: ctx.cwd, env }
  if (parallel) await runLogged(ctx, ctx.python, ['-m', 'coverage', 'combine'], options)
  // Exit code 2 only means the project's own fail_under was missed; the report is written.
  const xml = await runLogged(ctx, ctx.python, coverageXmlArgs(xmlPath), options)
  if (ctx.fs.readText(xmlPath) === undefined) {
    ctx.io.warning(
      `No coverage report: 'coverage xml' exited with ${xml.exitCode}: ${tail(`${xml.stdout}\n${xml.stderr}`, 1)}`,
    )
    return {}
  }
  const json = await runLogged(ctx, ctx.python, coverageJsonArgs(jsonPath), options)
  const text = ctx.fs.readText(jsonPath)
  if (text === undefined) {
    ctx.io.warning(
      `No coverage total: 'coverage json' exited with ${json.exitCode}: ${tail(`${json.stdout}\n${json.stderr}`, 1)}`,
    )
    return { coveragePath: xmlPath }
  }
  try {
    return { coverage: parseCoverageJson(text), coveragePath: xmlPath }
  } catch (error) {
    ctx.io.warning(`The coverage report could not be read: ${errorMessage(error)}`)
    return { coveragePath: xmlPath }
  }
}
