import { commentKeyNote } from '../lib/github/comment-key.js'
import { formatPercent, lineRanges, type ChangedLineCoverage } from './changed-lines.js'
import type { SavedCoverage } from './base-coverage.js'
import type { TestCase, TestTotals } from './junit.js'

/** What the pull request comment reports. */
export interface CommentFacts {
  totals?: TestTotals
  failedCases: readonly TestCase[]
  /** The run's total coverage, when measured. */
  coverage?: { percent: number; display: string }
  /** The base commit's total, when a run saved one for it. */
  base?: SavedCoverage
  baseSha?: string
  /** undefined with `changedReason` when the changed lines could not be measured. */
  changed?: ChangedLineCoverage
  changedReason?: string
  changedThreshold: number
  /** Why the step fails, when it does. */
  failure?: string
  /** Where file links point: https://github.com/OWNER/REPO/blob/SHA */
  blobUrl?: string
  runUrl: string
  /** comment-key, shown in the heading so a matrix's comments can be told apart; '' for none. */
  commentKey?: string
}

const MAX_FAILURES = 10
const MAX_UNCOVERED_FILES = 30

/** The comment's markdown (its hidden marker is added by lib/github/comment.ts). */
export function commentBody(facts: CommentFacts): string {
  const lines = [
    `### ${facts.failure === undefined ? '✅' : '❌'} Django tests${commentKeyNote(facts.commentKey ?? '')}: ${headline(facts.totals)}`,
    '',
  ]
  if (facts.totals) {
    const t = facts.totals
    lines.push(
      '| Tests | Passed | Failed | Errors | Skipped | Time |',
      '|---:|---:|---:|---:|---:|---:|',
      `| ${t.tests} | ${t.passed} | ${t.failures} | ${t.errors} | ${t.skipped} | ${(t.durationMs / 1000).toFixed(1)} s |`,
      '',
    )
  }
  lines.push(...coverageLines(facts), ...failureLines(facts))
  if (facts.failure !== undefined) lines.push('', `**Failed:** ${facts.failure}`)
  lines.push('', `<sub>setup-django-test · [run and job summary](${facts.runUrl})</sub>`)
  return `${lines.join('\n')}\n`
}

function headline(totals: TestTotals | undefined): string {
  if (!totals) return 'not run'
  const bad = totals.failures + totals.errors
  const parts = [bad > 0 ? `${bad} failed` : `${totals.passed} passed`]
  if (bad > 0) parts.push(`${totals.passed} passed`)
  if (totals.skipped > 0) parts.push(`${totals.skipped} skipped`)
  return parts.join(', ')
}

function coverageLines(facts: CommentFacts): string[] {
  if (!facts.coverage) return []
  const short = facts.baseSha ? facts.baseSha.slice(0, 7) : undefined
  const change = facts.base
    ? `${signed(facts.coverage.percent - facts.base.percent)} points against the base ${short} (${facts.base.display}%)`
    : `change against the base${short ? ` ${short}` : ''}: unknown (no figure was saved for it)`
  const out = [
    `- **Coverage:** ${facts.coverage.display}% — ${change}`,
    `- **Changed lines:** ${changedHeadline(facts)}`,
  ]
  const uncovered = facts.changed?.uncovered ?? []
  if (uncovered.length > 0) {
    out.push('', '<details><summary>Changed lines the tests do not run</summary>', '')
    for (const file of uncovered.slice(0, MAX_UNCOVERED_FILES)) {
      const first = file.lines[0]
      const name =
        facts.blobUrl && first !== undefined
          ? `[${file.file}](${facts.blobUrl}/${file.file}#L${first})`
          : `\`${file.file}\``
      out.push(`- ${name}: ${lineRanges(file.lines)}`)
    }
    if (uncovered.length > MAX_UNCOVERED_FILES)
      out.push(`- … and ${uncovered.length - MAX_UNCOVERED_FILES} more files`)
    out.push('', '</details>')
  }
  return out
}

function changedHeadline(facts: CommentFacts): string {
  const changed = facts.changed
  if (!changed) return `unknown (${facts.changedReason ?? 'not measured'})`
  if (changed.percent === undefined) return 'no changed line is a statement coverage.py measures'
  const threshold = facts.changedThreshold > 0 ? ` (threshold ${facts.changedThreshold}%)` : ''
  return `${formatPercent(changed.percent)}% — ${changed.covered} of ${changed.statements} changed statements run${threshold}`
}

function failureLines(facts: CommentFacts): string[] {
  if (facts.failedCases.length === 0) return []
  const out = ['', '**Failing tests**', '']
  for (const test of facts.failedCases.slice(0, MAX_FAILURES)) {
    const where = test.file ? `${test.file}${test.line ? `:${test.line}` : ''}` : undefined
    const link =
      where && facts.blobUrl
        ? ` ([${where}](${facts.blobUrl}/${test.file}${test.line ? `#L${test.line}` : ''}))`
        : where
          ? ` (${where})`
          : ''
    out.push(`- \`${test.id}\`${link}: ${oneLine(test.message)}`)
  }
  const more = facts.failedCases.length - MAX_FAILURES
  if (more > 0) out.push(`- … and ${more} more in the job summary`)
  return out
}

function oneLine(text: string): string {
  const line = text.split('\n')[0]?.trim() ?? ''
  return (line.length > 200 ? `${line.slice(0, 199)}…` : line).replace(/([<>|])/g, '\\$1')
}

function signed(points: number): string {
  const rounded = Math.round(points * 10) / 10
  return rounded > 0 ? `+${rounded.toFixed(1)}` : rounded < 0 ? rounded.toFixed(1) : '±0.0'
}
