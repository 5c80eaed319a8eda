import type { AnnotationProps } from '../lib/core.js'
import { formatDuration } from '../lib/duration.js'
import { code, details, heading, table } from '../lib/summary.js'
import { formatPercent, type CoverageReport } from './coverage-report.js'
import type { TestCase, TestReport } from './junit.js'

/** GitHub shows at most 10 error annotations per step; the rest would be dropped silently. */
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

const failed = (c: TestCase) => c.outcome === 'failed' || c.outcome === 'error'

/**
 * One error annotation per failing test, at its file:line (made relative to the repository by
 * prefixing the project folder), up to GitHub's limit. The rest are returned to be listed in
 * the summary instead.
 */
export function buildAnnotations(
  cases: readonly TestCase[],
  projectPrefix: string,
  max = MAX_ANNOTATIONS,
): { annotations: Annotation[]; rest: TestCase[] } {
  const failing = cases.filter(failed)
  const annotations = failing.slice(0, max).map((c) => ({
    message: [
      c.message || `${c.outcome === 'error' ? 'Error' : 'Failure'} in ${c.name}`,
      c.detail && `\n${tailOf(c.detail)}`,
    ]
      .filter(Boolean)
      .join('\n')
      .trim(),
    props: {
      title: `${c.outcome === 'error' ? 'Test error' : 'Test failed'}: ${c.id}`,
      ...(c.file ? { file: joinPath(projectPrefix, c.file) } : {}),
      ...(c.file && c.line ? { startLine: c.line } : {}),
    },
  }))
  return { annotations, rest: failing.slice(max) }
}

/** Long tracebacks keep their end, where the failure is; the summary and report have the rest. */
function tailOf(detail: string, max = 4000): string {
  return detail.length > max ? `…${detail.slice(-max)}` : detail
}

function joinPath(prefix: string, file: string): string {
  if (file.startsWith('/') || prefix === '' || prefix === '.') return file
  return `${prefix.replace(/\/$/, '')}/${file}`
}

export function location(c: TestCase, projectPrefix: string): string {
  if (!c.file) return ''
  return `${joinPath(projectPrefix, c.file)}${c.line ? `:${c.line}` : ''}`
}

/** The five slowest tests, slowest first. */
export function slowestTests(cases: readonly TestCase[], count = 5): TestCase[] {
  return [...cases].sort((a, b) => b.durationMs - a.durationMs).slice(0, count)
}

export interface SummaryInput {
  phases: readonly PhaseLine[]
  tests?: TestReport
  coverage?: CoverageReport
  coverageThreshold: number
  projectPrefix: string
  annotated: number
}

/** The job summary: a headline, the phase table, failed tests, the slowest tests, coverage. */
export function buildSummary(input: SummaryInput): string {
  const { tests, coverage } = input
  const allOk = input.phases.every((p) => p.ok || p.skipped)
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
    if (coverage) parts.push(`coverage **${formatPercent(coverage.percent)}%**`)
    md += `${parts.join(' · ')}\n\n`
  }
  md += table(
    ['Phase', '', 'Result'],
    input.phases.map((p) => [p.phase, p.skipped ? '—' : p.ok ? '✅' : '❌', p.text]),
  )
  const failing = tests?.cases.filter(failed) ?? []
  if (failing.length > 0) {
    md += `\n${heading(`Failed tests (${failing.length})`, 4)}`
    md += table(
      ['Test', 'Location', 'Message'],
      failing.map((c) => [c.id, location(c, input.projectPrefix), truncate(c.message, 200)]),
    )
    const unannotated = failing.length - input.annotated
    if (unannotated > 0) {
      md += `\n${input.annotated} failing tests are annotated in the code; the other ${unannotated} are listed here only (GitHub shows at most ${MAX_ANNOTATIONS} annotations per step).\n`
    }
  }
  if (tests && tests.cases.length > 0) {
    md += `\n${heading('Slowest tests', 4)}`
    md += table(
      ['Test', 'Duration'],
      slowestTests(tests.cases).map((c) => [c.id, formatDuration(c.durationMs)]),
    )
  }
  if (coverage) {
    const least = [...coverage.files]
      .filter((f) => f.linesValid > 0)
      .sort((a, b) => a.percent - b.percent)
      .slice(0, 10)
    const threshold = input.coverageThreshold > 0 ? ` (threshold ${input.coverageThreshold}%)` : ''
    md += `\n${heading(`Coverage: ${formatPercent(coverage.percent)}%${threshold}`, 4)}`
    md += `${coverage.linesCovered} of ${coverage.linesValid} lines covered.\n\n`
    if (least.length > 0) {
      md += details(
        'Least covered files',
        table(
          ['File', 'Coverage', 'Lines'],
          least.map((f) => [
            code(f.file),
            `${formatPercent(f.percent)}%`,
            `${f.linesCovered}/${f.linesValid}`,
          ]),
        ),
      )
    }
  }
  return md
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
