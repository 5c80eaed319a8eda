import * as sdk from '@aws-sdk/client-ecs'
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { ecsApi } from '../../../src/ecs-blue-green-deploy/ecs-api.js'
import { run, type Deps } from '../../../src/ecs-blue-green-deploy/main.js'
import type { HttpClient } from '../../../src/lib/http.js'
import { fakeClock } from '../../helpers/clock.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'

const ecsMock = mockClient(ECSClient)
const OLD = 'arn:aws:ecs:us-east-1:1:task-definition/web:1'
const NEW = 'arn:aws:ecs:us-east-1:1:task-definition/web:2'
const DEP = 'arn:aws:ecs:us-east-1:1:service-deployment/prod/web/abc'

const service = {
  serviceName: 'web',
  status: 'ACTIVE',
  taskDefinition: OLD,
  launchType: 'FARGATE' as const,
  deploymentConfiguration: { maximumPercent: 200 },
  events: [
    { id: '2', createdAt: new Date('2026-01-01T00:02:00Z'), message: '(service web) deployment failed' },
    { id: '1', createdAt: new Date('2026-01-01T00:01:00Z'), message: '(service web) has started 2 tasks' },
  ],
}

function setup(
  values: Record<string, string>,
  http: HttpClient = async () => {
    throw new Error('no http expected')
  },
) {
  const clock = fakeClock()
  const io = recordingIO()
  let ecsCreated = 0
  const deps: Deps = {
    io,
    getInput: inputsOf({
      cluster: 'prod',
      service: 'web',
      'container-name': 'web',
      'poll-interval': '5s',
      ...values,
    }),
    readFile: () => {
      throw new Error('no file expected')
    },
    env: { AWS_REGION: 'us-east-1' },
    ecs: async (region) => {
      ecsCreated += 1
      return ecsApi(new ECSClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), sdk)
    },
    http,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
  }
  return { deps, io, clock, ecsCreated: () => ecsCreated }
}

function stubBasics(): void {
  ecsMock.on(DescribeServicesCommand).resolves({ services: [service] })
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: OLD,
      family: 'web',
      revision: 1,
      containerDefinitions: [{ name: 'web', image: 'web:old' }],
    },
    tags: [],
  })
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEW } })
  ecsMock
    .on(UpdateServiceCommand)
    .resolves({ service: { ...service, taskDefinition: NEW, currentServiceDeployment: DEP } })
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] })
}

const stage = (lifecycleStage: string, extra: Partial<ServiceDeployment> = {}): ServiceDeployment => ({
  serviceDeploymentArn: DEP,
  status: 'IN_PROGRESS',
  lifecycleStage: lifecycleStage as never,
  ...extra,
})
const paused = stage('POST_TEST_TRAFFIC_SHIFT', {
  lifecycleHookDetails: [{ hookId: 'hook-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
})

function deployments(...states: ServiceDeployment[]): void {
  const mock = ecsMock.on(DescribeServiceDeploymentsCommand)
  states.forEach((s) => mock.resolvesOnce({ serviceDeployments: [s] }))
  mock.resolves({ serviceDeployments: [states[states.length - 1] as ServiceDeployment] })
}

const ok: HttpClient = async (request) => ({
  status: 200,
  headers: {},
  body: '{"status":"ok"}',
  url: String(request.url),
})
const broken: HttpClient = async (request) => ({
  status: 503,
  headers: {},
  body: 'down',
  url: String(request.url),
})

beforeEach(() => {
  ecsMock.reset()
})

test('success with a gate: polls every interval, prints changes only, continues the hook', async () => {
  stubBasics()
  deployments(
    { serviceDeploymentArn: DEP, status: 'PENDING' },
    stage('SCALE_UP'),
    stage('SCALE_UP'),
    stage('SCALE_UP'),
    paused,
    stage('BAKE_TIME'),
    { serviceDeploymentArn: DEP, status: 'SUCCESSFUL' },
  )
  ecsMock.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEP })
  const { deps, io, clock } = setup(
    { image: 'web:new', 'test-url': 'http://test.internal', 'test-checks': '- url: /health/' },
    ok,
  )
  await run(deps)
  expect(io.failures).toEqual([])
  expect(io.outputs).toMatchObject({
    'task-definition-arn': NEW,
    'deployment-arn': DEP,
    status: 'SUCCESSFUL',
    'rolled-back': 'false',
  })
  expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)[0]?.args[0].input).toEqual({
    serviceDeploymentArn: DEP,
    hookId: 'hook-1',
    action: 'CONTINUE',
  })
  const progress = io.lines.filter((l) => /^\d\d:\d\d:\d\d /.test(l))
  expect(progress.filter((l) => l.includes('SCALE_UP'))).toHaveLength(1)
  expect(progress.map((l) => l.slice(9))).toEqual([
    'PENDING',
    'IN_PROGRESS · SCALE_UP',
    'IN_PROGRESS · POST_TEST_TRAFFIC_SHIFT · paused at hook',
    'IN_PROGRESS · BAKE_TIME',
    'SUCCESSFUL',
  ])
  expect(clock.sleeps.every((ms) => ms === 5000)).toBe(true)
  expect(
    ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input.deploymentConfiguration?.lifecycleHooks,
  ).toEqual([
    {
      targetType: 'PAUSE',
      lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' },
    },
  ])
  expect(io.summary).toContain('| SCALE_UP | +5.0s | 15.0s |')
})

test('failed gate: the hook gets ROLLBACK and the failure names the revision the service is back on', async () => {
  stubBasics()
  deployments(
    paused,
    { serviceDeploymentArn: DEP, status: 'ROLLBACK_IN_PROGRESS' },
    { serviceDeploymentArn: DEP, status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'hook rollback' } },
  )
  ecsMock.on(ContinueServiceDeploymentCommand).resolves({})
  const { deps, io } = setup({ image: 'web:new', 'test-url': 'http://test.internal', timeout: '2m' }, broken)
  await run(deps)
  expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)[0]?.args[0].input.action).toBe('ROLLBACK')
  expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0)
  expect(io.outputs['rolled-back']).toBe('true')
  expect(io.failures).toHaveLength(1)
  expect(io.failures[0]).toMatch(
    /^Deployment of web:2 to service 'web' was rolled back: the service is back on web:1\. Why: the test gate failed: 1 of 1 checks failed: .*expected status 200-299, got 503/,
  )
  expect(io.lines.join('\n')).toMatch(
    /Last service events:\n {2}2026-01-01T00:01:00.000Z \(service web\) has started 2 tasks\n {2}2026-01-01T00:02:00.000Z \(service web\) deployment failed/,
  )
})

test('timeout: StopServiceDeployment with ROLLBACK, then waits for the rollback', async () => {
  stubBasics()
  const hanging = stage('SCALE_UP')
  let stopped = false
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => ({
    serviceDeployments: [stopped ? { serviceDeploymentArn: DEP, status: 'ROLLBACK_SUCCESSFUL' } : hanging],
  }))
  ecsMock.on(StopServiceDeploymentCommand).callsFake(() => {
    stopped = true
    return {}
  })
  const { deps, io, clock } = setup({ image: 'web:new', timeout: '1m' })
  const start = clock.now()
  await run(deps)
  expect(ecsMock.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toEqual({
    serviceDeploymentArn: DEP,
    stopType: 'ROLLBACK',
  })
  expect(io.failures[0]).toMatch(
    /rolled back: the service is back on web:1\. Why: it did not finish within 1m 00s/,
  )
  expect(clock.now() - start).toBe(60_000)
})

test('rollback-on-failure false: a timed-out deployment is left alone', async () => {
  stubBasics()
  deployments(stage('SCALE_UP'))
  const { deps, io } = setup({ image: 'web:new', timeout: '20s', 'rollback-on-failure': 'false' })
  await run(deps)
  expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0)
  expect(io.outputs['rolled-back']).toBe('false')
  expect(io.failures[0]).toMatch(/did not succeed \(status IN_PROGRESS\): the service is on web:1/)
})

test('finds the deployment with ListServiceDeployments when UpdateService does not name it', async () => {
  stubBasics()
  ecsMock.on(UpdateServiceCommand).resolves({ service: { ...service, taskDefinition: NEW } })
  ecsMock.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: [
      { serviceDeploymentArn: 'older', createdAt: new Date(1) },
      { serviceDeploymentArn: DEP, createdAt: new Date(2) },
    ],
  })
  deployments({ serviceDeploymentArn: DEP, status: 'SUCCESSFUL' })
  const { deps, io } = setup({ image: 'web:new', strategy: 'rolling' })
  await run(deps)
  expect(io.failures).toEqual([])
  expect(io.outputs['deployment-arn']).toBe(DEP)
  expect(ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input.deploymentConfiguration).toEqual({
    maximumPercent: 200,
    strategy: 'ROLLING',
  })
})

test('throttling and server errors while watching are retried', async () => {
  stubBasics()
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
    .resolves({ serviceDeployments: [{ serviceDeploymentArn: DEP, status: 'SUCCESSFUL' }] })
  const { deps, io } = setup({ image: 'web:new' })
  await run(deps)
  expect(io.failures).toEqual([])
  expect(io.lines.filter((l) => l.startsWith('Transient error'))).toHaveLength(2)
})

test('a permission error while watching ends the run with the call and the missing permission', async () => {
  stubBasics()
  ecsMock.on(DescribeServiceDeploymentsCommand).rejects(
    Object.assign(new Error('not authorized to perform: ecs:DescribeServiceDeployments'), {
      name: 'AccessDeniedException',
    }),
  )
  const { deps, io } = setup({ image: 'web:new' })
  await run(deps)
  expect(io.failures).toEqual([
    "AWS denied ecs:DescribeServiceDeployments (AccessDeniedException: not authorized to perform: ecs:DescribeServiceDeployments). Grant the role 'ecs:DescribeServiceDeployments' on this resource.",
  ])
})

test('migration failure: exit code and reason, no UpdateService', async () => {
  stubBasics()
  ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: 'arn:task/1', lastStatus: 'PROVISIONING' }] })
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
  const { deps, io } = setup({ image: 'web:new', 'migrate-command': 'python manage.py migrate' })
  await run(deps)
  expect(io.failures).toEqual([
    'Migration failed with exit code 2: Essential container in task exited; the service was not updated',
  ])
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0)
  expect(io.outputs).toMatchObject({ 'migration-task-arn': 'arn:task/1', status: 'MIGRATION_FAILED' })
})

test('wait false: no watching', async () => {
  stubBasics()
  const { deps, io } = setup({ image: 'web:new', wait: 'false' })
  await run(deps)
  expect(io.failures).toEqual([])
  expect(io.outputs).toMatchObject({ 'deployment-arn': DEP, status: 'IN_PROGRESS' })
  expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(0)
})

test('a bad input fails before any AWS client is made', async () => {
  const { deps, io, ecsCreated } = setup({ strategy: 'big-bang' })
  await run(deps)
  expect(io.failures).toEqual([
    "Invalid configuration: Input 'strategy' must be one of blue-green, rolling, canary, linear (got 'big-bang')",
  ])
  expect(ecsCreated()).toBe(0)
})

test('a missing region fails before any AWS client is made', async () => {
  const { deps, io, ecsCreated } = setup({})
  deps.env = {}
  await run(deps)
  expect(io.failures[0]).toMatch(/^Invalid configuration: No AWS region/)
  expect(ecsCreated()).toBe(0)
})

test('an unknown container in the service task definition fails before RegisterTaskDefinition', async () => {
  stubBasics()
  const { deps, io } = setup({ image: 'web:new', 'container-name': 'worker' })
  await run(deps)
  expect(io.failures[0]).toMatch(/no container 'worker' in web; its containers are: web/)
  expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
})

test('a missing service is named with its cluster', async () => {
  ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] })
  const { deps, io } = setup({ image: 'web:new' })
  await run(deps)
  expect(io.failures).toEqual(["Service 'web' not found in cluster 'prod' (MISSING, region us-east-1)"])
})
