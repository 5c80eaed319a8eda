// ecs-blue-green-deploy across runs: the same run twice, a gated run then a plain one, the hook a
// run that died left behind, someone else's PAUSE hook, and the user's own hooks.
import type { FakeEcs } from '../fakes/ecs.js'
import { inputsOf, startFakeWithWeb, testListener } from '../fakes/ecs-fixtures.js'
import { GATE_TAG } from '../../src/ecs-blue-green-deploy/gate-hook.js'
import { runStep } from '../helpers/run-step.js'

const ACTION = 'ecs-blue-green-deploy'
const base = { cluster: 'prod', service: 'web', 'container-name': 'web', timeout: '60s', 'bake-time': '0' }
const GATE_HOOK = {
  targetType: 'PAUSE',
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
  timeoutConfiguration: { timeoutInMinutes: 1, action: 'ROLLBACK' },
}
const LAMBDA_HOOK = {
  targetType: 'AWS_LAMBDA',
  hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:check-migrations',
  roleArn: 'arn:aws:iam::123456789012:role/ecs-hooks',
  lifecycleStages: ['PRE_SCALE_UP'],
}

let fake: FakeEcs
let listener: Awaited<ReturnType<typeof testListener>>

beforeEach(async () => {
  listener = await testListener(200)
})
afterEach(async () => {
  await fake?.close()
  await listener.close()
})

const hooksOf = () => fake.services.get('prod/web')?.deploymentConfiguration.lifecycleHooks

test('the same gated run twice: both succeed, each on a new revision, and no hook is left behind', async () => {
  fake = await startFakeWithWeb()
  const inputs = { ...base, image: 'registry.example/web:7', 'test-url': listener.url }
  const first = await runStep(ACTION, inputs, { env: fake.env() })
  const second = await runStep(ACTION, inputs, { env: fake.env() })
  for (const run of [first, second]) {
    expect(run.errors).toEqual([])
    expect(run.outputs.status).toBe('SUCCESSFUL')
  }
  expect(first.outputs['task-definition-arn']).toMatch(/web:2$/)
  expect(second.outputs['task-definition-arn']).toMatch(/web:3$/)
  expect(fake.services.get('prod/web')?.taskDefinition).toMatch(/web:3$/)
  expect(inputsOf(fake, 'ContinueServiceDeployment')).toHaveLength(2)
  expect(hooksOf()).toEqual([])
  expect(fake.services.get('prod/web')?.tags).toEqual([])
  expect(listener.hits).toEqual(['/', '/'])
})

test('a gated run then a plain run: the plain one does not pause (the hook is gone) and changes no configuration', async () => {
  fake = await startFakeWithWeb()
  const gated = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:7', 'test-url': listener.url },
    { env: fake.env() },
  )
  expect(gated.outputs.status).toBe('SUCCESSFUL')
  expect(hooksOf()).toEqual([])
  const plain = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:8', timeout: '10s' },
    { env: fake.env() },
  )
  expect(plain.errors).toEqual([])
  expect(plain.outputs.status).toBe('SUCCESSFUL')
  expect(plain.stdout).not.toMatch(/paused at hook/)
  const updates = inputsOf(fake, 'UpdateService')
  // gated: start + hook removal; plain: only the new task definition, the service's configuration untouched.
  expect(updates).toHaveLength(3)
  expect(updates[2]).toEqual({
    cluster: 'prod',
    service: 'web',
    taskDefinition: expect.stringMatching(/web:3$/),
  })
  expect(fake.deploymentsOf('web', 'prod').map((d) => d.configuration.lifecycleHooks ?? [])).toEqual([
    [GATE_HOOK],
    [],
  ])
})

test('a hook a dead run left behind is removed by the next plain run, which never waits on it', async () => {
  fake = await startFakeWithWeb()
  const web = fake.services.get('prod/web')
  if (web === undefined) throw new Error('no web service')
  web.deploymentConfiguration = { ...web.deploymentConfiguration, lifecycleHooks: [LAMBDA_HOOK, GATE_HOOK] }
  web.tags = [
    { key: 'team', value: 'web' },
    { key: GATE_TAG, value: 'POST_TEST_TRAFFIC_SHIFT ROLLBACK 1' },
  ]
  const run = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:8', timeout: '10s' },
    { env: fake.env() },
  )
  expect(run.errors).toEqual([])
  expect(run.outputs.status).toBe('SUCCESSFUL')
  expect(run.stdout).toContain(
    "Removing the PAUSE hook at POST_TEST_TRAFFIC_SHIFT that an earlier run of this action left on 'web'",
  )
  expect(inputsOf(fake, 'UpdateService')[0]?.deploymentConfiguration).toMatchObject({
    lifecycleHooks: [LAMBDA_HOOK],
  })
  expect(hooksOf()).toEqual([LAMBDA_HOOK])
  expect(web.tags).toEqual([{ key: 'team', value: 'web' }])
  expect(inputsOf(fake, 'ContinueServiceDeployment')).toEqual([])
})

test("the user's own hooks (Lambda and PAUSE) survive a gated run", async () => {
  const approval = {
    targetType: 'PAUSE',
    lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'],
    timeoutConfiguration: { timeoutInMinutes: 60, action: 'CONTINUE' },
  }
  fake = await startFakeWithWeb({}, {})
  const web = fake.services.get('prod/web')
  if (web === undefined) throw new Error('no web service')
  web.deploymentConfiguration = { ...web.deploymentConfiguration, lifecycleHooks: [LAMBDA_HOOK, approval] }
  const run = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:7', 'test-url': listener.url, timeout: '3s' },
    { env: fake.env() },
  )
  // The approval is someone else's: the run waits for it, names it, and rolls back at the timeout.
  expect(run.exitCode).toBe(1)
  expect(inputsOf(fake, 'UpdateService')[0]?.deploymentConfiguration).toMatchObject({
    lifecycleHooks: [LAMBDA_HOOK, approval, GATE_HOOK],
  })
  expect(hooksOf()).toEqual([LAMBDA_HOOK, approval])
})

test("another team's PAUSE hook: named with its stage and the command to continue it, waited on to the timeout, rolled back", async () => {
  fake = await startFakeWithWeb()
  const web = fake.services.get('prod/web')
  if (web === undefined) throw new Error('no web service')
  const approval = { targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }
  web.deploymentConfiguration = { ...web.deploymentConfiguration, lifecycleHooks: [approval] }
  const run = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:7', timeout: '2s' },
    { env: fake.env() },
  )
  expect(run.exitCode).toBe(1)
  const warning = run.stdout.split('\n').find((line) => line.startsWith('::warning::'))
  const arn = run.outputs['deployment-arn']
  expect(warning).toMatch(
    /The deployment of 'web' is paused at PRE_PRODUCTION_TRAFFIC_SHIFT by a PAUSE hook this action did not add \(hook ecs-pause-\w+\)/,
  )
  expect(warning).toContain(
    `aws ecs continue-service-deployment --service-deployment-arn ${arn} --hook-id ecs-pause-`,
  )
  expect(run.errors).toHaveLength(1)
  expect(run.errors[0]).toMatch(
    /rolled back: the service is back on web:1\. Why: it did not finish within 2\.0s: it waited at PRE_PRODUCTION_TRAFFIC_SHIFT on a PAUSE hook this action did not add \(hook ecs-pause-\w+\), and nobody continued it/,
  )
  expect(inputsOf(fake, 'StopServiceDeployment')).toEqual([
    { serviceDeploymentArn: arn, stopType: 'ROLLBACK' },
  ])
  expect(inputsOf(fake, 'ContinueServiceDeployment')).toEqual([])
  expect(run.outputs).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', 'rolled-back': 'true' })
  expect(hooksOf()).toEqual([approval])
})
