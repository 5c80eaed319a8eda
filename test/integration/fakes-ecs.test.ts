// The fake ECS's own tests, through the real SDK over HTTP, and the same scenarios against moto
// (an emulator nobody here wrote) where moto implements them.
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type Service,
} from '@aws-sdk/client-ecs'
import { FakeEcs, ROLLING_WORKER, type FakeEcsOptions } from '../fakes/ecs.js'
import { motoInstalled, startMoto, type Moto } from '../fakes/ecs-moto.js'

const PAUSE_AT_GATE = {
  targetType: 'PAUSE' as const,
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const],
  timeoutConfiguration: { timeoutInMinutes: 5, action: 'ROLLBACK' as const },
}

let fake: FakeEcs
let clock: number

function client(url: string, maxAttempts = 3): ECSClient {
  return new ECSClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'secret' },
    maxAttempts,
  })
}

/** A fake on a clock the test moves, with one web service (blue/green) and its task definitions. */
async function start(options: FakeEcsOptions = {}): Promise<{ ecs: ECSClient; v1: string; v2: string }> {
  clock = 1_700_000_000_000
  fake = new FakeEcs({ stageMs: 1000, now: () => clock, ...options })
  await fake.start()
  const v1 = fake.addTaskDefinition({
    family: 'web',
    containerDefinitions: [{ name: 'web', image: 'web:1' }],
  })
  const v2 = fake.addTaskDefinition({
    family: 'web',
    containerDefinitions: [{ name: 'web', image: 'web:2' }],
  })
  fake.addService({ serviceName: 'web', cluster: 'prod', taskDefinition: v1 })
  return { ecs: client(fake.url), v1, v2 }
}

async function describe1(ecs: ECSClient, name = 'web'): Promise<Service> {
  const out = await ecs.send(
    new DescribeServicesCommand({ cluster: 'prod', services: [name], include: ['TAGS'] }),
  )
  return out.services?.[0] as Service
}

async function deployment(ecs: ECSClient, arn: string) {
  const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))
  return out.serviceDeployments?.[0]
}

afterEach(async () => {
  await fake?.close()
})

describe('the fake ECS', () => {
  test('lifecycle hooks are service configuration: they stay for the next deployment until an update drops them', async () => {
    const { ecs, v1, v2 } = await start()
    const config: DeploymentConfiguration = { strategy: 'BLUE_GREEN', lifecycleHooks: [PAUSE_AT_GATE] }
    const first = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        taskDefinition: v2,
        deploymentConfiguration: config,
      }),
    )
    expect((await describe1(ecs)).deploymentConfiguration?.lifecycleHooks).toEqual([PAUSE_AT_GATE])
    clock += 60_000
    const paused = await deployment(ecs, first.service?.currentServiceDeployment as string)
    expect(paused).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' })
    const hookId = paused?.lifecycleHookDetails?.[0]?.hookId as string
    await ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: first.service?.currentServiceDeployment,
        hookId,
        action: 'CONTINUE',
      }),
    )
    clock += 60_000
    expect((await deployment(ecs, first.service?.currentServiceDeployment as string))?.status).toBe(
      'SUCCESSFUL',
    )

    // A plain update (task definition only) keeps the hook, and its deployment pauses there too.
    const second = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v1 }),
    )
    clock += 60_000
    expect(await deployment(ecs, second.service?.currentServiceDeployment as string)).toMatchObject({
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [expect.objectContaining({ targetType: 'PAUSE', status: 'AWAITING_ACTION' })],
    })

    // A configuration-only update drops the hook without starting a deployment.
    const deploymentsBefore = fake.deployments.size
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [] },
      }),
    )
    expect(fake.deployments.size).toBe(deploymentsBefore)
    expect((await describe1(ecs)).deploymentConfiguration?.lifecycleHooks).toEqual([])
  })

  test('an unanswered PAUSE hook takes its timeout action: ROLLBACK puts the service back', async () => {
    const { ecs, v1, v2 } = await start()
    fake.services.get('prod/web')!.deploymentConfiguration = {
      strategy: 'BLUE_GREEN',
      lifecycleHooks: [
        {
          targetType: 'PAUSE',
          lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
          timeoutConfiguration: { timeoutInMinutes: 2 },
        },
      ],
    }
    const out = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }),
    )
    const arn = out.service?.currentServiceDeployment as string
    clock += 30_000
    const paused = await deployment(ecs, arn)
    expect(paused?.lifecycleStage).toBe('PRE_PRODUCTION_TRAFFIC_SHIFT')
    expect(paused?.lifecycleHookDetails?.[0]).toMatchObject({
      status: 'AWAITING_ACTION',
      timeoutAction: 'ROLLBACK',
    })
    expect(paused?.lifecycleHookDetails?.[0]?.expiresAt?.getTime()).toBe(clock - 30_000 + 7000 + 120_000)
    clock += 120_000
    expect((await deployment(ecs, arn))?.status).toBe('ROLLBACK_SUCCESSFUL')
    expect((await describe1(ecs)).taskDefinition).toBe(v1)
  })

  test('blue/green needs the load balancer set up for it; a worker without one deploys rolling', async () => {
    const { ecs, v2 } = await start()
    const v1 = fake.addTaskDefinition({
      family: 'worker',
      containerDefinitions: [{ name: 'worker', image: 'w:1' }],
    })
    fake.addService({ serviceName: 'worker', cluster: 'prod', taskDefinition: v1, ...ROLLING_WORKER })
    fake.addService({
      serviceName: 'half',
      cluster: 'prod',
      taskDefinition: v1,
      loadBalancers: [{ targetGroupArn: 'arn:tg/half', containerName: 'web', containerPort: 80 }],
    })
    const blueGreen = { strategy: 'BLUE_GREEN' as const }
    await expect(
      ecs.send(
        new UpdateServiceCommand({
          cluster: 'prod',
          service: 'worker',
          taskDefinition: v2,
          deploymentConfiguration: blueGreen,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/requires a load balancer or Service Connect/),
    })
    await expect(
      ecs.send(
        new UpdateServiceCommand({ cluster: 'prod', service: 'half', deploymentConfiguration: blueGreen }),
      ),
    ).rejects.toThrow(/advancedConfiguration with alternateTargetGroupArn, productionListenerRule, roleArn/)
    const rolling = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'worker', taskDefinition: v2 }),
    )
    expect(rolling.service?.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ])
    clock += 60_000
    expect(
      (await describe1(ecs, 'worker')).deployments?.map((d) => [d.status, d.rolloutState, d.taskDefinition]),
    ).toEqual([['PRIMARY', 'COMPLETED', v2]])
  })

  test('a failing rolling deployment shows in deployments[] as the circuit breaker reports it', async () => {
    const { ecs } = await start()
    const v1 = fake.addTaskDefinition({
      family: 'worker',
      containerDefinitions: [{ name: 'worker', image: 'w:1' }],
    })
    const v2 = fake.addTaskDefinition({
      family: 'worker',
      containerDefinitions: [{ name: 'worker', image: 'w:2' }],
    })
    fake.addService({
      serviceName: 'worker',
      cluster: 'prod',
      taskDefinition: v1,
      ...ROLLING_WORKER,
      behaviour: 'fail',
    })
    const out = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'worker', taskDefinition: v2 }),
    )
    const ours = out.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id
    clock += 4500
    const rollingBack = await describe1(ecs, 'worker')
    expect(rollingBack.deployments?.map((d) => [d.status, d.rolloutState, d.taskDefinition])).toEqual([
      ['PRIMARY', 'IN_PROGRESS', v1],
      ['ACTIVE', 'FAILED', v2],
    ])
    expect(rollingBack.deployments?.[1]).toMatchObject({ id: ours, failedTasks: 3 })
    clock += 5000
    const back = await describe1(ecs, 'worker')
    expect(back.taskDefinition).toBe(v1)
    expect(back.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([['PRIMARY', 'COMPLETED']])
  })

  test('batch limits: DescribeServices takes 10 services, DescribeServiceDeployments 20 ARNs', async () => {
    const { ecs } = await start()
    const names = Array.from({ length: 11 }, (_, i) => `svc-${i}`)
    await expect(ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: names }))).rejects.toThrow(
      /at most 10/,
    )
    const ten = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web', ...names.slice(0, 9)] }),
    )
    expect(ten.services?.map((s) => s.serviceName)).toEqual(['web'])
    expect(ten.failures).toHaveLength(9)
    const arns = Array.from(
      { length: 21 },
      (_, i) => `arn:aws:ecs:us-east-1:1:service-deployment/prod/web/${i}`,
    )
    await expect(
      ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns })),
    ).rejects.toThrow(/at most 20/)
  })

  test('injected throttling is retried by the SDK; more of it than its attempts reaches the caller', async () => {
    const { ecs } = await start()
    fake.inject('DescribeServices', 'throttle', 2)
    expect((await describe1(ecs)).serviceName).toBe('web')
    expect(fake.calls.filter((c) => c.injected === 'throttle')).toHaveLength(2)
    fake.inject('DescribeServices', 'throttle', 5)
    await expect(describe1(client(fake.url, 2))).rejects.toMatchObject({ name: 'ThrottlingException' })
  })

  test('RegisterTaskDefinition refuses a name in both environment and secrets, as ECS does', async () => {
    const { ecs } = await start()
    await expect(
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'web',
          containerDefinitions: [
            {
              name: 'web',
              image: 'web:3',
              environment: [{ name: 'DATABASE_URL', value: 'postgres://x' }],
              secrets: [{ name: 'DATABASE_URL', valueFrom: 'arn:aws:ssm:us-east-1:1:parameter/db' }],
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: expect.stringMatching(/such as 'DATABASE_URL'/),
    })
  })

  test('tags on a service: TagResource, ListTagsForResource and DescribeServices with TAGS', async () => {
    const { ecs } = await start()
    const arn = (await describe1(ecs)).serviceArn as string
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'team', value: 'web' }] }))
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { key: 'team', value: 'web' },
    ])
    expect((await describe1(ecs)).tags).toEqual([{ key: 'team', value: 'web' }])
  })
})

/** The same calls against the fake without the ServiceDeployment API and against moto. */
describe.each(['fake', 'moto'] as const)(
  'rolling deploys where the ServiceDeployment API is missing (%s)',
  (kind) => {
    let moto: Moto | undefined
    let ecs: ECSClient
    let v1: string
    let v2: string

    beforeAll(async () => {
      if (kind === 'moto') {
        // The reference must be there: a missing moto fails this suite rather than skipping it.
        expect(motoInstalled()).toBe(true)
        moto = await startMoto(2)
        v1 = await moto.addService('prod', 'worker', {
          family: 'worker',
          containerDefinitions: [{ name: 'worker', image: 'w:1', memory: 256 }],
        })
        ecs = moto.client()
        const td = await ecs.send(
          new RegisterTaskDefinitionCommand({
            family: 'worker',
            containerDefinitions: [{ name: 'worker', image: 'w:2', memory: 256 }],
          }),
        )
        v2 = td.taskDefinition?.taskDefinitionArn as string
      }
    }, 30_000)
    beforeEach(async () => {
      if (kind === 'fake') {
        clock = 1_700_000_000_000
        fake = new FakeEcs({ stageMs: 1000, now: () => clock, serviceDeploymentApi: false })
        await fake.start()
        v1 = fake.addTaskDefinition({
          family: 'worker',
          containerDefinitions: [{ name: 'worker', image: 'w:1' }],
        })
        v2 = fake.addTaskDefinition({
          family: 'worker',
          containerDefinitions: [{ name: 'worker', image: 'w:2' }],
        })
        fake.addService({ serviceName: 'worker', cluster: 'prod', taskDefinition: v1, ...ROLLING_WORKER })
        ecs = client(fake.url)
      }
    })
    afterAll(async () => {
      await moto?.close()
    })

    test('the ServiceDeployment API answers with an HTML 500 page the SDK cannot parse', async () => {
      const error = await ecs
        .send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'worker' }))
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ name: 'SyntaxError', $metadata: { httpStatusCode: 500 } })
      expect(
        (error as { $response?: { headers: Record<string, string> } }).$response?.headers['content-type'],
      ).toMatch(/^text\/html/)
    })

    test('UpdateService answers without currentServiceDeployment, with a PRIMARY deployments[] entry that completes', async () => {
      const out = await ecs.send(
        new UpdateServiceCommand({ cluster: 'prod', service: 'worker', taskDefinition: v2 }),
      )
      expect(out.service?.currentServiceDeployment).toBeUndefined()
      expect(out.service?.taskDefinition).toBe(v2)
      const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY')
      expect(primary).toMatchObject({ id: expect.stringMatching(/^ecs-svc\//), desiredCount: 2 })
      clock += 60_000
      const later = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['worker'] })))
        .services?.[0]
      expect(later?.taskDefinition).toBe(v2)
      expect(later?.deployments?.find((d) => d.id === primary?.id)).toMatchObject({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        runningCount: 2,
      })
    })
  },
)
