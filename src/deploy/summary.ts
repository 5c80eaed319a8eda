import { formatDuration } from '../lib/duration.js'
import { code, heading, table } from '../lib/runner/summary.js'
import type { PhaseRecord } from './pipeline.js'

export interface DeployOutputs {
  'image-uri': string
  'deployment-id': string
  status: string
  url: string
}

const ICONS: Record<PhaseRecord['status'], string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
  'not run': '— not run',
}

/** The job summary: one row per phase and the outcome, then each phase's own summary under its heading. */
export function deploySummary(
  title: string,
  records: readonly PhaseRecord[],
  outputs: DeployOutputs,
): string {
  const failed = records.find((r) => r.status === 'failed')
  let markdown = heading(`${title}: ${failed === undefined ? 'succeeded' : `failed in ${failed.name}`}`, 2)
  markdown += table(
    ['Phase', 'Result', 'Time', 'Note'],
    records.map((r, i) => [
      `${i + 1}. ${r.name}`,
      ICONS[r.status],
      r.durationMs === undefined ? '' : formatDuration(r.durationMs),
      r.note ?? '',
    ]),
  )
  const facts = (
    [
      ['Image', outputs['image-uri']],
      ['Deployment', outputs['deployment-id']],
      ['Status', outputs.status],
      ['URL', outputs.url],
    ] as const
  ).filter(([, value]) => value !== '')
  if (facts.length > 0)
    markdown +=
      '\n' +
      table(
        ['', ''],
        facts.map(([name, value]) => [name, code(value)]),
      )
  for (const [index, record] of records.entries()) {
    if (record.summary === '') continue
    markdown += '\n' + heading(`${index + 1}. ${record.name}`, 2) + record.summary
  }
  return markdown
}
