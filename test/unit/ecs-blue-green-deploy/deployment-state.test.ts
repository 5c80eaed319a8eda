import type { ServiceDeployment } from '@aws-sdk/client-ecs'
import {
  failureReason,
  foreignPause,
  foreignPauseMessage,
  gateHookIds,
  isFinal,
  progressLine,
  recordStage,
  type ForeignPause,
  type TimelineEntry,
} from '../../../src/ecs-blue-green-deploy/deployment-state.js'

const awaiting = { hookId: 'h1', targetType: 'PAUSE' as const, status: 'AWAITING_ACTION' as const }

test.each<[string, ServiceDeployment, string[]]>([
  [
    'paused at the gate',
    { status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHookDetails: [awaiting] },
    ['h1'],
  ],
  [
    'paused elsewhere',
    { status: 'IN_PROGRESS', lifecycleStage: 'POST_SCALE_UP', lifecycleHookDetails: [awaiting] },
    [],
  ],
  [
    'hook already answered',
    {
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [{ ...awaiting, status: 'SUCCEEDED' }],
    },
    [],
  ],
  [
    'lambda hook',
    {
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [{ ...awaiting, targetType: 'AWS_LAMBDA' }],
    },
    [],
  ],
  [
    'rolling back',
    {
      status: 'ROLLBACK_IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [awaiting],
    },
    [],
  ],
])('gateHookIds: %s', (_name, deployment, ids) => {
  expect(gateHookIds(deployment)).toEqual(ids)
})

test.each<[ServiceDeployment, string]>([
  [{ status: 'PENDING' }, 'PENDING'],
  [
    {
      status: 'IN_PROGRESS',
      lifecycleStage: 'SCALE_UP',
      targetServiceRevision: { requestedTaskCount: 2, runningTaskCount: 1, pendingTaskCount: 1 },
    },
    'IN_PROGRESS · SCALE_UP · new revision 1/2 running, 1 pending',
  ],
  [
    { status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHookDetails: [awaiting] },
    'IN_PROGRESS · POST_TEST_TRAFFIC_SHIFT · paused at hook',
  ],
  [
    { status: 'ROLLBACK_IN_PROGRESS', deploymentCircuitBreaker: { status: 'TRIGGERED' } },
    'ROLLBACK_IN_PROGRESS · circuit breaker triggered',
  ],
])('progressLine %#', (deployment, line) => {
  expect(progressLine(deployment)).toBe(line)
})

test('isFinal', () => {
  expect(
    ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].every((status) =>
      isFinal({ status: status as never }),
    ),
  ).toBe(true)
  expect(
    ['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'].some(
      (status) => isFinal({ status: status as never }),
    ),
  ).toBe(false)
})

test('recordStage keeps the first time each stage was seen, and final statuses', () => {
  const timeline: TimelineEntry[] = []
  recordStage(timeline, { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }, 1)
  recordStage(timeline, { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }, 2)
  recordStage(timeline, { status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'SCALE_UP' }, 3)
  recordStage(timeline, { status: 'ROLLBACK_SUCCESSFUL' }, 4)
  expect(timeline).toEqual([
    { stage: 'SCALE_UP', at: 1 },
    { stage: 'ROLLBACK_IN_PROGRESS', at: 3 },
    { stage: 'ROLLBACK_SUCCESSFUL', at: 4 },
  ])
})

test.each<[ServiceDeployment, string]>([
  [
    {
      status: 'ROLLBACK_SUCCESSFUL',
      deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3 },
      rollback: { reason: 'circuit breaker' },
    },
    'the deployment circuit breaker triggered (3 failed tasks); circuit breaker',
  ],
  [
    {
      status: 'ROLLBACK_SUCCESSFUL',
      statusReason: 'same',
      rollback: { reason: 'same' },
      alarms: { triggeredAlarmNames: ['5xx'] },
    },
    'same; alarms triggered: 5xx',
  ],
  [{ status: 'STOPPED' }, 'ended STOPPED'],
])('failureReason %#', (deployment, reason) => {
  expect(failureReason(deployment)).toBe(reason)
})

describe('foreignPause', () => {
  const awaiting = (lifecycleStage: string, expiresAt?: Date) => ({
    status: 'IN_PROGRESS' as const,
    lifecycleStage: lifecycleStage as never,
    lifecycleHookDetails: [
      {
        hookId: 'h-1',
        targetType: 'PAUSE' as const,
        status: 'AWAITING_ACTION' as const,
        expiresAt,
        timeoutAction: 'CONTINUE' as const,
      },
    ],
  })

  test("a PAUSE awaiting action anywhere but the gate of a gated service is someone else's", () => {
    expect(foreignPause(awaiting('PRE_PRODUCTION_TRAFFIC_SHIFT'), true)).toEqual({
      stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
      hookId: 'h-1',
      expiresAt: undefined,
      timeoutAction: 'CONTINUE',
    })
    expect(foreignPause(awaiting('POST_TEST_TRAFFIC_SHIFT'), true)).toBeUndefined()
    expect(foreignPause(awaiting('POST_TEST_TRAFFIC_SHIFT'), false)?.stage).toBe('POST_TEST_TRAFFIC_SHIFT')
    expect(foreignPause({ ...awaiting('SCALE_UP'), status: 'ROLLBACK_IN_PROGRESS' }, false)).toBeUndefined()
    expect(
      foreignPause(
        {
          status: 'IN_PROGRESS',
          lifecycleHookDetails: [{ hookId: 'l', targetType: 'AWS_LAMBDA', status: 'IN_PROGRESS' }],
        },
        false,
      ),
    ).toBeUndefined()
  })

  test('the message names the stage, the expiry and the command that continues it', () => {
    const pause = foreignPause(awaiting('POST_SCALE_UP', new Date('2026-05-20T14:00:00Z')), false)
    expect(foreignPauseMessage('web', 'arn:dep/1', pause as ForeignPause)).toBe(
      "The deployment of 'web' is paused at POST_SCALE_UP by a PAUSE hook this action did not add (hook h-1); it waits until someone continues it; unanswered, ECS takes its timeout action (CONTINUE) at 2026-05-20T14:00:00.000Z. To continue it: aws ecs continue-service-deployment --service-deployment-arn arn:dep/1 --hook-id h-1 --action CONTINUE",
    )
  })
})
