import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  advanceDeployment,
  BLUE_GREEN_STAGES,
  deploymentView,
  FINAL,
  ROLLING_STAGES,
  startRollback,
  type DeploymentBehaviour,
  type FakeDeployment,
  type FakeService,
  type FakeTask,
  type Json,
  type LifecycleContext,
} from './ecs-deployments.js'

export type { DeploymentBehaviour, FakeDeployment, FakeService } from './ecs-deployments.js'

/**
 * A local fake of the Amazon ECS API speaking its real wire protocol (awsJson1_1: POST /,
 * `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`, JSON bodies, timestamps as epoch
 * seconds, errors as `{"__type": ..., "message": ...}`), so the SDK in a built bundle reaches it
 * through AWS_ENDPOINT_URL_ECS without knowing it is a fake.
 *
 * It holds clusters, services and task definitions, and moves service deployments through their
 * lifecycle stages as time passes (`stageMs` per stage): PAUSE hooks wait in AWAITING_ACTION for
 * ContinueServiceDeployment, a failing deployment trips the circuit breaker and rolls back, a
 * hanging one never leaves SCALE_UP. RunTask tasks stop after `taskMs` with `taskExitCode`.
 * Throttling and 5xx answers are injected at a configurable rate.
 */

export interface FakeEcsOptions {
  /** How long each lifecycle stage lasts. */
  stageMs?: number
  /** How long a RunTask task runs before it stops. */
  taskMs?: number
  taskExitCode?: number
  /** What new deployments do. */
  behaviour?: DeploymentBehaviour
  /** Fraction of requests answered with ThrottlingException (400). */
  throttleRate?: number
  /** Fraction of requests answered with ServerException (500). */
  errorRate?: number
  random?: () => number
  region?: string
  account?: string
}

export interface RecordedCall {
  operation: string
  input: Json
  at: number
  /** The injected error it got instead of an answer, if any. */
  injected?: string
}

/** Calls that change something in ECS; a misconfigured run must make none of them. */
export const MUTATING_OPERATIONS = new Set([
  'RegisterTaskDefinition',
  'RunTask',
  'UpdateService',
  'StopServiceDeployment',
  'ContinueServiceDeployment',
  'TagResource',
  'StopTask',
  'CreateService',
  'DeregisterTaskDefinition',
])

const STRATEGIES = new Set(['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'])
const HOOK_STAGES = new Set([
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
])

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

export class FakeEcs {
  readonly calls: RecordedCall[] = []
  readonly services = new Map<string, FakeService>()
  readonly taskDefinitions = new Map<string, { definition: Json; tags: Json[] }>()
  readonly deployments = new Map<string, FakeDeployment>()
  readonly tasks: FakeTask[] = []
  options: Required<Omit<FakeEcsOptions, 'random'>> & { random: () => number }
  private server?: http.Server
  private counter = 0
  url = ''

  constructor(options: FakeEcsOptions = {}) {
    this.options = {
      stageMs: 100,
      taskMs: 200,
      taskExitCode: 0,
      behaviour: 'succeed',
      throttleRate: 0,
      errorRate: 0,
      region: 'us-east-1',
      account: '123456789012',
      random: Math.random,
      ...options,
    }
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.url
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** The env a bundle needs to reach this fake through the SDK's standard endpoint override. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_ECS: this.url,
      AWS_REGION: this.options.region,
      AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    }
  }

  operations(): string[] {
    return this.calls.filter((c) => c.injected === undefined).map((c) => c.operation)
  }

  mutatingCalls(): RecordedCall[] {
    return this.calls.filter((c) => MUTATING_OPERATIONS.has(c.operation))
  }

  private arn(kind: string, rest: string): string {
    return `arn:aws:ecs:${this.options.region}:${this.options.account}:${kind}/${rest}`
  }

  /** Registers a task definition directly (a fixture), returning its ARN. */
  addTaskDefinition(definition: Json, tags: Json[] = []): string {
    const family = String(definition.family)
    const revision =
      [...this.taskDefinitions.values()].filter((t) => t.definition.family === family).length + 1
    const arn = this.arn('task-definition', `${family}:${revision}`)
    this.taskDefinitions.set(arn, {
      definition: {
        ...definition,
        taskDefinitionArn: arn,
        revision,
        status: 'ACTIVE',
        compatibilities: ['EC2', 'FARGATE'],
        requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
        registeredAt: Date.now() / 1000,
        registeredBy: `arn:aws:iam::${this.options.account}:role/deployer`,
      },
      tags,
    })
    return arn
  }

  /** Creates a service running the given task definition. */
  addService(service: Partial<FakeService> & { serviceName: string; taskDefinition: string }): FakeService {
    const cluster = service.cluster ?? 'default'
    const full: FakeService = {
      cluster,
      clusterArn: this.arn('cluster', cluster),
      serviceArn: this.arn('service', `${cluster}/${service.serviceName}`),
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
      },
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        strategy: 'ROLLING',
      },
      events: [],
      ...service,
    }
    this.services.set(`${cluster}/${full.serviceName}`, full)
    this.event(full, `(service ${full.serviceName}) has reached a steady state.`)
    return full
  }

  /** The time the fake's schedule put a deployment into `status`, and when a Describe first showed it. */
  timing(arn: string, status: string): { reached?: number; shown?: number } {
    const d = this.deployments.get(arn)
    return { reached: d?.reached[status], shown: d?.firstShown[status] }
  }

  private event(service: FakeService, message: string, at = Date.now()): void {
    service.events.unshift({ id: `ev-${++this.counter}`, createdAt: at / 1000, message })
  }

  private findService(cluster: unknown, name: unknown): FakeService {
    const clusterName =
      String(cluster ?? 'default')
        .split('/')
        .pop() ?? 'default'
    const serviceName =
      String(name ?? '')
        .split('/')
        .pop() ?? ''
    const service = this.services.get(`${clusterName}/${serviceName}`)
    if (!service) throw new ApiError('ServiceNotFoundException', 'Service not found.')
    return service
  }

  private findTaskDefinition(ref: unknown): { definition: Json; tags: Json[] } {
    const text = String(ref ?? '')
    const direct = this.taskDefinitions.get(text)
    if (direct) return direct
    const [family, revision] = (text.split('/').pop() ?? '').split(':')
    const matches = [...this.taskDefinitions.values()].filter((t) => t.definition.family === family)
    const found =
      revision === undefined
        ? matches[matches.length - 1]
        : matches.find((t) => String(t.definition.revision) === revision)
    if (!found) throw new ApiError('ClientException', 'Unable to describe task definition.')
    return found
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '')
      const operation = target.replace(/^AmazonEC2ContainerServiceV20141113\./, '')
      const send = (status: number, body: Json) => {
        const text = JSON.stringify(body)
        res.writeHead(status, {
          'Content-Type': 'application/x-amz-json-1.1',
          'x-amzn-RequestId': `req-${++this.counter}`,
          'Content-Length': Buffer.byteLength(text),
        })
        res.end(text)
      }
      let input: Json
      try {
        input = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {}
      } catch {
        send(400, { __type: 'SerializationException', message: 'Malformed JSON' })
        return
      }
      const call: RecordedCall = { operation, input, at: Date.now() }
      this.calls.push(call)
      if (req.method !== 'POST' || !target.startsWith('AmazonEC2ContainerServiceV20141113.')) {
        send(400, { __type: 'UnknownOperationException', message: `Unknown target '${target}'` })
        return
      }
      if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256')) {
        send(400, { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' })
        return
      }
      if (this.options.throttleRate > 0 && this.options.random() < this.options.throttleRate) {
        call.injected = 'ThrottlingException'
        send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' })
        return
      }
      if (this.options.errorRate > 0 && this.options.random() < this.options.errorRate) {
        call.injected = 'ServerException'
        send(500, { __type: 'ServerException', message: 'Service Unavailable. Please try again later.' })
        return
      }
      try {
        this.advanceAll(Date.now())
        const out = this.dispatch(operation, input)
        if (operation === 'DescribeServiceDeployments') this.noteShown(out)
        send(200, out)
      } catch (error) {
        if (error instanceof ApiError) send(error.status, { __type: error.type, message: error.message })
        else send(500, { __type: 'ServerException', message: String(error) })
      }
    })
  }

  private noteShown(out: Json): void {
    const now = Date.now()
    for (const d of (out.serviceDeployments as Json[]) ?? []) {
      const deployment = this.deployments.get(String(d.serviceDeploymentArn))
      const status = String(d.status)
      if (deployment && deployment.firstShown[status] === undefined) deployment.firstShown[status] = now
    }
  }

  private dispatch(operation: string, input: Json): Json {
    switch (operation) {
      case 'DescribeServices':
        return this.describeServices(input)
      case 'DescribeTaskDefinition': {
        const found = this.findTaskDefinition(input.taskDefinition)
        const include = (input.include as string[] | undefined) ?? []
        return { taskDefinition: found.definition, ...(include.includes('TAGS') ? { tags: found.tags } : {}) }
      }
      case 'RegisterTaskDefinition':
        return this.registerTaskDefinition(input)
      case 'RunTask':
        return this.runTask(input)
      case 'DescribeTasks':
        return {
          tasks: ((input.tasks as string[]) ?? []).flatMap((arn) => {
            const task = this.tasks.find((t) => t.taskArn === arn)
            return task ? [this.taskView(task)] : []
          }),
          failures: [],
        }
      case 'ListTasks': {
        const now = Date.now()
        const stopped = input.desiredStatus === 'STOPPED'
        const arns = this.tasks
          .filter(
            (t) =>
              (input.serviceName === undefined || t.serviceName === input.serviceName) &&
              now >= t.stopAt === stopped,
          )
          .map((t) => t.taskArn)
        return { taskArns: arns.slice(0, Number(input.maxResults ?? 100)) }
      }
      case 'UpdateService':
        return this.updateService(input)
      case 'DescribeServiceDeployments':
        return {
          serviceDeployments: ((input.serviceDeploymentArns as string[]) ?? []).flatMap((arn) => {
            const d = this.deployments.get(arn)
            return d ? [deploymentView(d)] : []
          }),
          failures: [],
        }
      case 'ListServiceDeployments': {
        const service = this.findService(input.cluster, input.service)
        const after = (input.createdAt as Json | undefined)?.after
        return {
          serviceDeployments: [...this.deployments.values()]
            .filter(
              (d) => d.service === service && (after === undefined || d.createdAt / 1000 >= Number(after)),
            )
            .map((d) => ({
              serviceDeploymentArn: d.arn,
              serviceArn: service.serviceArn,
              clusterArn: service.clusterArn,
              createdAt: d.createdAt / 1000,
              targetServiceRevisionArn: `${d.arn}-rev`,
              status: d.status,
            })),
        }
      }
      case 'StopServiceDeployment':
        return this.stopServiceDeployment(input)
      case 'ContinueServiceDeployment':
        return this.continueServiceDeployment(input)
      default:
        throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported by the fake`)
    }
  }

  private describeServices(input: Json): Json {
    const services: Json[] = []
    const failures: Json[] = []
    for (const name of (input.services as string[]) ?? []) {
      try {
        const s = this.findService(input.cluster, name)
        services.push(this.serviceView(s))
      } catch {
        failures.push({
          arn: this.arn('service', `${String(input.cluster ?? 'default')}/${name}`),
          reason: 'MISSING',
        })
      }
    }
    return { services, failures }
  }

  private serviceView(s: FakeService): Json {
    return {
      serviceArn: s.serviceArn,
      serviceName: s.serviceName,
      clusterArn: s.clusterArn,
      status: 'ACTIVE',
      desiredCount: s.desiredCount,
      runningCount: s.desiredCount,
      pendingCount: 0,
      taskDefinition: s.taskDefinition,
      ...(s.launchType ? { launchType: s.launchType } : {}),
      ...(s.capacityProviderStrategy ? { capacityProviderStrategy: s.capacityProviderStrategy } : {}),
      ...(s.platformVersion ? { platformVersion: s.platformVersion } : {}),
      ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration } : {}),
      deploymentConfiguration: s.deploymentConfiguration,
      deploymentController: { type: 'ECS' },
      events: s.events.slice(0, 100),
      ...(s.currentServiceDeployment ? { currentServiceDeployment: s.currentServiceDeployment } : {}),
    }
  }

  private registerTaskDefinition(input: Json): Json {
    if (typeof input.family !== 'string' || input.family === '') {
      throw new ApiError('ClientException', 'Family is required.')
    }
    const containers = input.containerDefinitions
    if (!Array.isArray(containers) || containers.length === 0) {
      throw new ApiError('ClientException', 'Container list cannot be empty.')
    }
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'registeredAt', 'compatibilities']) {
      if (field in input) throw new ApiError('ClientException', `Unexpected field '${field}'.`)
    }
    const { tags, ...definition } = input
    const arn = this.addTaskDefinition(definition, (tags as Json[] | undefined) ?? [])
    return { taskDefinition: this.taskDefinitions.get(arn)?.definition, tags: tags ?? [] }
  }

  private runTask(input: Json): Json {
    const found = this.findTaskDefinition(input.taskDefinition)
    const containers = found.definition.containerDefinitions as Json[]
    const overrides = ((input.overrides as Json | undefined)?.containerOverrides as Json[] | undefined) ?? []
    const containerName = String(overrides[0]?.name ?? containers[0]?.name)
    const now = Date.now()
    const task: FakeTask = {
      taskArn: this.arn(
        'task',
        `${String(input.cluster ?? 'default')}/${(++this.counter).toString(16).padStart(32, '0')}`,
      ),
      cluster: String(input.cluster ?? 'default'),
      taskDefinitionArn: String(found.definition.taskDefinitionArn),
      startedAt: now,
      stopAt: now + this.options.taskMs,
      exitCode: this.options.taskExitCode,
      containerName,
      input,
      stoppedReason: 'Essential container in task exited',
    }
    this.tasks.push(task)
    return { tasks: [this.taskView(task)], failures: [] }
  }

  private taskView(t: FakeTask): Json {
    const stopped = Date.now() >= t.stopAt
    return {
      taskArn: t.taskArn,
      clusterArn: this.arn('cluster', t.cluster),
      taskDefinitionArn: t.taskDefinitionArn,
      lastStatus: stopped
        ? 'STOPPED'
        : Date.now() - t.startedAt > this.options.taskMs / 2
          ? 'RUNNING'
          : 'PROVISIONING',
      desiredStatus: stopped ? 'STOPPED' : 'RUNNING',
      createdAt: t.startedAt / 1000,
      ...(stopped
        ? { stoppedAt: t.stopAt / 1000, stopCode: 'EssentialContainerExited', stoppedReason: t.stoppedReason }
        : {}),
      containers: [
        {
          name: t.containerName,
          lastStatus: stopped ? 'STOPPED' : 'RUNNING',
          ...(stopped ? { exitCode: t.exitCode } : {}),
          ...(stopped && t.exitCode !== 0 ? { reason: `exit status ${t.exitCode}` } : {}),
        },
      ],
    }
  }

  private updateService(input: Json): Json {
    const service = this.findService(input.cluster, input.service)
    const config = (input.deploymentConfiguration as Json | undefined) ?? service.deploymentConfiguration
    const strategy = String(config.strategy ?? 'ROLLING')
    if (!STRATEGIES.has(strategy))
      throw new ApiError('InvalidParameterException', `Invalid strategy ${strategy}.`)
    const bake = config.bakeTimeInMinutes
    if (bake !== undefined && (!Number.isInteger(bake) || Number(bake) < 0 || Number(bake) > 1440)) {
      throw new ApiError('InvalidParameterException', 'bakeTimeInMinutes must be between 0 and 1440.')
    }
    const hooks = (config.lifecycleHooks as Json[] | undefined) ?? []
    const pauseStages = new Set<string>()
    for (const hook of hooks) {
      const stages = (hook.lifecycleStages as string[] | undefined) ?? []
      if (stages.length === 0 || stages.some((s) => !HOOK_STAGES.has(s))) {
        throw new ApiError('InvalidParameterException', 'Invalid lifecycle stages.')
      }
      if (hook.targetType === 'PAUSE') {
        if (stages.some((s) => s === 'TEST_TRAFFIC_SHIFT' || s === 'PRODUCTION_TRAFFIC_SHIFT')) {
          throw new ApiError(
            'InvalidParameterException',
            'PAUSE hooks are not supported at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT.',
          )
        }
        if (strategy === 'ROLLING')
          throw new ApiError(
            'InvalidParameterException',
            'Lifecycle hooks need a BLUE_GREEN, LINEAR or CANARY strategy.',
          )
        stages.forEach((s) => pauseStages.add(s))
      } else if (typeof hook.hookTargetArn !== 'string') {
        throw new ApiError('InvalidParameterException', 'hookTargetArn is required for AWS_LAMBDA hooks.')
      }
    }
    const target =
      input.taskDefinition === undefined
        ? service.taskDefinition
        : String(this.findTaskDefinition(input.taskDefinition).definition.taskDefinitionArn)
    if (
      target === service.taskDefinition &&
      input.forceNewDeployment !== true &&
      input.deploymentConfiguration === undefined
    ) {
      return { service: this.serviceView(service) }
    }
    const now = Date.now()
    const arn = this.arn(
      'service-deployment',
      `${service.cluster}/${service.serviceName}/${(++this.counter).toString(36)}dep`,
    )
    for (const other of this.deployments.values()) {
      if (other.service === service && !FINAL.has(other.status)) {
        other.status = 'STOPPED'
        other.statusReason = 'Superseded by a newer deployment'
        other.reached.STOPPED = now
      }
    }
    const deployment: FakeDeployment = {
      arn,
      service,
      source: service.taskDefinition,
      target,
      strategy,
      stages: strategy === 'ROLLING' ? ROLLING_STAGES : BLUE_GREEN_STAGES,
      behaviour: this.options.behaviour,
      pauseStages,
      createdAt: now,
      status: 'PENDING',
      stageIndex: -1,
      stageStartedAt: now,
      reached: { PENDING: now },
      firstShown: {},
    }
    this.deployments.set(arn, deployment)
    service.deploymentConfiguration = config
    service.taskDefinition = target
    service.currentServiceDeployment = arn
    this.event(service, `(service ${service.serviceName}) has started 1 tasks: (task ${this.counter}).`, now)
    return { service: this.serviceView(service) }
  }

  private findDeployment(arn: unknown): FakeDeployment {
    const d = this.deployments.get(String(arn))
    if (!d) throw new ApiError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.')
    return d
  }

  private stopServiceDeployment(input: Json): Json {
    const d = this.findDeployment(input.serviceDeploymentArn)
    if (FINAL.has(d.status) || d.status.startsWith('ROLLBACK')) {
      throw new ApiError('ConflictException', `The service deployment is ${d.status}.`)
    }
    const now = Date.now()
    if (input.stopType === 'ABORT') {
      d.status = 'STOP_REQUESTED'
      d.reached.STOP_REQUESTED = now
    } else startRollback(d, 'Service deployment rolled back because of a StopServiceDeployment request.', now)
    d.stageStartedAt = now
    return { serviceDeploymentArn: d.arn }
  }

  private continueServiceDeployment(input: Json): Json {
    const d = this.findDeployment(input.serviceDeploymentArn)
    if (
      d.status !== 'IN_PROGRESS' ||
      d.hook?.status !== 'AWAITING_ACTION' ||
      d.hook.hookId !== input.hookId
    ) {
      throw new ApiError('InvalidParameterException', 'The lifecycle hook is not awaiting action.')
    }
    const now = Date.now()
    d.hook.status = 'SUCCEEDED'
    if (input.action === 'ROLLBACK') {
      startRollback(d, 'Service deployment rolled back because a lifecycle hook requested a rollback.', now)
    }
    d.stageStartedAt = now
    return { serviceDeploymentArn: d.arn }
  }

  private advanceAll(now: number): void {
    const ctx: LifecycleContext = {
      stageMs: this.options.stageMs,
      event: (service, message, at) => this.event(service, message, at),
      failTasks: (d, count, startedAt, stoppedAt) => {
        for (let i = 0; i < count; i++) {
          this.tasks.push({
            taskArn: this.arn(
              'task',
              `${d.service.cluster}/${(++this.counter).toString(16).padStart(32, '0')}`,
            ),
            cluster: d.service.cluster,
            taskDefinitionArn: d.target,
            startedAt,
            stopAt: stoppedAt,
            exitCode: 1,
            containerName: 'web',
            serviceName: d.service.serviceName,
            stoppedReason: 'Essential container in task exited',
          })
        }
      },
      hookId: () => `ecs-pause-${(++this.counter).toString(36)}`,
    }
    for (const d of this.deployments.values()) advanceDeployment(d, now, ctx)
  }
}
