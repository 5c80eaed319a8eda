import type { ServicePlan } from './plan.js'
import type { RunReport } from './report.js'
import type { Tracker } from './tracker.js'

/** One run's state: the report the result is made from, the plans, and the trackers once started. */
export interface RunState {
  report: RunReport
  plans: ServicePlan[]
  trackers: Tracker[]
  /** The deployment the first started service is on (the `deployment-arn` output). */
  deploymentArn?: string
}

export function newRunState(cluster: string): RunState {
  return { report: { cluster, services: [], endedAt: 0 }, plans: [], trackers: [] }
}
