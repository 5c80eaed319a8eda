import { code, details, heading, table } from '../lib/runner/summary.js'
import { describeGate, type GateRule } from './gate.js'
import { where, type Located } from './located.js'
import type { ToolReport } from './tool-run.js'

/** How many findings the summary lists; the SARIF file and the tools' own logs have them all. */
export const TOP_FINDINGS = 20
const DIFF_BUDGET = 60_000

export interface SummaryFacts {
  reports: readonly ToolReport[]
  located: readonly Located[]
  failOn: readonly GateRule[]
  verdict: string
  workingDirectory: string
  /** Findings that fail the gate but got no annotation (the runner shows 10 per step). */
  unannotated: number
}

function toolsTable(facts: SummaryFacts): string {
  const rows = facts.reports.map((report) => {
    const mine = facts.located.filter((f) => f.source === report.source)
    return [
      report.source,
      report.config ?? '',
      report.error ? 'could not run' : mine.length,
      report.error ? '' : mine.filter((f) => f.failsGate).length,
      `${(report.durationMs / 1000).toFixed(1)} s`,
    ]
  })
  return table(['tool', 'configured in', 'findings', 'fail the gate', 'time'], rows)
}

function findingsTable(located: readonly Located[]): string {
  const top = located.slice(0, TOP_FINDINGS)
  const rows = top.map((f) => [
    f.failsGate ? '❌' : '⚠️',
    f.source,
    f.severity,
    code(where(f)),
    f.url ? `[${f.code}](${f.url})` : f.code,
    f.message,
  ])
  const more =
    located.length > top.length
      ? `\n…and ${located.length - top.length} more (all of them are in the SARIF file).\n`
      : ''
  return heading('Top findings', 4) + table(['', 'tool', 'severity', 'where', 'rule', 'message'], rows) + more
}

function diffsSection(reports: readonly ToolReport[]): string {
  let budget = DIFF_BUDGET
  const blocks: string[] = []
  for (const report of reports) {
    for (const diff of report.diffs) {
      const body = diff.diff.length > budget ? `${diff.diff.slice(0, Math.max(budget, 0))}\n…` : diff.diff
      if (budget <= 0) break
      budget -= body.length
      blocks.push(details(`${report.source}: ${diff.file}`, `\`\`\`diff\n${body}\n\`\`\``))
    }
  }
  return blocks.length > 0 ? heading('What the formatters would change', 4) + blocks.join('\n') : ''
}

/** The job summary: the verdict, a table by tool, the top findings, the formatters' diffs. */
export function qualitySummary(facts: SummaryFacts): string {
  const parts = [
    heading(`Python quality: ${facts.verdict}`),
    `In ${code(facts.workingDirectory)}, gate ${code(`fail-on: ${describeGate(facts.failOn)}`)}.\n\n`,
    facts.reports.length > 0
      ? toolsTable(facts)
      : 'No tool is configured and no requirement or lock file was found: nothing to check.\n',
  ]
  for (const report of facts.reports.filter((r) => r.error))
    parts.push(`\n**${report.source}**: ${report.error}\n`)
  if (facts.located.length > 0) parts.push('\n', findingsTable(facts.located))
  if (facts.unannotated > 0)
    parts.push(
      `\n${facts.unannotated} failing finding(s) are not annotated: the runner shows 10 error annotations per step.\n`,
    )
  const diffs = diffsSection(facts.reports)
  if (diffs) parts.push('\n', diffs)
  return parts.join('')
}
