import type { DeploymentLifecycleHook, Tag } from '@aws-sdk/client-ecs'

/** Where the test gate pauses: green serves all test traffic, blue still all production traffic. */
export const GATE_STAGE = 'POST_TEST_TRAFFIC_SHIFT'

/**
 * The service tag that marks the PAUSE hook this action added for its gate. Hooks are service
 * configuration and carry no name, so without a mark a hook left behind by a run that died (its
 * runner lost mid-gate) would look like the user's own; with it, the next run removes it. The value
 * describes the hook: `<stage> <timeout action> <timeout minutes>`.
 */
export const GATE_TAG = 'devops-actions:ecs-blue-green-deploy:gate-hook'

/** ECS takes PAUSE hook timeouts of 1 to 20160 minutes (14 days). */
export const MAX_HOOK_MINUTES = 20_160

/**
 * The gate's hook: PAUSE at POST_TEST_TRAFFIC_SHIFT whose timeout action is ROLLBACK, so a
 * runner that dies mid-gate cannot leave production untested.
 */
export function gateHook(timeoutMs: number): DeploymentLifecycleHook {
  const minutes = Math.min(MAX_HOOK_MINUTES, Math.max(1, Math.ceil(timeoutMs / 60_000)))
  return {
    targetType: 'PAUSE',
    lifecycleStages: [GATE_STAGE],
    timeoutConfiguration: { timeoutInMinutes: minutes, action: 'ROLLBACK' },
  }
}

export function gateTag(hook: DeploymentLifecycleHook): Tag {
  const timeout = hook.timeoutConfiguration
  return {
    key: GATE_TAG,
    value: `${hook.lifecycleStages?.join('+') ?? ''} ${timeout?.action ?? 'ROLLBACK'} ${timeout?.timeoutInMinutes ?? ''}`,
  }
}

function isPauseAtGate(hook: DeploymentLifecycleHook): boolean {
  return hook.targetType === 'PAUSE' && (hook.lifecycleStages ?? []).includes(GATE_STAGE)
}

/** The hook the tag describes, if the service still has it. */
function markedHook(
  hooks: readonly DeploymentLifecycleHook[],
  tags: readonly Tag[],
): DeploymentLifecycleHook | undefined {
  const mark = tags.find((t) => t.key === GATE_TAG)?.value
  if (mark === undefined) return undefined
  return hooks.find((h) => h.targetType === 'PAUSE' && gateTag(h).value === mark)
}

export interface HookPlan {
  /** The hooks to configure for this deployment. */
  hooks: DeploymentLifecycleHook[]
  /** The hook this run adds for its gate (removed again when the deployment ends). */
  ours?: DeploymentLifecycleHook
  /** A gate hook an earlier run of this action left behind, removed by this run. */
  stale?: DeploymentLifecycleHook
  /** The service carries the gate tag: this run must remove or rewrite it. */
  tagged: boolean
  /** Whether the hooks differ from the service's. */
  changed: boolean
}

/**
 * The lifecycle hooks a run configures: the user's own (Lambda or PAUSE) always kept; a gate hook
 * an earlier run left behind dropped; for a gated run, the gate's PAUSE hook added — unless the
 * user has a PAUSE hook at that stage already, which the gate then answers and leaves in place.
 */
export function planHooks(
  current: readonly DeploymentLifecycleHook[],
  tags: readonly Tag[],
  gate: boolean,
  timeoutMs: number,
): HookPlan {
  const stale = markedHook(current, tags)
  const users = current.filter((h) => h !== stale)
  const tagged = tags.some((t) => t.key === GATE_TAG)
  if (!gate || users.some(isPauseAtGate)) {
    return { hooks: users, stale, tagged, changed: stale !== undefined }
  }
  const ours = gateHook(timeoutMs)
  return { hooks: [...users, ours], ours, stale, tagged, changed: true }
}

/** The hooks without the one this action added (matched by value: ECS hands back copies). */
export function withoutHook(
  hooks: readonly DeploymentLifecycleHook[],
  ours: DeploymentLifecycleHook,
): DeploymentLifecycleHook[] {
  const mark = gateTag(ours).value
  const index = hooks.findIndex((h) => h.targetType === 'PAUSE' && gateTag(h).value === mark)
  return index < 0 ? [...hooks] : [...hooks.slice(0, index), ...hooks.slice(index + 1)]
}
