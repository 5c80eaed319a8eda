import {
  checkDeploymentController,
  deploymentConfiguration,
  updateServiceRequest,
  type UpdatePlan,
} from '../../../src/ecs-blue-green-deploy/service-update.js'

const plan: UpdatePlan = {
  cluster: 'prod',
  service: 'web',
  taskDefinitionArn: 'arn:td/web:8',
  strategy: 'blue-green',
  bakeTimeMinutes: 5,
  gate: false,
  gateTimeoutMinutes: 30,
  forceNewDeployment: false,
}
const lambdaHook = {
  targetType: 'AWS_LAMBDA' as const,
  hookTargetArn: 'arn:lambda:f',
  lifecycleStages: ['PRE_SCALE_UP' as const],
}
const pause = {
  targetType: 'PAUSE',
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
  timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' },
}

test.each([
  [
    'blue-green keeps the rest',
    { maximumPercent: 200, strategy: 'ROLLING' as const },
    plan,
    { maximumPercent: 200, strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
  ],
  [
    'rolling drops the bake time',
    { bakeTimeInMinutes: 9 },
    { ...plan, strategy: 'rolling' as const },
    { strategy: 'ROLLING' },
  ],
  [
    'canary',
    undefined,
    { ...plan, strategy: 'canary' as const, bakeTimeMinutes: 0 },
    { strategy: 'CANARY', bakeTimeInMinutes: 0 },
  ],
  [
    'linear',
    undefined,
    { ...plan, strategy: 'linear' as const },
    { strategy: 'LINEAR', bakeTimeInMinutes: 5 },
  ],
  [
    'gate adds a PAUSE hook after existing hooks',
    { lifecycleHooks: [lambdaHook] },
    { ...plan, gate: true },
    { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, lifecycleHooks: [lambdaHook, pause] },
  ],
  [
    'existing hooks kept without a gate',
    { lifecycleHooks: [lambdaHook] },
    plan,
    { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, lifecycleHooks: [lambdaHook] },
  ],
  [
    'an existing PAUSE at the gate is not doubled',
    { lifecycleHooks: [pause as never] },
    { ...plan, gate: true },
    { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, lifecycleHooks: [pause] },
  ],
])('%s', (_name, current, p, expected) => {
  expect(deploymentConfiguration(current, p)).toEqual(expected)
})

test('updateServiceRequest sends only what changes', () => {
  expect(
    updateServiceRequest(
      { deploymentConfiguration: { maximumPercent: 150 }, desiredCount: 3 },
      { ...plan, forceNewDeployment: true },
    ),
  ).toEqual({
    cluster: 'prod',
    service: 'web',
    taskDefinition: 'arn:td/web:8',
    deploymentConfiguration: { maximumPercent: 150, strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
    forceNewDeployment: true,
  })
  expect(updateServiceRequest({}, plan)).not.toHaveProperty('forceNewDeployment')
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
