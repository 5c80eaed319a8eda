import type { Deployment, Service } from '@aws-sdk/client-ecs'
import { primaryRolloutId, rolloutDeployment } from '../../../src/ecs-blue-green-deploy/rollout-state.js'

const V1 = 'arn:td/worker:1'
const V2 = 'arn:td/worker:2'
const watched = { id: 'ecs-svc/2', previousTaskDefinitionArn: V1 }
const rollout = (extra: Partial<Deployment>): Deployment => ({
  id: 'ecs-svc/2',
  status: 'PRIMARY',
  taskDefinition: V2,
  desiredCount: 2,
  runningCount: 1,
  pendingCount: 1,
  failedTasks: 0,
  ...extra,
})
const service = (...deployments: Deployment[]): Service => ({ taskDefinition: V2, deployments })

test.each<[string, Service, string, string | undefined]>([
  [
    'in progress',
    service(
      rollout({ rolloutState: 'IN_PROGRESS' }),
      rollout({ id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: V1 }),
    ),
    'IN_PROGRESS',
    undefined,
  ],
  ['completed', service(rollout({ rolloutState: 'COMPLETED', runningCount: 2 })), 'SUCCESSFUL', undefined],
  // moto keeps the old revision on the PRIMARY entry UpdateService answered with: the id decides.
  [
    'completed on moto',
    service(rollout({ rolloutState: 'COMPLETED', taskDefinition: V1 })),
    'SUCCESSFUL',
    undefined,
  ],
  [
    'no rolloutState (Classic LB): alone and at count',
    service(rollout({ runningCount: 2 })),
    'SUCCESSFUL',
    undefined,
  ],
  [
    'no rolloutState, still replacing',
    service(rollout({}), rollout({ id: 'ecs-svc/1', status: 'ACTIVE' })),
    'IN_PROGRESS',
    undefined,
  ],
  [
    'circuit breaker rolling back',
    service(
      rollout({ id: 'ecs-svc/3', taskDefinition: V1, rolloutState: 'IN_PROGRESS' }),
      rollout({
        status: 'ACTIVE',
        rolloutState: 'FAILED',
        rolloutStateReason: 'tasks failed to start',
        failedTasks: 3,
      }),
    ),
    'ROLLBACK_IN_PROGRESS',
    'tasks failed to start',
  ],
  [
    'rolled back',
    service(rollout({ id: 'ecs-svc/3', taskDefinition: V1, rolloutState: 'COMPLETED' })),
    'ROLLBACK_SUCCESSFUL',
    'the deployment circuit breaker rolled the service back',
  ],
  [
    'failed without rollback',
    service(rollout({ rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker: 3 failed' })),
    'STOPPED',
    'circuit breaker: 3 failed',
  ],
  [
    'superseded',
    service(rollout({ id: 'ecs-svc/9', taskDefinition: 'arn:td/worker:3', rolloutState: 'IN_PROGRESS' })),
    'STOPPED',
    'superseded by deployment ecs-svc/9 of arn:td/worker:3',
  ],
])('%s', (_name, svc, status, reason) => {
  const d = rolloutDeployment(svc, watched)
  expect(d.status).toBe(status)
  expect(d.statusReason).toBe(reason)
})

test('a failed rollout reports the circuit breaker with its failed tasks', () => {
  const d = rolloutDeployment(service(rollout({ rolloutState: 'FAILED', failedTasks: 3 })), watched)
  expect(d.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3 })
  expect(d.targetServiceRevision).toEqual({ requestedTaskCount: 2, runningTaskCount: 1, pendingTaskCount: 1 })
})

test('primaryRolloutId: the PRIMARY entry of an UpdateService answer', () => {
  expect(
    primaryRolloutId(service(rollout({ id: 'ecs-svc/1', status: 'ACTIVE' }), rollout({ id: 'ecs-svc/2' }))),
  ).toBe('ecs-svc/2')
  expect(primaryRolloutId({})).toBeUndefined()
})
