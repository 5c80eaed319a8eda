import { formatPercent } from './changed-lines.js'
import type { SetupDjangoTestOptions } from './options.js'
import { buildSummary, type Annotation, type PhaseLine } from './report.js'
import type { Verdict } from './report-phase.js'
import type { TestRunResult } from './test-phase.js'
import type { TestTotals } from './junit.js'
import type { PullRequestReport } from './pr-phase.js'

/** What a run did and found: the step's outputs, its summary and its verdict. */
export interface SetupDjangoTestResult {
  /** Tests run, and how they ended (0 when the tests did not run). */
  tests: number
  passed: number
  failures: number
  errors: number
  skipped: number
  /** The test run's time as the runner reported it. */
  durationSeconds: number
  /** coverage.py's total; undefined when coverage is off or the tests did not run to the end. */
  coverage?: { percent: number; display: string }
  /** Path of the JUnit XML report, when the tests wrote one. */
  junitReport?: string
  /** Path of the Cobertura XML coverage report, when there is one. */
  coverageReport?: string
  /** The dependency cache was restored for the exact key. */
  cacheHit: boolean
  /** The install filled the dependency cache folder: the composite's save step keeps it. */
  cacheSave: boolean
  /** The coverage of the lines a pull request changed (percent); undefined when unknown or none measured. */
  changedLinesCoverage?: number
  /** The pull request comment's URL, when one was posted or updated. */
  commentUrl?: string
  /** The comment's markdown file, when a comment was due (for a workflow_run workflow to post). */
  commentFile?: string
  /** This commit's total was written for the composite's coverage save step. */
  coverageSave: boolean
  /** The job summary (markdown). */
  summary: string
  /** Why the step fails: failing tests, a failed check, coverage below the threshold, a phase that stopped the run. */
  failure?: string
  /** Error annotations locating the failure (failing tests at their lines), written after it. */
  annotations: Annotation[]
}

/** How far a run got: the phase table so far, the phase running now, the cache to save. */
export interface RunState {
  phases: PhaseLine[]
  /** The phase running now: the one a thrown error is reported against. */
  current: string
  cacheSave: boolean
}

const NO_TESTS: TestTotals = { tests: 0, passed: 0, failures: 0, errors: 0, skipped: 0, durationMs: 0 }

/** The result of a run that got to its verdict. */
export function finishedResult(
  options: SetupDjangoTestOptions,
  state: RunState,
  outcome: TestRunResult | undefined,
  verdict: Verdict,
  pullRequest: PullRequestReport = { coverageSave: false, summary: '' },
): SetupDjangoTestResult {
  const failures = [verdict.failure, pullRequest.failure].filter((f): f is string => f !== undefined)
  const totals = outcome?.tests?.totals ?? NO_TESTS
  const coverage = outcome?.coverage
  return {
    tests: totals.tests,
    passed: totals.passed,
    failures: totals.failures,
    errors: totals.errors,
    skipped: totals.skipped,
    durationSeconds: totals.durationMs / 1000,
    coverage: coverage && { percent: coverage.percent, display: coverage.display },
    junitReport: outcome?.tests ? outcome.junitPath : undefined,
    coverageReport: outcome?.coveragePath,
    cacheHit: options.dependencyCache.hit,
    cacheSave: state.cacheSave,
    changedLinesCoverage: pullRequest.changedLines?.percent,
    commentUrl: pullRequest.commentUrl,
    commentFile: pullRequest.commentFile,
    coverageSave: pullRequest.coverageSave,
    summary: verdict.summary + pullRequest.summary,
    failure: failures.length > 0 ? failures.join('; ') : undefined,
    annotations: verdict.annotations,
  }
}

/** The result of a run a phase stopped: no tests, and a summary saying what was done and what stopped it. */
export function stoppedResult(
  options: SetupDjangoTestOptions,
  state: RunState,
  message: string,
): SetupDjangoTestResult {
  const summary = buildSummary({
    phases: [...state.phases, { phase: state.current, ok: false, text: message }],
    verdict: message,
    coverageThreshold: 0,
    annotated: 0,
  })
  return {
    ...finishedResult(options, state, undefined, { summary, annotations: [] }),
    failure: message,
  }
}

/**
 * The outputs the main step sets: those action.yml maps from `steps.run.outputs` (cache-hit comes
 * from the restore step) and `cache-save`, which its save step reads.
 */
export type SetupDjangoTestOutput =
  | 'tests'
  | 'passed'
  | 'failures'
  | 'errors'
  | 'skipped'
  | 'duration'
  | 'coverage'
  | 'junit-report'
  | 'coverage-report'
  | 'cache-save'
  | 'changed-lines-coverage'
  | 'comment-url'
  | 'comment-file'
  | 'coverage-save'

/** The result as step outputs: strings, empty where there is nothing (no coverage, no report). */
export function setupDjangoTestOutputs(result: SetupDjangoTestResult): Record<SetupDjangoTestOutput, string> {
  return {
    tests: String(result.tests),
    passed: String(result.passed),
    failures: String(result.failures),
    errors: String(result.errors),
    skipped: String(result.skipped),
    duration: result.durationSeconds.toFixed(3),
    coverage: result.coverage?.display ?? '',
    'junit-report': result.junitReport ?? '',
    'coverage-report': result.coverageReport ?? '',
    'cache-save': String(result.cacheSave),
    'changed-lines-coverage':
      result.changedLinesCoverage !== undefined ? formatPercent(result.changedLinesCoverage) : '',
    'comment-url': result.commentUrl ?? '',
    'comment-file': result.commentFile ?? '',
    'coverage-save': String(result.coverageSave),
  }
}
