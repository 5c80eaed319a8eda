import type { ServiceDeployment } from '@aws-sdk/client-ecs'
import {
  BAKE_MAX_MS,
  delayFor,
  FAST_MS,
  migrationDelay,
  nextDelay,
  PAUSE_MAX_MS,
  type PollView,
} from '../../../src/ecs-blue-green-deploy/polling.js'

const NOW = 1_700_000_000_000
const view = (deployment: ServiceDeployment | undefined, extra: Partial<PollView> = {}): PollView => ({
  deployment,
  stageSeenAt: NOW,
  unchanged: 0,
  gated: false,
  ...extra,
})
const baking = (minutes?: number): ServiceDeployment => ({
  status: 'IN_PROGRESS',
  lifecycleStage: 'BAKE_TIME',
  ...(minutes === undefined ? {} : { deploymentConfiguration: { bakeTimeInMinutes: minutes } }),
})

test('every second while a deployment starts, moves or rolls back', () => {
  for (const d of [
    undefined,
    { status: 'PENDING' },
    { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' },
    { status: 'ROLLBACK_IN_PROGRESS' },
  ] as const) {
    expect(delayFor(view(d as ServiceDeployment, { unchanged: 40 }), NOW + 120_000)).toBe(FAST_MS)
  }
  expect(delayFor(view({ status: 'SUCCESSFUL' }), NOW)).toBe(Infinity)
})

test('a bake backs off as nothing changes, and is fast again 3 s before it should end', () => {
  const ten = baking(10)
  expect(delayFor(view(ten, { unchanged: 0 }), NOW)).toBe(1000)
  expect(delayFor(view(ten, { unchanged: 3 }), NOW + 5000)).toBe(3375)
  expect(delayFor(view(ten, { unchanged: 20 }), NOW + 60_000)).toBe(BAKE_MAX_MS)
  // Never sleeps past the start of the fast window before the predicted end.
  expect(delayFor(view(ten, { unchanged: 20 }), NOW + 590_000)).toBe(7000)
  expect(delayFor(view(ten, { unchanged: 20 }), NOW + 597_000)).toBe(FAST_MS)
  // No bake in the deployment's configuration: the plan's, else none (fast).
  expect(delayFor(view(baking(), { unchanged: 20, bakeMinutes: 5 }), NOW + 60_000)).toBe(BAKE_MAX_MS)
  expect(delayFor(view(baking(), { unchanged: 20 }), NOW + 60_000)).toBe(FAST_MS)
})

test("someone else's pause backs off to 10 s, and is fast again before the hook expires", () => {
  const paused = (expiresAt?: Date): ServiceDeployment => ({
    status: 'IN_PROGRESS',
    lifecycleStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' as never,
    lifecycleHookDetails: [{ hookId: 'h', targetType: 'PAUSE', status: 'AWAITING_ACTION', expiresAt }],
  })
  expect(delayFor(view(paused(), { unchanged: 30 }), NOW)).toBe(PAUSE_MAX_MS)
  expect(delayFor(view(paused(new Date(NOW + 8000)), { unchanged: 30 }), NOW)).toBe(5000)
  // The gate's own pause is not waited out: the gate runs.
  const gate: ServiceDeployment = { ...paused(), lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' }
  expect(delayFor(view(gate, { unchanged: 30, gated: true }), NOW)).toBe(FAST_MS)
})

test('nextDelay: the soonest of all watched deployments, or the fixed interval', () => {
  const views = [
    view(baking(10), { unchanged: 20 }),
    view({ status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }),
  ]
  expect(nextDelay(views, NOW + 60_000)).toBe(FAST_MS)
  expect(nextDelay(views.slice(0, 1), NOW + 60_000)).toBe(BAKE_MAX_MS)
  expect(nextDelay(views, NOW, 5000)).toBe(5000)
  expect(nextDelay([view({ status: 'SUCCESSFUL' })], NOW)).toBe(FAST_MS)
})

test('migrationDelay: every second for ten looks, then backing off to 10 s', () => {
  expect([1, 10, 11, 15, 30, 60].map((a) => migrationDelay(a))).toEqual([
    1000, 1000, 1200, 2488, 10_000, 10_000,
  ])
  expect(migrationDelay(50, 3000)).toBe(3000)
})
