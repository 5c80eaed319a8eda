import type { AnnotationProps } from '../lib/runner/io.js'
import { formatDuration } from '../lib/duration.js'
import { code, details, heading, table } from '../lib/runner/summary.js'
import { describeCovered, type CoverageReport } from './coverage-report.js'
import type { TestCase, TestReport } from './junit.js'
import { causeOf, type CheckIssue } from './python-errors.js'

/**
 * The runner keeps at most 10 error annotations per step and drops the rest silently
 * (actions/runner, ExecutionContext.AddIssue: `_maxCountPerIssueType = 10`; the inner steps of a
 * composite action hand theirs to the composite step's record, so they share the 10). The step's
 * verdict is one of them, so failures get one fewer.
 */
export const MAX_ANNOTATIONS = 10

export interface PhaseLine {
  phase: string
  ok: boolean
  /** `skipped` phases show a dash instead of a mark. */
  skipped?: boolean
  text: string
}

export interface Annotation {
  message: string
  props: AnnotationProps
}

/** One reason the step fails: a part of the verdict, and where to look when that is known. */
export interface Finding {
  message: string
  annotation?: Annotation
}

const failed = (c: TestCase) => c.outcome === 'failed' || c.outcome === 'error'

/** What a failing test's summary row and annotation say: an error's real cause, else the message. */
export function reasonOf(c: TestCase): string {
  return c.outcome === 'error' ? causeOf(c.message, c.detail) : c.message
}

/** Failing tests, errors with one cause folded into one entry: [first test, every test]. */
function groupFailures(cases: readonly TestCase[]): TestCase[][] {
  const groups: TestCase[][] = []
  const byCause = new Map<string, TestCase[]>()
  for (const c of cases.filter(failed)) {
    const cause = c.outcome === 'error' ? reasonOf(c) : ''
    const group = cause ? byCause.get(cause) : undefined
    if (group) {
      group.push(c)
    } else {
      const fresh = [c]
      if (cause) byCause.set(cause, fresh)
      groups.push(fresh)
    }
  }
  return groups
}

/**
 * Error annotations for failing tests at their file:line (repository-relative), at most `max`.
 * Errors that share a cause (a test database that cannot be created fails every test that
 * needs it) are one annotation saying how many tests it hit. Returns how many failing tests got
 * none: the summary lists them.
 */
export function buildAnnotations(
  cases: readonly TestCase[],
  max: number,
): { annotations: Annotation[]; unannotated: number } {
  const groups = groupFailures(cases)
  const annotations = groups.slice(0, Math.max(0, max)).map((group) => {
    const c = group[0] as TestCase
    const many = group.length > 1
    const reason = reasonOf(c) || `${c.outcome === 'error' ? 'Error' : 'Failure'} in ${c.name}`
    const body = many
      ? `${group.length} tests failed with this error: ${listOf(
          group.map((g) => g.id),
          5,
        )} (the job summary lists every one)`
      : c.detail && tailOf(c.detail)
    return {
      message: [reason, body].filter(Boolean).join('\n\n').trim(),
      props: {
        title: many
          ? `Test error in ${group.length} tests`
          : `${c.outcome === 'error' ? 'Test error' : 'Test failed'}: ${c.id}`,
        ...(c.file ? { file: c.file } : {}),
        ...(c.file && c.line ? { startLine: c.line } : {}),
      },
    }
  })
  const unannotated = groups.slice(annotations.length).reduce((sum, group) => sum + group.length, 0)
  return { annotations, unannotated }
}

function listOf(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, …` : items.join(', ')
}

/** Long tracebacks keep their end, where the failure is; the summary and report have the rest. */
function tailOf(detail: string, max = 4000): string {
  return detail.length > max ? `…${detail.slice(-max)}` : detail
}

export function location(c: TestCase): string {
  if (!c.file) return ''
  return `${c.file}${c.line ? `:${c.line}` : ''}`
}

/** The five slowest tests, slowest first. */
export function slowestTests(cases: readonly TestCase[], count = 5): TestCase[] {
  return [...cases].sort((a, b) => b.durationMs - a.durationMs).slice(0, count)
}

export interface SummaryInput {
  phases: readonly PhaseLine[]
  /** The step's verdict, when it fails: every reason, in one line. */
  verdict?: string
  tests?: TestReport
  coverage?: CoverageReport
  coverageThreshold: number
  /** Makes coverage.py's file names (relative to the project folder) repository-relative. */
  coverageFile?: (file: string) => string
  /** System check messages by gate. */
  checkIssues?: { gate: string; issues: readonly CheckIssue[] }[]
  annotated: number
}

/** The job summary: a headline, the phase table, failed tests, the slowest tests, coverage. */
export function buildSummary(input: SummaryInput): string {
  const { tests, coverage } = input
  const allOk = input.verdict === undefined && input.phases.every((p) => p.ok || p.skipped)
  let md = heading(`${allOk ? '✅' : '❌'} Django tests`)
  if (tests) {
    const t = tests.totals
    const parts = [
      `**${t.tests} tests**`,
      `${t.passed} passed`,
      `${t.failures} failed`,
      `${t.errors} errors`,
      `${t.skipped} skipped`,
      `in ${formatDuration(t.durationMs)}`,
    ]
    if (coverage) parts.push(`coverage **${coverage.display}%**`)
    md += `${parts.join(' · ')}\n\n`
  }
  if (input.verdict) md += `**Failed:** ${input.verdict}\n\n`
  md += table(
    ['Phase', '', 'Result'],
    input.phases.map((p) => [p.phase, p.skipped ? '—' : p.ok ? '✅' : '❌', p.text]),
  )
  md += checkIssuesSection(input.checkIssues ?? [])
  const failing = tests?.cases.filter(failed) ?? []
  if (failing.length > 0) {
    md += `\n${heading(`Failed tests (${failing.length})`, 4)}`
    md += table(
      ['Test', 'Location', 'Message'],
      failing.map((c) => [c.id, location(c), truncate(reasonOf(c), 200)]),
    )
    const unannotated = failing.length - input.annotated
    if (unannotated > 0) {
      md += `\n${input.annotated} failing tests are annotated in the code; the other ${unannotated} are listed here only (GitHub shows at most ${MAX_ANNOTATIONS} error annotations per step, the verdict among them).\n`
    }
  }
  if (tests && tests.cases.length > 0) {
    md += `\n${heading('Slowest tests', 4)}`
    md += table(
      ['Test', 'Duration'],
      slowestTests(tests.cases).map((c) => [c.id, formatDuration(c.durationMs)]),
    )
  }
  if (coverage) md += coverageSection(coverage, input.coverageThreshold, input.coverageFile ?? ((f) => f))
  return md
}

function checkIssuesSection(groups: readonly { gate: string; issues: readonly CheckIssue[] }[]): string {
  const rows = groups.flatMap(({ gate, issues }) =>
    issues.map((issue) => [gate, issue.id, issue.object, truncate(issue.message, 300)]),
  )
  if (rows.length === 0) return ''
  return `\n${heading(`System check issues (${rows.length})`, 4)}${table(['Check', 'ID', 'Object', 'Message'], rows)}`
}

function coverageSection(
  coverage: CoverageReport,
  threshold: number,
  name: (file: string) => string,
): string {
  const least = [...coverage.files]
    .filter((f) => f.statements > 0)
    .sort((a, b) => a.percent - b.percent)
    .slice(0, 10)
  const shown = threshold > 0 ? ` (threshold ${threshold}%)` : ''
  let md = `\n${heading(`Coverage: ${coverage.display}%${shown}`, 4)}`
  md += `${describeCovered(coverage)}.\n\n`
  if (least.length > 0) {
    md += details(
      'Least covered files',
      table(
        ['File', 'Coverage', coverage.branches === undefined ? 'Statements' : 'Statements, branches'],
        least.map((f) => [
          code(name(f.file)),
          `${f.display}%`,
          `${f.coveredStatements}/${f.statements}${f.branches === undefined ? '' : `, ${f.coveredBranches ?? 0}/${f.branches}`}`,
        ]),
      ),
    )
  }
  return md
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
