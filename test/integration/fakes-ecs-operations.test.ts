// More of the fake ECS's own tests, through the real SDK over HTTP: the calls the migration, the
// rollback and the failure report make (RunTask and its tasks, StopServiceDeployment,
// ContinueServiceDeployment with ROLLBACK, a superseded deployment, ListTasks of failed tasks),
// and the wire protocol's refusals.
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import { FakeEcs, type FakeEcsOptions } from '../fakes/ecs.js'

let fake: FakeEcs
let clock: number

async function start(options: FakeEcsOptions = {}): Promise<{ ecs: ECSClient; v1: string; v2: string }> {
  clock = 1_700_000_000_000
  fake = new FakeEcs({ stageMs: 1000, taskMs: 2000, now: () => clock, ...options })
  await fake.start()
  const v1 = fake.addTaskDefinition(
    { family: 'web', containerDefinitions: [{ name: 'web', image: 'web:1' }] },
    [{ key: 'team', value: 'web' }],
  )
  const v2 = fake.addTaskDefinition({
    family: 'web',
    containerDefinitions: [{ name: 'web', image: 'web:2' }],
  })
  fake.addService({ serviceName: 'web', cluster: 'prod', taskDefinition: v1 })
  const ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  })
  return { ecs, v1, v2 }
}

async function deploy(ecs: ECSClient, taskDefinition: string): Promise<string> {
  const out = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition }))
  return out.service?.currentServiceDeployment as string
}

async function deployment(ecs: ECSClient, arn: string) {
  const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))
  return out.serviceDeployments?.[0]
}

afterEach(async () => {
  await fake?.close()
})

test('RunTask: the task provisions, runs and stops with the exit code, the override naming its container', async () => {
  const { ecs, v2 } = await start({ taskExitCode: 3 })
  const out = await ecs.send(
    new RunTaskCommand({
      cluster: 'prod',
      taskDefinition: v2,
      overrides: { containerOverrides: [{ name: 'web', command: ['python', 'manage.py', 'migrate'] }] },
    }),
  )
  const arn = out.tasks?.[0]?.taskArn as string
  expect(out.tasks?.[0]).toMatchObject({ lastStatus: 'PROVISIONING', taskDefinitionArn: v2 })
  const look = async () =>
    (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [arn] }))).tasks?.[0]
  clock += 1500
  expect((await look())?.lastStatus).toBe('RUNNING')
  clock += 1000
  expect(await look()).toMatchObject({
    lastStatus: 'STOPPED',
    stoppedReason: 'Essential container in task exited',
    containers: [{ name: 'web', exitCode: 3, reason: 'exit status 3' }],
  })
  expect(fake.tasks[0]?.input).toMatchObject({ overrides: { containerOverrides: [{ name: 'web' }] } })
})

test("a failed deployment's tasks are listed as STOPPED for its service, with why they stopped", async () => {
  const { ecs, v2 } = await start({ behaviour: 'fail' })
  await deploy(ecs, v2)
  clock += 10_000
  const list = await ecs.send(
    new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' }),
  )
  expect(list.taskArns).toHaveLength(3)
  const tasks = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: list.taskArns }))
  expect(tasks.tasks?.map((t) => [t.taskDefinitionArn, t.lastStatus, t.containers?.[0]?.exitCode])).toEqual([
    [v2, 'STOPPED', 1],
    [v2, 'STOPPED', 1],
    [v2, 'STOPPED', 1],
  ])
  const running = await ecs.send(
    new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'RUNNING' }),
  )
  expect(running.taskArns).toEqual([])
})

test('StopServiceDeployment with ROLLBACK puts the service back; a second stop is refused', async () => {
  const { ecs, v1, v2 } = await start()
  const arn = await deploy(ecs, v2)
  clock += 3500
  await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }))
  expect(await deployment(ecs, arn)).toMatchObject({
    status: 'ROLLBACK_IN_PROGRESS',
    rollback: { reason: expect.stringMatching(/StopServiceDeployment request/) },
  })
  clock += 2000
  expect((await deployment(ecs, arn))?.status).toBe('ROLLBACK_SUCCESSFUL')
  const service = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))
  expect(service.services?.[0]?.taskDefinition).toBe(v1)
  await expect(
    ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
  ).rejects.toMatchObject({ name: 'ConflictException' })
})

test('StopServiceDeployment with ABORT stops it where it is, without a rollback', async () => {
  const { ecs, v2 } = await start()
  const arn = await deploy(ecs, v2)
  clock += 2500
  await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' }))
  expect((await deployment(ecs, arn))?.status).toBe('STOP_REQUESTED')
  clock += 1000
  expect(await deployment(ecs, arn)).toMatchObject({ status: 'STOPPED' })
  expect((await deployment(ecs, arn))?.rollback).toBeUndefined()
})

test('ContinueServiceDeployment with ROLLBACK rolls back; a hook that is not waiting cannot be answered', async () => {
  const { ecs, v1, v2 } = await start()
  fake.services.get('prod/web')!.deploymentConfiguration = {
    strategy: 'BLUE_GREEN',
    lifecycleHooks: [
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 5 },
      },
    ],
  }
  const arn = await deploy(ecs, v2)
  clock += 60_000
  const paused = await deployment(ecs, arn)
  const hookId = paused?.lifecycleHookDetails?.[0]?.hookId as string
  await expect(
    ecs.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: 'nope', action: 'CONTINUE' }),
    ),
  ).rejects.toMatchObject({ name: 'InvalidParameterException' })
  await ecs.send(
    new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: 'ROLLBACK' }),
  )
  clock += 2000
  expect(await deployment(ecs, arn)).toMatchObject({
    status: 'ROLLBACK_SUCCESSFUL',
    statusReason: expect.stringMatching(/lifecycle hook requested a rollback/),
  })
  expect(fake.services.get('prod/web')?.taskDefinition).toBe(v1)
})

test('a newer UpdateService supersedes the running deployment; ListServiceDeployments filters by creation time', async () => {
  const { ecs, v1, v2 } = await start()
  const first = await deploy(ecs, v2)
  clock += 1500
  const second = await deploy(ecs, v1)
  expect(await deployment(ecs, first)).toMatchObject({
    status: 'STOPPED',
    statusReason: 'Superseded by a newer deployment',
  })
  const all = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }))
  expect(all.serviceDeployments?.map((d) => d.serviceDeploymentArn)).toEqual([first, second])
  const recent = await ecs.send(
    new ListServiceDeploymentsCommand({
      cluster: 'prod',
      service: 'web',
      createdAt: { after: new Date(clock - 500) },
    }),
  )
  expect(recent.serviceDeployments?.map((d) => d.serviceDeploymentArn)).toEqual([second])
})

test('DescribeTaskDefinition returns describe-only fields, and the tags only when asked', async () => {
  const { ecs, v1 } = await start()
  const plain = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: v1 }))
  expect(plain.taskDefinition).toMatchObject({ taskDefinitionArn: v1, revision: 1, status: 'ACTIVE' })
  expect(plain.tags).toBeUndefined()
  const tagged = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: 'web', include: ['TAGS'] }),
  )
  expect(tagged.taskDefinition?.revision).toBe(2)
  const first = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1', include: ['TAGS'] }),
  )
  expect(first.tags).toEqual([{ key: 'team', value: 'web' }])
})

test('the wire: an unsigned request, an unknown operation and a describe-only field are refused as ECS refuses them', async () => {
  await start()
  const post = (target: string, body: object, headers: Record<string, string> = {}) =>
    fetch(fake.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AmazonEC2ContainerServiceV20141113.${target}`,
        ...headers,
      },
      body: JSON.stringify(body),
    })
  const signed = { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIAFAKE/20260101/us-east-1/ecs/aws4_request' }
  const unsigned = await post('DescribeServices', { cluster: 'prod', services: ['web'] })
  expect(unsigned.status).toBe(400)
  expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' })
  const unknown = await post('CreateCapacityProvider', {}, signed)
  expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' })
  // The SDK never sends one (it serializes only the request's members); a hand-made request can.
  const described = await post(
    'RegisterTaskDefinition',
    { family: 'web', containerDefinitions: [{ name: 'web', image: 'web:3' }], revision: 7 },
    signed,
  )
  expect(await described.json()).toMatchObject({
    __type: 'ClientException',
    message: "Unexpected field 'revision'.",
  })
})
