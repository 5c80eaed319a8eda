import type { ActionIO } from '../lib/core.js'
import { formatDuration } from '../lib/duration.js'
import { checkThreshold, formatPercent } from './coverage-report.js'
import { buildAnnotations, buildSummary, type PhaseLine } from './report.js'
import type { TestRunResult } from './test-phase.js'

export interface ReportInput {
  /** undefined when the tests were not run because a check failed. */
  outcome: TestRunResult | undefined
  phases: PhaseLine[]
  /** Collected failure reasons; this adds the tests' and coverage's own. */
  problems: string[]
  prefix: string
  coverage: boolean
  threshold: number
  annotate: boolean
}

/** Sets the outputs, judges tests and coverage, annotates failures and writes the job summary. */
export async function reportResults(io: ActionIO, input: ReportInput): Promise<void> {
  const { outcome, phases, problems } = input
  const totals = outcome?.tests?.totals
  io.setOutput('tests', String(totals?.tests ?? 0))
  io.setOutput('passed', String(totals?.passed ?? 0))
  io.setOutput('failures', String(totals?.failures ?? 0))
  io.setOutput('errors', String(totals?.errors ?? 0))
  io.setOutput('skipped', String(totals?.skipped ?? 0))
  io.setOutput('duration', ((totals?.durationMs ?? 0) / 1000).toFixed(3))
  io.setOutput('coverage', outcome?.coverage ? formatPercent(outcome.coverage.percent) : '')
  io.setOutput('junit-report', outcome?.tests ? outcome.junitPath : '')
  io.setOutput('coverage-report', outcome?.coveragePath ?? '')

  if (outcome === undefined) {
    phases.push({ phase: 'Tests', ok: false, skipped: true, text: 'not run: fix the failed checks first' })
  } else {
    if (outcome.problem) problems.push(outcome.problem)
    const failing = (totals?.failures ?? 0) + (totals?.errors ?? 0)
    if (totals) {
      if (failing > 0) problems.push(`${failing} of ${totals.tests} tests failed`)
      else if (outcome.exitCode !== 0)
        problems.push(`The test command exited with code ${outcome.exitCode} although every test passed`)
    }
    phases.push({
      phase: 'Tests',
      ok: totals !== undefined && failing === 0 && outcome.exitCode === 0,
      text: totals
        ? `${totals.tests} tests: ${totals.passed} passed, ${totals.failures} failed, ${totals.errors} errors, ${totals.skipped} skipped in ${formatDuration(totals.durationMs)}`
        : (outcome.problem ?? 'no report'),
    })
    if (input.coverage) {
      const report = outcome.coverage
      const verdict = report ? checkThreshold(report.percent, input.threshold) : undefined
      const shown = report ? `${formatPercent(report.percent)}%` : 'no report'
      if (verdict && !verdict.ok) {
        problems.push(
          `Coverage ${shown} is below the threshold of ${input.threshold}% by ${verdict.shortBy} points`,
        )
      }
      phases.push({
        phase: 'Coverage',
        ok: verdict?.ok ?? input.threshold === 0,
        text: `${shown}${input.threshold > 0 ? ` (threshold ${input.threshold}%)` : ''}`,
      })
    }
  }

  let annotated = 0
  if (input.annotate && outcome?.tests) {
    const { annotations, rest } = buildAnnotations(outcome.tests.cases, input.prefix)
    for (const annotation of annotations) io.error(annotation.message, annotation.props)
    annotated = annotations.length
    if (rest.length > 0) io.info(`${rest.length} more failing tests are listed in the job summary`)
  }
  await io.appendSummary(
    buildSummary({
      phases,
      tests: outcome?.tests,
      coverage: outcome?.coverage,
      coverageThreshold: input.threshold,
      projectPrefix: input.prefix,
      annotated,
    }),
  )
  for (const phase of phases)
    io.info(`${phase.skipped ? '–' : phase.ok ? '✓' : '✗'} ${phase.phase}: ${phase.text}`)
}
