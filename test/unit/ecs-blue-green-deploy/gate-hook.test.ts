import type { DeploymentLifecycleHook, Tag } from '@aws-sdk/client-ecs'
import {
  GATE_TAG,
  gateHook,
  gateTag,
  planHooks,
  withoutHook,
} from '../../../src/ecs-blue-green-deploy/gate-hook.js'

const lambda: DeploymentLifecycleHook = {
  targetType: 'AWS_LAMBDA',
  hookTargetArn: 'arn:lambda:f',
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
}
const userPause: DeploymentLifecycleHook = {
  targetType: 'PAUSE',
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
  timeoutConfiguration: { timeoutInMinutes: 120, action: 'CONTINUE' },
}
const approval: DeploymentLifecycleHook = {
  targetType: 'PAUSE',
  lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
}
const leftOver = gateHook(10 * 60_000)
const mark = [gateTag(leftOver)]

test('the gate hook pauses after the test traffic shift and rolls back when nobody answers', () => {
  expect(gateHook(90_000)).toEqual({
    targetType: 'PAUSE',
    lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
    timeoutConfiguration: { timeoutInMinutes: 2, action: 'ROLLBACK' },
  })
  expect(gateHook(30 * 24 * 3_600_000).timeoutConfiguration?.timeoutInMinutes).toBe(20_160)
  expect(gateTag(gateHook(600_000))).toEqual({ key: GATE_TAG, value: 'POST_TEST_TRAFFIC_SHIFT ROLLBACK 10' })
})

test.each<[string, DeploymentLifecycleHook[], Tag[], boolean, Partial<ReturnType<typeof planHooks>>]>([
  ['no gate, no hooks: nothing changes', [], [], false, { hooks: [], changed: false, tagged: false }],
  [
    'no gate: the user hooks stay as they are',
    [lambda, approval],
    [],
    false,
    { hooks: [lambda, approval], changed: false },
  ],
  [
    'a gate adds its hook after the others',
    [lambda],
    [],
    true,
    { hooks: [lambda, gateHook(1_800_000)], ours: gateHook(1_800_000), changed: true },
  ],
  [
    "a gate answers the user's own PAUSE at its stage instead of adding one",
    [userPause],
    [],
    true,
    { hooks: [userPause], changed: false },
  ],
  [
    'a plain run drops the marked hook a dead run left',
    [lambda, leftOver],
    mark,
    false,
    { hooks: [lambda], stale: leftOver, tagged: true, changed: true },
  ],
  [
    'a gated run replaces it with its own',
    [leftOver],
    mark,
    true,
    { hooks: [gateHook(1_800_000)], stale: leftOver, changed: true },
  ],
  [
    "an unmarked PAUSE at the gate stage is the user's: kept",
    [leftOver],
    [],
    false,
    { hooks: [leftOver], stale: undefined, changed: false },
  ],
  [
    'a mark whose hook is gone only needs the tag removed',
    [lambda],
    mark,
    false,
    { hooks: [lambda], stale: undefined, tagged: true, changed: false },
  ],
])('%s', (_name, current, tags, gate, expected) => {
  expect(planHooks(current, tags, gate, 30 * 60_000)).toMatchObject(expected)
})

test('withoutHook takes out one copy of the hook, matched by value', () => {
  const ours = gateHook(600_000)
  expect(withoutHook([lambda, structuredClone(ours), approval], ours)).toEqual([lambda, approval])
  expect(withoutHook([lambda], ours)).toEqual([lambda])
})
