import { formatDuration } from '../lib/duration.js'
import { code, heading, table } from '../lib/runner/summary.js'
import type { PhaseRecord } from './pipeline.js'
import type { DeployResult, ImageOrigin } from './result.js'

/** What the summary states besides the phases. */
export type SummaryFacts = Pick<
  DeployResult,
  'imageUri' | 'deploymentId' | 'status' | 'url' | 'deployments'
> & {
  origin?: ImageOrigin
}

/** `web:7` from a task definition ARN (…:task-definition/web:7); the text itself otherwise. */
const revision = (arn: string | null) => (arn ?? '').replace(/^.*:task-definition\//, '')

/**
 * The deployment's rows: one for a single deployment; with several services (`services`), one
 * per service with its outcome and the revision it runs now, since the deploy's one status and
 * ARN output describe only the worst and the first.
 */
function deploymentRows(facts: SummaryFacts): (readonly [string, string])[] {
  const records = facts.deployments ?? []
  if (records.length < 2)
    return [
      ['Deployment', facts.deploymentId],
      ['Status', facts.status],
    ]
  return records.map((r) => {
    const runs = revision(r.serviceTaskDefinitionArn)
    return [
      `Service ${r.service}`,
      `${r.status}${r.rolledBack ? ' (rolled back)' : ''}${runs === '' ? '' : `, runs ${runs}`}`,
    ] as const
  })
}

const IMAGE_LABEL: Record<ImageOrigin, string> = {
  built: 'Image (built)',
  reused: 'Image (pushed by an earlier run of this commit)',
  promoted: 'Image (promoted: built by an earlier job, not built here)',
  none: 'Image',
}

const ICONS: Record<PhaseRecord['status'], string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
  'not run': '— not run',
}

/** The job summary: one row per phase and the outcome, then each phase's own summary under its heading. */
export function deploySummary(title: string, records: readonly PhaseRecord[], facts: SummaryFacts): string {
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
  const rows = (
    [
      [IMAGE_LABEL[facts.origin ?? 'none'], facts.imageUri],
      ...deploymentRows(facts),
      ['URL', facts.url],
    ] as const
  ).filter(([, value]) => value !== '')
  if (rows.length > 0)
    markdown +=
      '\n' +
      table(
        ['', ''],
        rows.map(([name, value]) => [name, code(value)]),
      )
  for (const [index, record] of records.entries()) {
    if (record.summary === '') continue
    markdown += '\n' + heading(`${index + 1}. ${record.name}`, 2) + record.summary
  }
  return markdown
}
