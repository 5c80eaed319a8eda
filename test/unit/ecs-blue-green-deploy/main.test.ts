import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import { GATE_TAG } from '../../../src/ecs-blue-green-deploy/gate-hook.js'
import {
  arnOf,
  blueGreen,
  broken,
  ecsMock,
  ok,
  PAUSED_AT_GATE,
  setupWorld,
  webService,
  workerService,
} from './ecs-world.js'

const updates = () => ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)
const progress = (lines: string[]) => lines.filter((l) => /^\d\d:\d\d:\d\d /.test(l)).map((l) => l.slice(9))
const GATE_HOOK = {
  targetType: 'PAUSE',
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
  timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' },
}

beforeEach(() => {
  ecsMock.reset()
})

test('a gated blue/green run: polls about every second, answers the hook, then takes the hook off again', async () => {
  const web = webService()
  web.scripts.push([
    [0, { status: 'PENDING' }],
    [2000, { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }],
    [
      5000,
      {
        status: 'IN_PROGRESS',
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        lifecycleHookDetails: [{ hookId: 'hook-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
      },
    ],
    [5000.5, { status: 'IN_PROGRESS', lifecycleStage: 'CLEAN_UP' }],
    [8000, { status: 'SUCCESSFUL' }],
  ])
  const world = setupWorld(
    [web],
    { service: 'web', image: 'web:new', 'test-url': 'http://test.internal' },
    ok,
  )
  await world.run()
  expect(world.io.failures).toEqual([])
  expect(world.io.outputs).toMatchObject({
    status: 'SUCCESSFUL',
    'rolled-back': 'false',
    'task-definition-arn': arnOf('web', 2),
  })
  expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)[0]?.args[0].input).toMatchObject({
    hookId: 'hook-1',
    action: 'CONTINUE',
  })
  expect(progress(world.io.lines)).toEqual([
    'PENDING',
    'IN_PROGRESS · SCALE_UP',
    'IN_PROGRESS · POST_TEST_TRAFFIC_SHIFT · paused at hook',
    'IN_PROGRESS · CLEAN_UP',
    'SUCCESSFUL',
  ])
  expect(world.clock.sleeps.every((ms) => ms === 1000)).toBe(true)
  const [start, cleanup] = updates()
  expect(start?.deploymentConfiguration?.lifecycleHooks).toEqual([GATE_HOOK])
  expect(cleanup).toEqual({
    cluster: 'prod',
    service: 'web',
    deploymentConfiguration: {
      maximumPercent: 200,
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [],
    },
  })
  expect(ecsMock.commandCalls(TagResourceCommand)[0]?.args[0].input.tags).toEqual([
    { key: GATE_TAG, value: 'POST_TEST_TRAFFIC_SHIFT ROLLBACK 30' },
  ])
  expect(ecsMock.commandCalls(UntagResourceCommand)[0]?.args[0].input.tagKeys).toEqual([GATE_TAG])
})

test('a plain run on a blue/green service keeps its strategy and bake time and sends no configuration', async () => {
  const world = setupWorld([webService()], { service: 'web', image: 'web:new' })
  await world.run()
  expect(world.io.failures).toEqual([])
  expect(updates()).toEqual([{ cluster: 'prod', service: 'web', taskDefinition: arnOf('web', 2) }])
  expect(world.io.summary).toContain('| web | blue-green | `web:2` |')
})

test('during a long bake the poll backs off, and is fast again before the bake ends', async () => {
  const web = webService({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 } })
  web.scripts.push([
    [0, { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }],
    [30_000, { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }],
    [630_000, { status: 'IN_PROGRESS', lifecycleStage: 'CLEAN_UP' }],
    [640_000, { status: 'SUCCESSFUL' }],
  ])
  const world = setupWorld([web], { service: 'web', image: 'web:new', timeout: '30m' })
  await world.run()
  expect(world.io.failures).toEqual([])
  const looks = ecsMock.commandCalls(DescribeServiceDeploymentsCommand).length
  // Every second outside the bake (~40 looks), about every 15 s during its 10 minutes (~40 more).
  expect(looks).toBeLessThan(100)
  expect(Math.max(...world.clock.sleeps)).toBe(15_000)
  // Seen within a second of finishing: the last sleeps before the end are fast.
  expect(world.clock.now() - world.deployments.values().next().value!.started - 640_000).toBeLessThanOrEqual(
    1000,
  )
  expect(world.clock.sleeps.slice(-5)).toEqual([1000, 1000, 1000, 1000, 1000])
})

test('failed gate: the hook gets ROLLBACK and the failure names the revision the service is back on', async () => {
  const web = webService()
  web.scripts.push(PAUSED_AT_GATE)
  const world = setupWorld(
    [web],
    { service: 'web', image: 'web:new', 'test-url': 'http://test.internal', timeout: '2m' },
    broken,
  )
  world.rollBackOnAnswer()
  await world.run()
  expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)[0]?.args[0].input.action).toBe('ROLLBACK')
  expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0)
  expect(world.io.outputs['rolled-back']).toBe('true')
  expect(world.io.failures).toHaveLength(1)
  expect(world.io.failures[0]).toMatch(
    /^Deployment of web:2 to service 'web' was rolled back: the service is back on web:1\. Why: the test gate failed: 1 of 1 checks failed: .*expected status 200-299, got 503/,
  )
  expect(world.io.lines.join('\n')).toMatch(
    /Last service events:\n {2}2026-01-01T00:01:00.000Z \(service web\) has started 2 tasks\n {2}2026-01-01T00:02:00.000Z \(service web\) deployment failed/,
  )
})

test('failed gate with rollback-on-failure false: no ROLLBACK, no stop; the deployment stays paused at the hook', async () => {
  const web = webService()
  web.scripts.push(PAUSED_AT_GATE)
  const world = setupWorld(
    [web],
    {
      service: 'web',
      image: 'web:new',
      'test-url': 'http://test.internal',
      timeout: '2m',
      'rollback-on-failure': 'false',
    },
    broken,
  )
  await world.run()
  const inputs = (calls: { args: [{ input: object }] }[]) => calls.map((c) => c.args[0].input)
  expect(inputs(ecsMock.commandCalls(ContinueServiceDeploymentCommand))).toEqual([])
  expect(inputs(ecsMock.commandCalls(StopServiceDeploymentCommand))).toEqual([])
  // Neither a revert: the only UpdateService is the one that started the deployment.
  expect(updates()).toHaveLength(1)
  expect(world.io.lines).toContain(
    'Gate failed: the deployment stays paused at the hook (rollback-on-failure is false)',
  )
  expect(world.io.outputs).toMatchObject({ status: 'IN_PROGRESS', 'rolled-back': 'false' })
  expect(world.io.failures).toEqual([
    expect.stringMatching(
      /^Deployment of web:2 to service 'web' did not succeed \(status IN_PROGRESS\): the service is on web:2; its deployment \S+ is still running\. Why: the test gate failed: 1 of 1 checks failed: .*got 503/,
    ),
  ])
  // The hook (timeout action ROLLBACK) stays on the service while the deployment waits on it.
  expect(world.io.annotations.map((a) => a.message)).toContainEqual(
    expect.stringMatching(/^The gate's PAUSE hook stays on 'web' while its deployment \S+ runs/),
  )
  expect(ecsMock.commandCalls(UntagResourceCommand)).toHaveLength(0)
})

test('timeout: StopServiceDeployment with ROLLBACK at the deadline, then waits for the rollback', async () => {
  const web = webService()
  web.scripts.push([[0, { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }]])
  const world = setupWorld([web], { service: 'web', image: 'web:new', timeout: '1m' })
  const start = world.clock.now()
  await world.run()
  const stop = ecsMock.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input
  expect(stop).toEqual({
    serviceDeploymentArn: expect.stringContaining('service-deployment/prod/web/'),
    stopType: 'ROLLBACK',
  })
  expect(world.deployments.values().next().value?.stopped).toBe(start + 60_000)
  expect(world.io.failures[0]).toMatch(
    /rolled back: the service is back on web:1\. Why: it did not finish within 1m 00s/,
  )
})

test('rollback-on-failure false: a timed-out deployment is left running, and the error says so', async () => {
  const web = webService()
  web.scripts.push([[0, { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }]])
  const world = setupWorld([web], {
    service: 'web',
    image: 'web:new',
    timeout: '20s',
    'rollback-on-failure': 'false',
  })
  await world.run()
  expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0)
  expect(world.io.outputs).toMatchObject({ 'rolled-back': 'false', status: 'IN_PROGRESS' })
  expect(world.io.failures[0]).toMatch(
    /did not succeed \(status IN_PROGRESS\): the service is on web:2; its deployment arn:\S+ is still running\. Why: it did not finish within 20\.0s/,
  )
})

test("someone else's PAUSE hook: a warning with the stage and the command, and it is the reason at the timeout", async () => {
  const web = webService()
  const expiresAt = new Date(1_700_000_000_000 + 3_600_000)
  web.scripts.push([
    [
      0,
      {
        status: 'IN_PROGRESS',
        lifecycleStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' as never,
        lifecycleHookDetails: [
          {
            hookId: 'ecs-pause-abc',
            targetType: 'PAUSE',
            status: 'AWAITING_ACTION',
            expiresAt,
            timeoutAction: 'ROLLBACK',
          },
        ],
      },
    ],
  ])
  const world = setupWorld([web], { service: 'web', image: 'web:new', timeout: '5m' })
  await world.run()
  const warnings = world.io.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
  expect(warnings).toEqual([
    `The deployment of 'web' is paused at PRE_PRODUCTION_TRAFFIC_SHIFT by a PAUSE hook this action did not add (hook ecs-pause-abc); it waits until someone continues it; unanswered, ECS takes its timeout action (ROLLBACK) at ${expiresAt.toISOString()}. To continue it: aws ecs continue-service-deployment --service-deployment-arn arn:aws:ecs:us-east-1:1:service-deployment/prod/web/1 --hook-id ecs-pause-abc --action CONTINUE`,
  ])
  expect(world.io.failures[0]).toMatch(
    /Why: it did not finish within 5m 00s: it waited at PRE_PRODUCTION_TRAFFIC_SHIFT on a PAUSE hook this action did not add \(hook ecs-pause-abc\), and nobody continued it$/,
  )
  expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)).toHaveLength(0)
  // Backing off while it waits: far fewer looks than one a second for five minutes.
  expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand).length).toBeLessThan(60)
})

test('a rolling worker without currentServiceDeployment is watched through deployments[], not ListServiceDeployments', async () => {
  const worker = workerService()
  const world = setupWorld([worker], { service: 'worker', image: 'worker:new' })
  ecsMock.on(UpdateServiceCommand).resolves({
    service: {
      ...worker.service,
      taskDefinition: arnOf('worker', 2),
      deployments: [
        { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2, runningCount: 0 },
      ],
    },
  })
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce({ services: [worker.service] })
    .resolvesOnce({
      services: [
        {
          ...worker.service,
          deployments: [
            {
              id: 'ecs-svc/2',
              status: 'PRIMARY',
              rolloutState: 'IN_PROGRESS',
              desiredCount: 2,
              runningCount: 1,
            },
          ],
        },
      ],
    })
    .resolves({
      services: [
        {
          ...worker.service,
          deployments: [
            {
              id: 'ecs-svc/2',
              status: 'PRIMARY',
              rolloutState: 'COMPLETED',
              desiredCount: 2,
              runningCount: 2,
            },
          ],
        },
      ],
    })
  await world.run()
  expect(world.io.failures).toEqual([])
  expect(world.io.outputs).toMatchObject({ status: 'SUCCESSFUL', 'deployment-arn': 'ecs-svc/2' })
  expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0)
  expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(0)
  expect(updates()[0]).toEqual({ cluster: 'prod', service: 'worker', taskDefinition: arnOf('worker', 2) })
})

test('a blue/green service without currentServiceDeployment is found with ListServiceDeployments', async () => {
  const web = webService()
  const world = setupWorld([web], { service: 'web', image: 'web:new' })
  ecsMock.on(UpdateServiceCommand).resolves({ service: { ...web.service, taskDefinition: arnOf('web', 2) } })
  ecsMock.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: [
      { serviceDeploymentArn: 'older', createdAt: new Date(1) },
      { serviceDeploymentArn: 'arn:dep/newest', createdAt: new Date(2) },
    ],
  })
  ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
    serviceDeployments: [{ serviceDeploymentArn: 'arn:dep/newest', status: 'SUCCESSFUL' }],
  })
  await world.run()
  expect(world.io.failures).toEqual([])
  expect(world.io.outputs['deployment-arn']).toBe('arn:dep/newest')
})

test('a rolling deployment falls back to deployments[] when DescribeServiceDeployments answers with HTML', async () => {
  const worker = workerService()
  const world = setupWorld([worker], { service: 'worker', image: 'worker:new' })
  ecsMock.on(UpdateServiceCommand).resolves({
    service: {
      ...worker.service,
      currentServiceDeployment: 'arn:dep/1',
      deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }],
    },
  })
  ecsMock.on(DescribeServiceDeploymentsCommand).rejects(
    Object.assign(new SyntaxError(`Unexpected token '<', "<!doctype "... is not valid JSON`), {
      $metadata: { httpStatusCode: 500, attempts: 6 },
      $response: { headers: { 'content-type': 'text/html; charset=utf-8' } },
    }),
  )
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [
      { ...worker.service, deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'COMPLETED' }] },
    ],
  })
  await world.run()
  expect(world.io.failures).toEqual([])
  expect(world.io.lines).toContainEqual(
    expect.stringMatching(
      /^The ServiceDeployment API is not available here \(ecs:DescribeServiceDeployments failed: the endpoint answered HTTP 500 \(text\/html\), not an AWS JSON response, after 6 attempts/,
    ),
  )
  expect(world.io.outputs.status).toBe('SUCCESSFUL')
})

test('throttling and server errors while watching are retried', async () => {
  const world = setupWorld([webService()], { service: 'web', image: 'web:new' })
  ecsMock
    .on(DescribeServiceDeploymentsCommand)
    .rejectsOnce(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      }),
    )
    .rejectsOnce(
      Object.assign(new Error('oops'), {
        name: 'ServerException',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      }),
    )
    .resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: 'arn:aws:ecs:us-east-1:1:service-deployment/prod/web/1',
          status: 'SUCCESSFUL',
        },
      ],
    })
  await world.run()
  expect(world.io.failures).toEqual([])
  expect(world.io.lines.filter((l) => l.startsWith('Transient error'))).toHaveLength(2)
})

test('a permission error while watching: outputs and summary are written, and the error says where the service is', async () => {
  const world = setupWorld([webService()], { service: 'web', image: 'web:new' })
  ecsMock.on(DescribeServiceDeploymentsCommand).rejects(
    Object.assign(new Error('not authorized to perform: ecs:DescribeServiceDeployments'), {
      name: 'AccessDeniedException',
    }),
  )
  await world.run()
  expect(world.io.failures).toEqual([
    "AWS denied ecs:DescribeServiceDeployments (AccessDeniedException: not authorized to perform: ecs:DescribeServiceDeployments). Grant the role 'ecs:DescribeServiceDeployments' on this resource.. Service 'web' is on web:2; a deployment is still running (arn:aws:ecs:us-east-1:1:service-deployment/prod/web/1)",
  ])
  expect(world.io.outputs).toMatchObject({
    status: 'IN_PROGRESS',
    'rolled-back': 'false',
    'deployment-arn': 'arn:aws:ecs:us-east-1:1:service-deployment/prod/web/1',
  })
  expect(world.io.summary).toContain('| web | blue-green | `web:2` |')
})

test('StopServiceDeployment refused at the timeout: a revert is tried, and if that fails too the error says where the service is', async () => {
  const web = webService()
  web.scripts.push([[0, { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }]])
  const world = setupWorld([web], { service: 'web', image: 'web:new', timeout: '30s' })
  ecsMock
    .on(StopServiceDeploymentCommand)
    .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }))
  let calls = 0
  ecsMock.on(UpdateServiceCommand).callsFake(() => {
    calls += 1
    if (calls > 1) throw Object.assign(new Error('not allowed either'), { name: 'AccessDeniedException' })
    return {
      service: { ...web.service, taskDefinition: arnOf('web', 2), currentServiceDeployment: 'arn:dep/1' },
    }
  })
  ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
    serviceDeployments: [
      { serviceDeploymentArn: 'arn:dep/1', status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' },
    ],
  })
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [
      {
        ...web.service,
        taskDefinition: arnOf('web', 2),
        deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }, { status: 'ACTIVE' }],
      },
    ],
  })
  await world.run()
  expect(world.io.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
    expect.stringMatching(/^Could not roll back web: AWS denied ecs:UpdateService/),
  ])
  expect(world.io.failures[0]).toMatch(
    /^Deployment of web:2 to service 'web' did not succeed \(status IN_PROGRESS\): the service is on web:2; its deployment arn:dep\/1 is still running\. Why: it did not finish within 30\.0s$/,
  )
  expect(world.io.outputs).toMatchObject({
    status: 'IN_PROGRESS',
    'rolled-back': 'false',
    'deployment-arn': 'arn:dep/1',
  })
})

test('two services where one fails: the one that finished is put back on its previous revision', async () => {
  const web = webService()
  const worker = workerService()
  web.scripts.push(blueGreen(1000), blueGreen(1000))
  worker.scripts.push([
    [0, { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }],
    [
      9000,
      { status: 'ROLLBACK_IN_PROGRESS', deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3 } },
    ],
    [11_000, { status: 'ROLLBACK_SUCCESSFUL' }],
  ])
  const world = setupWorld([web, worker], { services: 'web, worker', image: 'app:new' })
  await world.run()
  const [startWeb, startWorker, revertWeb] = updates()
  expect([startWeb?.service, startWorker?.service]).toEqual(['web', 'worker'])
  expect(revertWeb).toEqual({
    cluster: 'prod',
    service: 'arn:aws:ecs:us-east-1:1:service/prod/web',
    taskDefinition: arnOf('web', 1),
    deploymentConfiguration: {
      maximumPercent: 200,
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [],
    },
  })
  expect(world.io.failures[0]).toMatch(
    /^Deployment of 2 services did not succeed; every service is back on its previous revision\. web: ROLLBACK_SUCCESSFUL, back on web:1 \(put back because worker failed\); worker: ROLLBACK_SUCCESSFUL, back on worker:1 \(the deployment circuit breaker triggered \(3 failed tasks\)\)$/,
  )
  expect(JSON.parse(world.io.outputs.deployments ?? '[]')).toEqual([
    expect.objectContaining({ service: 'web', status: 'ROLLBACK_SUCCESSFUL', rolledBack: true }),
    expect.objectContaining({ service: 'worker', status: 'ROLLBACK_SUCCESSFUL', rolledBack: true }),
  ])
  // Watched together: every look asks for both deployments in one call.
  const looks = ecsMock
    .commandCalls(DescribeServiceDeploymentsCommand)
    .map((c) => c.args[0].input.serviceDeploymentArns?.length)
  expect(looks.slice(0, 5)).toEqual([2, 2, 2, 2, 2])
})

test('migration failure: exit code and reason, no UpdateService, and the outputs say so', async () => {
  const world = setupWorld([webService()], {
    service: 'web',
    image: 'web:new',
    'migrate-command': 'python manage.py migrate',
  })
  ecsMock
    .on(DescribeTasksCommand)
    .resolvesOnce({ tasks: [{ taskArn: 'arn:task/1', lastStatus: 'RUNNING' }] })
    .resolves({
      tasks: [
        {
          taskArn: 'arn:task/1',
          lastStatus: 'STOPPED',
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'web', exitCode: 2 }],
        },
      ],
    })
  await world.run()
  expect(world.io.failures).toEqual([
    'Migration failed with exit code 2: Essential container in task exited; the service was not updated',
  ])
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0)
  expect(
    ecsMock.commandCalls(RunTaskCommand)[0]?.args[0].input.overrides?.containerOverrides?.[0]?.name,
  ).toBe('web')
  expect(world.io.outputs).toMatchObject({ 'migration-task-arn': 'arn:task/1', status: 'MIGRATION_FAILED' })
})

test('wait false: no watching', async () => {
  const world = setupWorld([webService()], { service: 'web', image: 'web:new', wait: 'false' })
  await world.run()
  expect(world.io.failures).toEqual([])
  expect(world.io.outputs).toMatchObject({
    status: 'IN_PROGRESS',
    'deployment-arn': expect.stringContaining('service-deployment'),
  })
  expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(0)
})

test('a bad input fails before any AWS client is made', async () => {
  const world = setupWorld([webService()], { service: 'web', strategy: 'big-bang' })
  await world.run()
  expect(world.io.failures).toEqual([
    "Invalid configuration: Input 'strategy' must be one of blue-green, rolling, canary, linear (got 'big-bang')",
  ])
  expect(world.ecsCreated()).toBe(0)
})

test('a missing region fails before any AWS client is made', async () => {
  const world = setupWorld([webService()], { service: 'web' })
  world.deps.env = {}
  await world.run()
  expect(world.io.failures[0]).toMatch(/^Invalid configuration: No AWS region/)
  expect(world.ecsCreated()).toBe(0)
})

test('test-url on a rolling service fails before anything is registered', async () => {
  const world = setupWorld([workerService('web')], {
    service: 'web',
    image: 'web:new',
    'test-url': 'http://test.internal',
  })
  await world.run()
  expect(world.io.failures).toEqual([
    "Invalid configuration: Input 'test-url' needs a blue-green, canary or linear deployment: service 'web' deploys rolling, which has no test traffic stage to pause at; set 'strategy'",
  ])
  expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
})

test('an unknown container in the service task definition fails before RegisterTaskDefinition', async () => {
  const world = setupWorld([webService()], { service: 'web', image: 'web:new', 'container-name': 'worker' })
  await world.run()
  expect(world.io.failures[0]).toMatch(/no container 'worker' in web; its containers are: web/)
  expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
})

test('a missing service is named with its cluster', async () => {
  const world = setupWorld([webService()], { services: 'web\nworker', image: 'web:new' })
  await world.run()
  expect(world.io.failures).toEqual([
    "Service 'worker' not found in cluster 'prod' (MISSING, region us-east-1)",
  ])
  expect(world.io.outputs.status).toBe('NOT_STARTED')
})

test('a gated run then a plain run: the second sends the task definition alone and never pauses', async () => {
  const web = webService()
  web.scripts.push(
    [
      [0, { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }],
      [
        2000,
        {
          status: 'IN_PROGRESS',
          lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
          lifecycleHookDetails: [{ hookId: 'hook-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
        },
      ],
      [2000.5, { status: 'IN_PROGRESS', lifecycleStage: 'CLEAN_UP' }],
      [4000, { status: 'SUCCESSFUL' }],
    ],
    blueGreen(1000),
  )
  const gated = setupWorld(
    [web],
    { service: 'web', image: 'web:1.1', 'test-url': 'http://test.internal' },
    ok,
  )
  await gated.run()
  expect(gated.io.failures).toEqual([])
  expect(web.service.deploymentConfiguration?.lifecycleHooks).toEqual([])
  ecsMock.resetHistory()
  const plain = setupWorld([web], { service: 'web', image: 'web:1.2' })
  await plain.run()
  expect(plain.io.failures).toEqual([])
  expect(plain.io.outputs.status).toBe('SUCCESSFUL')
  expect(updates()).toEqual([
    { cluster: 'prod', service: 'web', taskDefinition: expect.stringMatching(/web:\d+$/) },
  ])
  expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)).toHaveLength(0)
  expect(ecsMock.commandCalls(TagResourceCommand)).toHaveLength(0)
})

test('strategy blue-green on a worker without a load balancer fails before anything is registered', async () => {
  const world = setupWorld([workerService()], {
    service: 'worker',
    image: 'worker:new',
    strategy: 'blue-green',
  })
  await world.run()
  expect(world.io.failures).toEqual([
    expect.stringMatching(
      /^Invalid configuration: Input 'strategy': service 'worker' cannot deploy blue-green: it needs a load balancer \(or Service Connect\)/,
    ),
  ])
  expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0)
  // Bad input, like one the parser finds: the step fails with it and reports nothing else.
  expect(world.io.outputs).toEqual({})
})
