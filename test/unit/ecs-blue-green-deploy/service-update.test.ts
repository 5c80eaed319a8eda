import type { DeploymentLifecycleHook } from '@aws-sdk/client-ecs'
import { planHooks } from '../../../src/ecs-blue-green-deploy/gate-hook.js'
import {
  checkDeploymentController,
  deploymentConfiguration,
  revertRequest,
  strategyOf,
  updateServiceRequest,
  type UpdatePlan,
} from '../../../src/ecs-blue-green-deploy/service-update.js'

const lambdaHook: DeploymentLifecycleHook = {
  targetType: 'AWS_LAMBDA',
  hookTargetArn: 'arn:lambda:f',
  lifecycleStages: ['PRE_SCALE_UP'],
}
const pause: DeploymentLifecycleHook = {
  targetType: 'PAUSE',
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
  timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' },
}
const noHooks = planHooks([], [], false, 30 * 60_000)
const gate = planHooks([], [], true, 30 * 60_000)
const plan: UpdatePlan = {
  cluster: 'prod',
  service: 'web',
  taskDefinitionArn: 'arn:td/web:8',
  hooks: noHooks,
  forceNewDeployment: false,
}

test.each([
  [
    'nothing asked: no configuration is sent',
    { strategy: 'BLUE_GREEN' as const, bakeTimeInMinutes: 9 },
    {},
    undefined,
  ],
  [
    'the same strategy asked: still none',
    { strategy: 'BLUE_GREEN' as const },
    { strategy: 'blue-green' as const },
    undefined,
  ],
  [
    'a new strategy keeps the rest',
    { maximumPercent: 200, strategy: 'ROLLING' as const },
    { strategy: 'blue-green' as const },
    { maximumPercent: 200, strategy: 'BLUE_GREEN', lifecycleHooks: [] },
  ],
  [
    'switching to rolling drops the bake time',
    { strategy: 'BLUE_GREEN' as const, bakeTimeInMinutes: 9 },
    { strategy: 'rolling' as const },
    { strategy: 'ROLLING', lifecycleHooks: [] },
  ],
  [
    'an explicit bake time',
    { strategy: 'CANARY' as const, bakeTimeInMinutes: 9 },
    { bakeTimeMinutes: 0 },
    { strategy: 'CANARY', bakeTimeInMinutes: 0, lifecycleHooks: [] },
  ],
  [
    'the gate adds its PAUSE hook after the hooks already there',
    { strategy: 'BLUE_GREEN' as const, lifecycleHooks: [lambdaHook] },
    { hooks: planHooks([lambdaHook], [], true, 30 * 60_000) },
    { strategy: 'BLUE_GREEN', lifecycleHooks: [lambdaHook, pause] },
  ],
])('%s', (_name, current, changes, expected) => {
  expect(deploymentConfiguration(current, { ...plan, ...changes })).toEqual(expected)
})

test('updateServiceRequest sends the task definition, and the configuration only when it changes', () => {
  expect(
    updateServiceRequest(
      { deploymentConfiguration: { maximumPercent: 150 }, desiredCount: 3 },
      { ...plan, forceNewDeployment: true },
    ),
  ).toEqual({
    cluster: 'prod',
    service: 'web',
    taskDefinition: 'arn:td/web:8',
    forceNewDeployment: true,
  })
  expect(updateServiceRequest({}, { ...plan, hooks: gate })).toEqual({
    cluster: 'prod',
    service: 'web',
    taskDefinition: 'arn:td/web:8',
    deploymentConfiguration: { lifecycleHooks: [pause] },
  })
})

test('revertRequest: the previous revision and configuration, with the user hooks only', () => {
  expect(
    revertRequest(
      'prod',
      {
        serviceArn: 'arn:svc/web',
        taskDefinition: 'arn:td/web:7',
        deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [lambdaHook, pause] },
      },
      [lambdaHook],
    ),
  ).toEqual({
    cluster: 'prod',
    service: 'arn:svc/web',
    taskDefinition: 'arn:td/web:7',
    deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [lambdaHook] },
  })
})

test.each([
  [undefined, 'rolling'],
  ['ROLLING', 'rolling'],
  ['BLUE_GREEN', 'blue-green'],
  ['CANARY', 'canary'],
  ['LINEAR', 'linear'],
] as const)('strategyOf(%s)', (ecs, ours) => {
  expect(strategyOf({ deploymentConfiguration: ecs ? { strategy: ecs } : undefined })).toBe(ours)
})

test.each([
  [{}, undefined],
  [{ deploymentController: { type: 'ECS' as const } }, undefined],
  [
    { deploymentController: { type: 'CODE_DEPLOY' as const } },
    /Service 'web' uses the CODE_DEPLOY deployment controller/,
  ],
  [{ deploymentController: { type: 'EXTERNAL' as const } }, /uses the EXTERNAL deployment controller/],
])('checkDeploymentController %#', (service, error) => {
  if (error === undefined) expect(() => checkDeploymentController(service, 'web')).not.toThrow()
  else expect(() => checkDeploymentController(service, 'web')).toThrow(error)
})
