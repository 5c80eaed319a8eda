import type { ServiceEvent, Task } from '@aws-sdk/client-ecs'
import { formatDuration } from '../lib/duration.js'
import { code, heading, table } from '../lib/runner/summary.js'
import type { TimelineEntry } from './deployment-state.js'
import { gateSummary, type CheckResult } from './gate-checks.js'
import { taskDefinitionLabel } from './task-definition.js'

/** How one service's deployment ended, for the outputs, the summary and the error. */
export interface ServiceResult {
  service: string
  strategy: string
  /** The revision this run registered. */
  taskDefinitionArn?: string
  /** The revision the service ran before. */
  previousTaskDefinitionArn?: string
  deploymentArn?: string
  status: string
  rolledBack: boolean
  /** Whether this run started a deployment of the service. */
  changed: boolean
  /** The revision the service runs at the end, when known. */
  serviceTaskDefinitionArn?: string
  /** Whether a deployment of the service was still running at the end. */
  stillRunning?: boolean
  /** Images set in the new revision, by container. */
  images: Record<string, string>
  reason?: string
  timeline: TimelineEntry[]
  gateResults?: CheckResult[]
}

export interface RunReport {
  cluster: string
  services: ServiceResult[]
  migrationTaskArn?: string
  /** Why the run failed before (or apart from) the deployments, e.g. the migration. */
  reason?: string
  /** Set for a run that stopped before UpdateService. */
  status?: string
  endedAt: number
}

// From done to worst: the status a run of several services reports is its worst one's.
const SEVERITY = [
  'SUCCESSFUL',
  'ROLLBACK_SUCCESSFUL',
  'STOPPED',
  'IN_PROGRESS',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_FAILED',
]

/** The `status` output: the only service's, else the worst of them (SUCCESSFUL only when all are). */
export function overallStatus(report: RunReport): string {
  if (report.status !== undefined) return report.status
  const statuses = report.services.map((s) => s.status)
  if (statuses.length === 0) return 'NOT_STARTED'
  const rank = (s: string) => (SEVERITY.includes(s) ? SEVERITY.indexOf(s) : SEVERITY.length)
  return statuses.reduce((worst, s) => (rank(s) > rank(worst) ? s : worst))
}

/** The `rolled-back` output: every service changed by this run is back on its previous revision. */
export function allRolledBack(report: RunReport): boolean {
  const changed = report.services.filter((s) => s.changed)
  return changed.length > 0 && changed.every((s) => s.rolledBack)
}

/** One service's deployment as the `deployments` output lists it. */
export interface DeploymentRecord {
  service: string
  cluster: string
  strategy: string
  taskDefinitionArn: string | null
  previousTaskDefinitionArn: string | null
  deploymentArn: string | null
  status: string
  rolledBack: boolean
  /** The revision the service runs at the end (the new one when that is not known). */
  serviceTaskDefinitionArn: string | null
  reason?: string
}

/** The `deployments` output: one record per service. */
export function deploymentRecords(report: RunReport): DeploymentRecord[] {
  return report.services.map((s) => ({
    service: s.service,
    cluster: report.cluster,
    strategy: s.strategy,
    taskDefinitionArn: s.taskDefinitionArn ?? null,
    previousTaskDefinitionArn: s.previousTaskDefinitionArn ?? null,
    deploymentArn: s.deploymentArn ?? null,
    status: s.status,
    rolledBack: s.rolledBack,
    serviceTaskDefinitionArn: s.serviceTaskDefinitionArn ?? s.taskDefinitionArn ?? null,
    ...(s.reason ? { reason: s.reason } : {}),
  }))
}

/** Rows of stage, offset from the first stage, and how long each stage lasted. */
export function timelineRows(timeline: readonly TimelineEntry[], endedAt: number): string[][] {
  const start = timeline[0]?.at ?? endedAt
  return timeline.map((entry, i) => {
    const next = timeline[i + 1]?.at
    const last = i === timeline.length - 1
    return [
      entry.stage,
      `+${formatDuration(entry.at - start)}`,
      last && next === undefined ? '—' : formatDuration((next ?? endedAt) - entry.at),
    ]
  })
}

function icon(s: ServiceResult): string {
  return s.status === 'SUCCESSFUL' ? '✅' : s.rolledBack ? '↩️' : '❌'
}

function serviceRow(s: ServiceResult): string[] {
  const images = Object.entries(s.images)
  const now = s.serviceTaskDefinitionArn ?? (s.status === 'SUCCESSFUL' ? s.taskDefinitionArn : undefined)
  return [
    s.service,
    s.strategy,
    s.taskDefinitionArn ? code(taskDefinitionLabel(s.taskDefinitionArn)) : '—',
    images.length > 0 ? images.map(([c, image]) => `${c}: ${code(image)}`).join('<br>') : 'unchanged',
    `${icon(s)} ${s.status}${s.rolledBack ? ' (rolled back)' : ''}`,
    now ? `${code(taskDefinitionLabel(now))}${s.stillRunning ? ' (a deployment still runs)' : ''}` : '—',
  ]
}

/** The job summary: a row per service, then why, the stage timelines and the gate's checks. */
export function runSummary(report: RunReport): string {
  const names = report.services.map((s) => s.service).join(', ')
  let markdown = heading(`ECS deployment: ${names || 'not started'} (cluster ${report.cluster})`)
  if (report.services.length > 0) {
    markdown += table(
      ['Service', 'Strategy', 'Revision', 'Images', 'Status', 'Now on'],
      report.services.map(serviceRow),
    )
  }
  const details: string[][] = []
  if (report.migrationTaskArn) details.push(['Migration task', code(report.migrationTaskArn)])
  for (const s of report.services)
    if (s.deploymentArn) details.push([`Deployment (${s.service})`, code(s.deploymentArn)])
  if (report.reason) details.push(['Reason', report.reason])
  for (const s of report.services) if (s.reason) details.push([`Reason (${s.service})`, s.reason])
  if (details.length > 0) markdown += '\n' + table(['', ''], details)
  const several = report.services.length > 1
  for (const s of report.services) {
    if (s.timeline.length === 0) continue
    if (several) markdown += '\n' + heading(`Stages: ${s.service}`, 4)
    else markdown += '\n'
    markdown += table(['Stage', 'Reached', 'Duration'], timelineRows(s.timeline, report.endedAt))
  }
  for (const s of report.services) {
    if (s.gateResults !== undefined)
      markdown += '\n' + gateSummary(`Test gate${several ? ` (${s.service})` : ''}`, s.gateResults)
  }
  return markdown
}

/** Where a service ended, for the failure line: the revision it runs and any deployment still running. */
function whereNow(s: ServiceResult): string {
  const on = taskDefinitionLabel(
    s.serviceTaskDefinitionArn ?? (s.changed ? undefined : s.previousTaskDefinitionArn),
  )
  const running = s.stillRunning ? `; its deployment ${s.deploymentArn ?? ''} is still running` : ''
  return `${s.rolledBack ? 'back on' : 'on'} ${on}${running}`
}

/** The error of a run whose deployments did not all succeed. */
export function failureMessage(report: RunReport): string {
  const [only] = report.services
  if (report.services.length === 1 && only !== undefined) {
    const label = taskDefinitionLabel(only.taskDefinitionArn)
    const what = only.rolledBack
      ? `was rolled back: the service is ${whereNow(only)}`
      : only.status === 'ROLLBACK_FAILED'
        ? `failed and its rollback failed too: the service is ${whereNow(only)}`
        : `did not succeed (status ${only.status}): the service is ${whereNow(only)}`
    return `Deployment of ${label} to service '${only.service}' ${what}. Why: ${only.reason ?? 'unknown'}`
  }
  const outcomes = report.services.map(
    (s) => `${s.service}: ${s.status}, ${whereNow(s)}${s.reason ? ` (${s.reason})` : ''}`,
  )
  const verdict = allRolledBack(report)
    ? 'every service is back on its previous revision'
    : 'not every service is back on its previous revision'
  return `Deployment of ${report.services.length} services did not succeed; ${verdict}. ${outcomes.join('; ')}`
}

/** The service's latest events, oldest first so the log reads in order. */
export function eventLines(events: readonly ServiceEvent[] | undefined, max = 10): string[] {
  return (events ?? [])
    .slice(0, max)
    .reverse()
    .map((e) => `${e.createdAt instanceof Date ? e.createdAt.toISOString() : '?'} ${e.message ?? ''}`)
}

/** Why each stopped task stopped: the task's reason and each container's exit code and reason. */
export function stoppedTaskLines(tasks: readonly Task[]): string[] {
  return tasks.map((task) => {
    const id = task.taskArn?.split('/').pop() ?? '?'
    const containers = (task.containers ?? [])
      .filter((c) => c.exitCode !== undefined || c.reason)
      .map((c) => `${c.name ?? '?'}: exit ${c.exitCode ?? '?'}${c.reason ? ` (${c.reason})` : ''}`)
    const revision = taskDefinitionLabel(task.taskDefinitionArn)
    return `${id} [${revision}] ${task.stoppedReason ?? 'no stop reason'}${containers.length ? `; ${containers.join('; ')}` : ''}`
  })
}

/**
 * The stopped tasks worth showing: those of the revision being deployed (why the new tasks died),
 * newest first; the service's other stopped tasks only when none of the new revision stopped.
 */
export function relevantStoppedTasks(tasks: readonly Task[], taskDefinitionArn: string, max = 10): Task[] {
  const newest = [...tasks].sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
  const ours = newest.filter((t) => t.taskDefinitionArn === taskDefinitionArn)
  return (ours.length > 0 ? ours : newest).slice(0, max)
}
