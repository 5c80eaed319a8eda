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

/** The job summary: what was deployed, how it ended, and the timeline of status changes. */
export function deploySummary(outcome: DeployOutcome): string {
  const verdict =
    outcome.failure === undefined ? 'succeeded' : outcome.rolledBack ? 'failed, rolled back' : 'failed'
  const row = [
    `${outcome.serviceName ? `${outcome.serviceName} ` : ''}${code(outcome.serviceId)}`,
    outcome.deployId === undefined ? '—' : code(outcome.deployId),
    outcome.source,
    `${ICONS[outcome.status] ?? ''} ${outcome.status}`.trim(),
    outcome.serviceUrl ?? '—',
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
  return markdown
}
