import { formatDuration } from '../lib/duration.js'
import type { ActionIO } from '../lib/runner/io.js'
import { checkThreshold } from './coverage-report.js'
import type { TestTotals } from './junit.js'
import type { CheckIssue } from './python-errors.js'
import {
  buildAnnotations,
  buildSummary,
  MAX_ANNOTATIONS,
  type Annotation,
  type Finding,
  type PhaseLine,
} from './report.js'
import { PYTEST_NO_TESTS, type TestRunResult } from './test-phase.js'

export interface ReportInput {
  /** undefined when the tests were not run because a check failed. */
  outcome: TestRunResult | undefined
  phases: PhaseLine[]
  /** Reasons to fail found so far (failed checks); this adds the tests' and coverage's own. */
  findings: Finding[]
  coverage: boolean
  threshold: number
  minTests: number
  annotate: boolean
  checkIssues: { gate: string; issues: readonly CheckIssue[] }[]
  coverageFile: (file: string) => string
}

/** How the run ends: the verdict, the annotations that locate it, and the job summary. */
export interface Verdict {
  /** Every reason to fail, in one line; undefined when the run passed. */
  failure?: string
  /** At most 9 with a failure (the verdict is the tenth error the runner keeps), in order. */
  annotations: Annotation[]
  summary: string
}

/**
 * Judges the tests and coverage, adding their lines to the phase table (in `input.phases`), and
 * says how the run ends. The phase table and the count of failing tests left without an
 * annotation go to the log here; the verdict, annotations and summary are the step's to write.
 */
export function reportResults(io: Pick<ActionIO, 'info'>, input: ReportInput): Verdict {
  const { phases } = input
  const findings = [...input.findings, ...judgeTests(input, phases)]
  const failure = findings.length > 0 ? findings.map((f) => f.message).join('; ') : undefined
  const { annotations, annotated, unannotated } = annotate(input, findings, failure !== undefined)
  if (unannotated > 0) io.info(`${unannotated} more failing tests are listed in the job summary`)
  const summary = buildSummary({
    phases,
    verdict: failure,
    tests: input.outcome?.tests,
    coverage: input.outcome?.coverage,
    coverageThreshold: input.threshold,
    coverageFile: input.coverageFile,
    checkIssues: input.checkIssues,
    annotated,
  })
  for (const phase of phases)
    io.info(`${phase.skipped ? '–' : phase.ok ? '✓' : '✗'} ${phase.phase}: ${phase.text}`)
  return { failure, annotations, summary }
}

/** The Tests (and Coverage) lines of the phase table, and the reasons to fail they find. */
function judgeTests(input: ReportInput, phases: PhaseLine[]): Finding[] {
  const { outcome } = input
  if (outcome === undefined) {
    phases.push({ phase: 'Tests', ok: false, skipped: true, text: 'not run: fix the failed checks first' })
    return []
  }
  const totals = outcome.tests?.totals
  const problems = testProblems(outcome, input.minTests)
  phases.push({
    phase: 'Tests',
    ok: totals !== undefined && problems.length === 0,
    text: totals ? describeTotals(totals) : (outcome.crash?.message ?? 'no report'),
  })
  if (!input.coverage) return problems
  const coverage = judgeCoverage(outcome, input.threshold)
  phases.push(coverage.line)
  return [...problems, ...coverage.findings]
}

/**
 * The annotations within the runner's 10 per step: the findings' own first (the settings module
 * that failed to import), then failing tests at their lines. `annotated` counts the failing tests
 * covered, `unannotated` those the summary lists instead.
 */
function annotate(
  input: ReportInput,
  findings: readonly Finding[],
  failing: boolean,
): { annotations: Annotation[]; annotated: number; unannotated: number } {
  const budget = MAX_ANNOTATIONS - (failing ? 1 : 0)
  const annotations = findings.flatMap((f) => (f.annotation ? [f.annotation] : [])).slice(0, budget)
  const tests = input.outcome?.tests
  if (!input.annotate || !tests) return { annotations, annotated: 0, unannotated: 0 }
  const built = buildAnnotations(tests.cases, budget - annotations.length)
  return {
    annotations: [...annotations, ...built.annotations],
    annotated: tests.totals.failures + tests.totals.errors - built.unannotated,
    unannotated: built.unannotated,
  }
}

function describeTotals(t: TestTotals): string {
  return `${t.tests} tests: ${t.passed} passed, ${t.failures} failed, ${t.errors} errors, ${t.skipped} skipped in ${formatDuration(t.durationMs)}`
}

/**
 * Why the test run fails the step: a crash, failing tests, fewer tests than `min-tests` (skipped
 * ones do not count: they tested nothing), or a non-zero exit although every test passed.
 * pytest exits 5 when it collected nothing; Django's runner exits 0: both are "no tests ran".
 */
function testProblems(outcome: TestRunResult, minTests: number): Finding[] {
  const totals = outcome.tests?.totals
  if (!totals) return outcome.crash ? [outcome.crash] : []
  const failing = totals.failures + totals.errors
  const problems: Finding[] = []
  if (failing > 0) problems.push({ message: `${failing} of ${totals.tests} tests failed` })
  const tooFew = tooFewTests(outcome.runner, totals, minTests)
  if (tooFew) problems.push(tooFew)
  const noTestsExit =
    outcome.runner === 'pytest' && outcome.exitCode === PYTEST_NO_TESTS && totals.tests === 0
  if (failing === 0 && outcome.exitCode !== 0 && !noTestsExit) {
    problems.push({
      message: `The test command exited with code ${outcome.exitCode} although every test passed`,
    })
  }
  return problems
}

function tooFewTests(
  runner: TestRunResult['runner'],
  totals: TestTotals,
  minTests: number,
): Finding | undefined {
  const ran = totals.tests - totals.skipped
  if (ran >= minTests) return undefined
  const how = runner === 'pytest' ? 'pytest collected' : "Django's test runner found"
  const found =
    totals.tests === 0 ? `${how} no tests` : `${how} ${totals.tests} tests, ${totals.skipped} skipped`
  return {
    message:
      ran === 0
        ? `No tests ran (${found}): check test discovery (test file names, test-args, working-directory), or set 'min-tests: 0'`
        : `Only ${ran} tests ran, fewer than min-tests (${minTests})`,
  }
}

/** The coverage line, and a reason to fail below the threshold; a run that did not finish has no figure (and no ✓). */
function judgeCoverage(outcome: TestRunResult, threshold: number): { line: PhaseLine; findings: Finding[] } {
  const thresholdNote = threshold > 0 ? ` (threshold ${threshold}%)` : ''
  if (outcome.crash) {
    const text = 'not reported: the tests did not run to the end'
    return { line: { phase: 'Coverage', ok: false, skipped: true, text }, findings: [] }
  }
  const report = outcome.coverage
  if (!report) {
    const findings =
      threshold > 0
        ? [
            {
              message: `Coverage was not measured (see the warning above), so the threshold of ${threshold}% cannot be checked`,
            },
          ]
        : []
    return { line: { phase: 'Coverage', ok: threshold === 0, text: `no report${thresholdNote}` }, findings }
  }
  const verdict = checkThreshold(report, threshold)
  const points = `${verdict.shortBy} point${verdict.shortBy === 1 ? '' : 's'}`
  return {
    line: { phase: 'Coverage', ok: verdict.ok, text: `${report.display}%${thresholdNote}` },
    findings: verdict.ok
      ? []
      : [{ message: `Coverage ${report.display}% is below the threshold of ${threshold}% by ${points}` }],
  }
}
