import type { ServiceEvent, Task } from '@aws-sdk/client-ecs'
import { formatDuration } from '../lib/duration.js'
import type { CheckResult } from '../lib/smoke/engine.js'
import { resultsSummary } from '../lib/smoke/report.js'
import { code, heading, table } from '../lib/summary.js'
import type { TimelineEntry } from './deployment-state.js'
import { taskDefinitionLabel } from './task-definition.js'

export interface RunReport {
  cluster: string
  service: string
  strategy: string
  taskDefinitionArn?: string
  image?: string
  deploymentArn?: string
  status: string
  rolledBack: boolean
  /** The revision the service runs at the end (after a rollback, the old one). */
  serviceTaskDefinition?: string
  migrationTaskArn?: string
  timeline: TimelineEntry[]
  endedAt: number
  gateResults?: CheckResult[]
  reason?: string
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

/** The job summary: outcome, revision and image, then the stage timeline and the gate's checks. */
export function runSummary(report: RunReport): string {
  const icon = report.status === 'SUCCESSFUL' ? '✅' : report.rolledBack ? '↩️' : '❌'
  const rows: unknown[][] = [
    ['Service', `${report.service} (cluster ${report.cluster})`],
    ['Strategy', report.strategy],
    ['Status', `${icon} ${report.status}${report.rolledBack ? ' (rolled back)' : ''}`],
    ['Task definition', report.taskDefinitionArn ? code(taskDefinitionLabel(report.taskDefinitionArn)) : '—'],
    ['Image', report.image ? code(report.image) : 'unchanged'],
  ]
  if (report.serviceTaskDefinition !== undefined && report.status !== 'SUCCESSFUL') {
    rows.push(['Service now on', code(taskDefinitionLabel(report.serviceTaskDefinition))])
  }
  if (report.migrationTaskArn) rows.push(['Migration task', code(report.migrationTaskArn)])
  if (report.deploymentArn) rows.push(['Deployment', code(report.deploymentArn)])
  if (report.reason) rows.push(['Reason', report.reason])
  let markdown = heading(`ECS deployment: ${report.service}`) + table(['', ''], rows)
  if (report.timeline.length > 0) {
    markdown += '\n' + table(['Stage', 'Reached', 'Duration'], timelineRows(report.timeline, report.endedAt))
  }
  if (report.gateResults !== undefined) markdown += '\n' + resultsSummary('Test gate', report.gateResults)
  return markdown
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
