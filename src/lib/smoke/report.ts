import { heading, table } from '../runner/summary.js'
import type { CheckResult } from './engine.js'
import { loadSection } from './load-report.js'

/** The job-summary table of check results. */
export function resultsSummary(title: string, results: readonly CheckResult[]): string {
  const passed = results.filter((r) => r.ok).length
  const rows = results.map((r) => [
    r.name,
    r.url,
    r.ok ? '✅ pass' : `❌ ${r.error ?? 'fail'}`,
    r.status ?? '—',
    r.attempts,
    r.latencyMs === null ? '—' : `${r.latencyMs} ms`,
  ])
  const loads = results.map((r) => (r.load === undefined ? '' : '\n' + loadSection(r.name, r.load))).join('')
  return (
    heading(`${title}: ${passed}/${results.length} passed`) +
    table(['Check', 'URL', 'Result', 'Status', 'Attempts', 'Latency'], rows) +
    loads
  )
}

/** One line naming the failed checks and why, for the step's failure message. */
export function failureLine(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => !r.ok)
  const first = failed[0]
  if (first === undefined) return ''
  const more =
    failed.length > 1
      ? ` (and ${failed.length - 1} more: ${failed
          .slice(1)
          .map((r) => r.name)
          .join(', ')})`
      : ''
  return `${failed.length} of ${results.length} checks failed: ${first.name}: ${first.error ?? 'failed'}${more}`
}
