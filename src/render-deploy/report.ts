import { formatDuration } from '../lib/duration.js'
import { code, heading, table } from '../lib/runner/summary.js'
import type { DeployOutcome } from './flow.js'

const ICONS: Record<string, string> = {
  live: '✅',
  deactivated: '⏸️',
  build_failed: '❌',
  update_failed: '❌',
  pre_deploy_failed: '❌',
  canceled: '🚫',
}

/** Lines in a fenced block that no line of theirs can close. */
function fence(lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((run) => run.length)))
  const marks = '`'.repeat(longest + 1)
  return `${marks}\n${lines.join('\n')}\n${marks}`
}

/** The job summary: what was deployed, how it ended, and the timeline of status changes. */
export function deploySummary(outcome: DeployOutcome): string {
  const verdict =
    outcome.failure === undefined ? 'succeeded' : outcome.rolledBack ? 'failed, rolled back' : 'failed'
  const row = [
    `${outcome.serviceName ? `${outcome.serviceName} ` : ''}${code(outcome.serviceId)}`,
    outcome.deployId === undefined ? '—' : code(outcome.deployId),
    outcome.source,
    `${ICONS[outcome.status] ?? ''} ${outcome.status}`.trim(),
    outcome.serviceUrl ?? (outcome.internalAddress ? `private: ${code(outcome.internalAddress)}` : '—'),
    outcome.rolledBack ? `yes, to ${code(outcome.rollbackTargetId ?? '')}` : 'no',
  ]
  let markdown =
    heading(`Render deploy ${verdict}`) +
    table(['Service', 'Deploy', 'Source', 'Status', 'Service URL', 'Rolled back'], [row])
  if (outcome.timeline.length > 0) {
    markdown +=
      '\n' +
      heading('Timeline', 4) +
      table(
        ['After', 'Deploy', 'Status'],
        outcome.timeline.map((entry) => [
          formatDuration(entry.at),
          code(entry.deployId),
          `${ICONS[entry.status] ?? ''} ${entry.status}`.trim(),
        ]),
      )
  }
  if (outcome.note !== undefined) markdown += `\n${outcome.note}\n`
  if (outcome.failure !== undefined) markdown += `\n**Failure:** ${outcome.failure}\n`
  if (outcome.autoDeployWarning !== undefined) markdown += `\n**Warning:** ${outcome.autoDeployWarning}\n`
  const logLines = outcome.diagnosis?.logLines ?? []
  if (logLines.length > 0) {
    markdown += `\n<details><summary>The deploy's last ${logLines.length} log lines</summary>\n\n${fence(logLines)}\n</details>\n`
  }
  return markdown
}
