/** What a deploy status means for this action. */
export type StatusOutcome = 'in-progress' | 'live' | 'deactivated' | 'failed'

/** The statuses Render ends a deploy in without it going live. */
export const FAILED_STATUSES = ['build_failed', 'update_failed', 'pre_deploy_failed', 'canceled'] as const

/** Still on its way: created, queued, build/pre-deploy/update in progress. */
export const IN_PROGRESS_STATUSES = [
  'created',
  'queued',
  'build_in_progress',
  'pre_deploy_in_progress',
  'update_in_progress',
] as const

/**
 * Classifies a deploy status. `deactivated` is terminal but only a success when a newer deploy
 * replaced this one (see `supersedingDeploy`). A status this code does not know yet is treated as
 * still in progress, unless its name says it failed, so a new Render status cannot end a wait early
 * as a false success; the timeout still bounds the wait.
 */
export function classifyStatus(status: string): StatusOutcome {
  if (status === 'live') return 'live'
  if (status === 'deactivated') return 'deactivated'
  if ((FAILED_STATUSES as readonly string[]).includes(status) || /_failed$/.test(status)) return 'failed'
  return 'in-progress'
}

export function isTerminalStatus(status: string): boolean {
  return classifyStatus(status) !== 'in-progress'
}
