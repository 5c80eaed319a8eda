// A scripted ECS for run() unit tests: aws-sdk-client-mock answers each command from a small
// model whose deployments move on the fake clock, so the watch, gate and rollback logic runs
// through the real EcsApi without a network.
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
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { ecsApi } from '../../../src/ecs-blue-green-deploy/ecs-api.js'
import type { Deps } from '../../../src/ecs-blue-green-deploy/deps.js'
import { run } from '../../../src/ecs-blue-green-deploy/main.js'
import type { HttpClient } from '../../../src/lib/http/client.js'
import { fakeClock } from '../../helpers/clock.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'
import { unexpectedExec } from '../../helpers/stub.js'

export const ecsMock = mockClient(ECSClient)

/** What a deployment shows at a time since it started: a list of [from ms, state] steps. */
export type Script = [number, Partial<ServiceDeployment>][]

export const arnOf = (family: string, revision: number) =>
  `arn:aws:ecs:us-east-1:1:task-definition/${family}:${revision}`

export interface WorldService {
  service: Service
  /** How its next deployments go (one script per UpdateService that starts one). */
  scripts: Script[]
}

/** The steps of a blue/green deployment that succeeds: each stage `stageMs` long, then SUCCESSFUL. */
export function blueGreen(
  stageMs: number,
  stages = ['SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'CLEAN_UP'],
): Script {
  return [
    [0, { status: 'PENDING' }],
    ...stages.map((stage, i): [number, Partial<ServiceDeployment>] => [
      (i + 1) * stageMs,
      { status: 'IN_PROGRESS', lifecycleStage: stage as never },
    ]),
    [(stages.length + 1) * stageMs, { status: 'SUCCESSFUL' }],
  ]
}

/** A deployment waiting at the gate's hook (POST_TEST_TRAFFIC_SHIFT) from the start, for good. */
export const PAUSED_AT_GATE: Script = [
  [
    0,
    {
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [{ hookId: 'hook-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
    },
  ],
]

export function setupWorld(
  services: WorldService[],
  values: Record<string, string>,
  http: HttpClient = async () => {
    throw new Error('no http expected')
  },
) {
  const clock = fakeClock()
  const io = recordingIO()
  const deployments = new Map<
    string,
    { started: number; script: Script; stopped?: number; service: Service; source?: string }
  >()
  // New revisions continue from the newest the services run (a second world after a first run).
  let revision = Math.max(1, ...services.map((s) => Number(s.service.taskDefinition?.split(':').pop() ?? 1)))
  let ecsCreated = 0
  const byName = (name: string) => services.find((s) => s.service.serviceName === name.split('/').pop())

  const stateOf = (arn: string): ServiceDeployment | undefined => {
    const d = deployments.get(arn)
    if (d === undefined) return undefined
    if (d.stopped !== undefined) {
      const rolledBack = clock.now() - d.stopped >= 2000
      if (rolledBack) d.service.taskDefinition = d.source
      return {
        serviceDeploymentArn: arn,
        status: rolledBack ? 'ROLLBACK_SUCCESSFUL' : 'ROLLBACK_IN_PROGRESS',
      }
    }
    const since = clock.now() - d.started
    const step = [...d.script].reverse().find(([from]) => since >= from)?.[1] ?? { status: 'PENDING' }
    if (step.status === 'ROLLBACK_SUCCESSFUL') d.service.taskDefinition = d.source
    return { serviceDeploymentArn: arn, deploymentConfiguration: d.service.deploymentConfiguration, ...step }
  }

  ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
    services: input.services.flatMap((name) => {
      const s = byName(name)
      return s ? [{ ...s.service }] : []
    }),
    failures: input.services
      .filter((n) => !byName(n))
      .map((n) => ({ arn: `arn:service/${n}`, reason: 'MISSING' })),
  }))
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const family = input.taskDefinition.split('/').pop()?.split(':')[0] ?? 'web'
    return {
      taskDefinition: {
        taskDefinitionArn: input.taskDefinition,
        family,
        revision: 1,
        containerDefinitions: [{ name: family, image: `${family}:old` }],
      },
      tags: [],
    }
  })
  ecsMock.on(RegisterTaskDefinitionCommand).callsFake((input: { family: string }) => ({
    taskDefinition: { taskDefinitionArn: arnOf(input.family, ++revision) },
  }))
  ecsMock.on(UpdateServiceCommand).callsFake((input: sdk.UpdateServiceCommandInput) => {
    const s = byName(input.service as string)
    if (s === undefined) throw new Error(`no service ${input.service}`)
    if (input.deploymentConfiguration) s.service.deploymentConfiguration = input.deploymentConfiguration
    if (input.taskDefinition === undefined || input.taskDefinition === s.service.taskDefinition) {
      return { service: { ...s.service } }
    }
    const arn = `arn:aws:ecs:us-east-1:1:service-deployment/prod/${s.service.serviceName}/${deployments.size + 1}`
    deployments.set(arn, {
      started: clock.now(),
      script: s.scripts.shift() ?? blueGreen(1000),
      service: s.service,
      source: s.service.taskDefinition,
    })
    s.service.taskDefinition = input.taskDefinition
    return { service: { ...{ ...s.service }, currentServiceDeployment: arn } }
  })
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => ({
    serviceDeployments: input.serviceDeploymentArns.flatMap((arn) => {
      const state = stateOf(arn)
      return state ? [state] : []
    }),
  }))
  ecsMock.on(StopServiceDeploymentCommand).callsFake((input: { serviceDeploymentArn: string }) => {
    const d = deployments.get(input.serviceDeploymentArn)
    if (d) d.stopped = clock.now()
    return {}
  })
  ecsMock.on(ContinueServiceDeploymentCommand).resolves({})
  ecsMock.on(TagResourceCommand).resolves({})
  ecsMock.on(UntagResourceCommand).resolves({})
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] })
  ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] })
  ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: 'arn:task/1', lastStatus: 'PROVISIONING' }] })
  ecsMock.on(DescribeTasksCommand).resolves({ tasks: [] })

  const deps: Deps = {
    io,
    exec: unexpectedExec,
    getInput: inputsOf({ cluster: 'prod', ...values }),
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
  /** ContinueServiceDeployment rolls the (first) deployment back, whatever the answer. */
  const rollBackOnAnswer = () =>
    ecsMock.on(ContinueServiceDeploymentCommand).callsFake(() => {
      const d = deployments.values().next().value
      if (d) d.stopped = clock.now()
      return {}
    })
  return {
    deps,
    io,
    clock,
    deployments,
    run: () => run(deps),
    ecsCreated: () => ecsCreated,
    rollBackOnAnswer,
  }
}

export function webService(extra: Partial<Service> = {}): WorldService {
  return {
    service: {
      serviceName: 'web',
      serviceArn: 'arn:aws:ecs:us-east-1:1:service/prod/web',
      status: 'ACTIVE',
      taskDefinition: arnOf('web', 1),
      launchType: 'FARGATE',
      loadBalancers: [
        {
          targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web-blue/1',
          containerName: 'web',
          containerPort: 8000,
          advancedConfiguration: {
            alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web-green/2',
            productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/web/1/2/3',
            testListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/web/1/4/5',
            roleArn: 'arn:aws:iam::1:role/ecs-infrastructure',
          },
        },
      ],
      deploymentConfiguration: { maximumPercent: 200, strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
      events: [
        { id: '2', createdAt: new Date('2026-01-01T00:02:00Z'), message: '(service web) deployment failed' },
        {
          id: '1',
          createdAt: new Date('2026-01-01T00:01:00Z'),
          message: '(service web) has started 2 tasks',
        },
      ],
      ...extra,
    },
    scripts: [],
  }
}

export function workerService(name = 'worker', extra: Partial<Service> = {}): WorldService {
  return {
    service: {
      serviceName: name,
      serviceArn: `arn:aws:ecs:us-east-1:1:service/prod/${name}`,
      status: 'ACTIVE',
      taskDefinition: arnOf(name, 1),
      loadBalancers: [],
      deploymentConfiguration: {
        strategy: 'ROLLING',
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      ...extra,
    },
    scripts: [],
  }
}

export const ok: HttpClient = async (request) => ({
  status: 200,
  headers: {},
  body: '{"status":"ok"}',
  url: String(request.url),
})
export const broken: HttpClient = async (request) => ({
  status: 503,
  headers: {},
  body: 'down',
  url: String(request.url),
})
