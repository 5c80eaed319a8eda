import type { ActionIO } from '../lib/runner/io.js'
import { formatDuration } from '../lib/duration.js'
import { checkThreshold } from './coverage-report.js'
import type { TestTotals } from './junit.js'
import type { CheckIssue } from './python-errors.js'
import { buildAnnotations, buildSummary, MAX_ANNOTATIONS, type Finding, type PhaseLine } from './report.js'
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

/**
 * Sets the outputs, judges tests and coverage and ends the step: the verdict (one error line
 * with every reason) first, then up to 9 annotations where the failures are, then the job
 * summary. Returns whether the step failed (the verdict is already reported then).
 */
export async function reportResults(io: ActionIO, input: ReportInput): Promise<boolean> {
  const { outcome, phases } = input
  const findings = [...input.findings]
  const totals = outcome?.tests?.totals
  setOutputs(io, outcome)

  if (outcome === undefined) {
    phases.push({ phase: 'Tests', ok: false, skipped: true, text: 'not run: fix the failed checks first' })
  } else {
    const problems = testProblems(outcome, input.minTests)
    findings.push(...problems)
    phases.push({
      phase: 'Tests',
      ok: totals !== undefined && problems.length === 0,
      text: totals ? describeTotals(totals) : (outcome.crash?.message ?? 'no report'),
    })
    if (input.coverage) phases.push(coveragePhase(outcome, input.threshold, findings))
  }

  const verdict = findings.length > 0 ? findings.map((f) => f.message).join('; ') : undefined
  if (verdict !== undefined) io.setFailed(verdict)
  let budget = MAX_ANNOTATIONS - (verdict === undefined ? 0 : 1)
  for (const finding of findings) {
    if (finding.annotation && budget > 0) {
      io.error(finding.annotation.message, finding.annotation.props)
      budget--
    }
  }
  let annotated = 0
  if (input.annotate && outcome?.tests) {
    const { annotations, unannotated } = buildAnnotations(outcome.tests.cases, budget)
    for (const annotation of annotations) io.error(annotation.message, annotation.props)
    annotated = outcome.tests.totals.failures + outcome.tests.totals.errors - unannotated
    if (unannotated > 0) io.info(`${unannotated} more failing tests are listed in the job summary`)
  }
  await io.appendSummary(
    buildSummary({
      phases,
      verdict,
      tests: outcome?.tests,
      coverage: outcome?.coverage,
      coverageThreshold: input.threshold,
      coverageFile: input.coverageFile,
      checkIssues: input.checkIssues,
      annotated,
    }),
  )
  for (const phase of phases)
    io.info(`${phase.skipped ? '–' : phase.ok ? '✓' : '✗'} ${phase.phase}: ${phase.text}`)
  return verdict !== undefined
}

function setOutputs(io: ActionIO, outcome: TestRunResult | undefined): void {
  const totals = outcome?.tests?.totals
  io.setOutput('tests', String(totals?.tests ?? 0))
  io.setOutput('passed', String(totals?.passed ?? 0))
  io.setOutput('failures', String(totals?.failures ?? 0))
  io.setOutput('errors', String(totals?.errors ?? 0))
  io.setOutput('skipped', String(totals?.skipped ?? 0))
  io.setOutput('duration', ((totals?.durationMs ?? 0) / 1000).toFixed(3))
  io.setOutput('coverage', outcome?.coverage ? outcome.coverage.display : '')
  io.setOutput('junit-report', outcome?.tests ? outcome.junitPath : '')
  io.setOutput('coverage-report', outcome?.coveragePath ?? '')
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
  const ran = totals.tests - totals.skipped
  const problems: Finding[] = []
  if (failing > 0) problems.push({ message: `${failing} of ${totals.tests} tests failed` })
  if (ran < minTests) {
    const how = outcome.runner === 'pytest' ? 'pytest collected' : "Django's test runner found"
    const found =
      totals.tests === 0 ? `${how} no tests` : `${how} ${totals.tests} tests, ${totals.skipped} skipped`
    problems.push({
      message:
        ran === 0
          ? `No tests ran (${found}): check test discovery (test file names, test-args, working-directory), or set 'min-tests: 0'`
          : `Only ${ran} tests ran, fewer than min-tests (${minTests})`,
    })
  }
  const noTestsExit =
    outcome.runner === 'pytest' && outcome.exitCode === PYTEST_NO_TESTS && totals.tests === 0
  if (failing === 0 && outcome.exitCode !== 0 && !noTestsExit) {
    problems.push({
      message: `The test command exited with code ${outcome.exitCode} although every test passed`,
    })
  }
  return problems
}

/** The coverage line; a run that did not finish has no figure (and no ✓). */
function coveragePhase(outcome: TestRunResult, threshold: number, findings: Finding[]): PhaseLine {
  const thresholdNote = threshold > 0 ? ` (threshold ${threshold}%)` : ''
  if (outcome.crash) {
    return {
      phase: 'Coverage',
      ok: false,
      skipped: true,
      text: 'not reported: the tests did not run to the end',
    }
  }
  const report = outcome.coverage
  if (!report) {
    if (threshold > 0)
      findings.push({
        message: `Coverage was not measured (see the warning above), so the threshold of ${threshold}% cannot be checked`,
      })
    return { phase: 'Coverage', ok: threshold === 0, text: `no report${thresholdNote}` }
  }
  const verdict = checkThreshold(report, threshold)
  if (!verdict.ok) {
    const points = `${verdict.shortBy} point${verdict.shortBy === 1 ? '' : 's'}`
    findings.push({
      message: `Coverage ${report.display}% is below the threshold of ${threshold}% by ${points}`,
    })
  }
  return { phase: 'Coverage', ok: verdict.ok, text: `${report.display}%${thresholdNote}` }
}
