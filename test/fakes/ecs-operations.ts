// The operations of the fake ECS: each one's answer, computed from the state the fake keeps
// (ecs.ts holds that state and speaks the wire protocol around these).
import type {
  DeploymentBehaviour,
  FakeDeployment,
  FakeService,
  Json,
  LifecycleContext,
} from './ecs-deployments.js'
import {
  continueServiceDeployment,
  describeServiceDeployments,
  listServiceDeployments,
  stopServiceDeployment,
} from './ecs-service-deployments.js'
import { ApiError, latestDeployment, serviceView, updateService } from './ecs-services.js'
import { checkRegistration, taskView, type FakeTask } from './ecs-tasks.js'

/** Calls that change something in ECS; a misconfigured run must make none of them. */
export const MUTATING_OPERATIONS = new Set([
  'RegisterTaskDefinition',
  'RunTask',
  'UpdateService',
  'StopServiceDeployment',
  'ContinueServiceDeployment',
  'TagResource',
  'UntagResource',
  'StopTask',
  'CreateService',
  'DeregisterTaskDefinition',
])

/** The ServiceDeployment API, which moto and LocalStack lack. */
export const SERVICE_DEPLOYMENT_OPERATIONS = new Set([
  'ListServiceDeployments',
  'DescribeServiceDeployments',
  'StopServiceDeployment',
  'ContinueServiceDeployment',
])

export interface FakeTaskDefinition {
  definition: Json
  tags: Json[]
}

/** What the operations read and change: the fake's resources and its clock, ids and events. */
export interface EcsState {
  readonly services: Map<string, FakeService>
  readonly taskDefinitions: Map<string, FakeTaskDefinition>
  readonly deployments: Map<string, FakeDeployment>
  readonly tasks: FakeTask[]
  readonly options: {
    taskMs: number
    taskExitCode: number
    behaviour: DeploymentBehaviour
    serviceDeploymentApi: boolean
  }
  now(): number
  arn(kind: string, rest: string): string
  /** A number not handed out before, for ids. */
  nextId(): number
  event(service: FakeService, message: string, at?: number): void
  addTaskDefinition(definition: Json, tags?: Json[]): string
  lifecycle(): LifecycleContext
}

export function findService(state: EcsState, cluster: unknown, name: unknown): FakeService {
  const clusterName =
    String(cluster ?? 'default')
      .split('/')
      .pop() ?? 'default'
  const serviceName =
    String(name ?? '')
      .split('/')
      .pop() ?? ''
  const service = state.services.get(`${clusterName}/${serviceName}`)
  if (!service) throw new ApiError('ServiceNotFoundException', 'Service not found.')
  return service
}

function findTaskDefinition(state: EcsState, ref: unknown): FakeTaskDefinition {
  const text = String(ref ?? '')
  const direct = state.taskDefinitions.get(text)
  if (direct) return direct
  const [family, revision] = (text.split('/').pop() ?? '').split(':')
  const matches = [...state.taskDefinitions.values()].filter((t) => t.definition.family === family)
  const found =
    revision === undefined
      ? matches[matches.length - 1]
      : matches.find((t) => String(t.definition.revision) === revision)
  if (!found) throw new ApiError('ClientException', 'Unable to describe task definition.')
  return found
}

function view(state: EcsState, s: FakeService, includeTags = false): Json {
  return serviceView(s, latestDeployment(state.deployments.values(), s), {
    serviceDeploymentApi: state.options.serviceDeploymentApi,
    includeTags,
  })
}

function describeServices(state: EcsState, input: Json): Json {
  const names = (input.services as string[]) ?? []
  if (names.length > 10) {
    throw new ApiError('InvalidParameterException', 'services can have at most 10 items.')
  }
  const includeTags = ((input.include as string[] | undefined) ?? []).includes('TAGS')
  const services: Json[] = []
  const failures: Json[] = []
  for (const name of names) {
    try {
      services.push(view(state, findService(state, input.cluster, name), includeTags))
    } catch {
      failures.push({
        arn: state.arn('service', `${String(input.cluster ?? 'default')}/${name}`),
        reason: 'MISSING',
      })
    }
  }
  return { services, failures }
}

/** The resource TagResource and friends name: a service or a task definition. */
function taggable(state: EcsState, arn: string): { tags: Json[] } {
  const service = [...state.services.values()].find((s) => s.serviceArn === arn)
  if (service) return service
  const definition = state.taskDefinitions.get(arn)
  if (definition) return definition
  throw new ApiError('InvalidParameterException', `The specified resource ${arn} does not exist.`)
}

function tagResource(state: EcsState, input: Json): Json {
  const resource = taggable(state, String(input.resourceArn))
  for (const tag of (input.tags as Json[]) ?? []) {
    resource.tags = [...resource.tags.filter((t) => t.key !== tag.key), { key: tag.key, value: tag.value }]
  }
  return {}
}

function untagResource(state: EcsState, input: Json): Json {
  const resource = taggable(state, String(input.resourceArn))
  const keys = (input.tagKeys as string[]) ?? []
  resource.tags = resource.tags.filter((t) => !keys.includes(String(t.key)))
  return {}
}

function taskArn(state: EcsState, cluster: string): string {
  return state.arn('task', `${cluster}/${state.nextId().toString(16).padStart(32, '0')}`)
}

function viewTask(state: EcsState, t: FakeTask): Json {
  return taskView(t, state.now(), (cluster) => state.arn('cluster', cluster), state.options.taskMs)
}

/** RunTask: one task of the task definition, which stops after `taskMs` with `taskExitCode`. */
function runTask(state: EcsState, input: Json): Json {
  const found = findTaskDefinition(state, input.taskDefinition)
  const containers = found.definition.containerDefinitions as Json[]
  const overrides = ((input.overrides as Json | undefined)?.containerOverrides as Json[] | undefined) ?? []
  const now = state.now()
  const cluster = String(input.cluster ?? 'default')
  const task: FakeTask = {
    taskArn: taskArn(state, cluster),
    cluster,
    taskDefinitionArn: String(found.definition.taskDefinitionArn),
    startedAt: now,
    stopAt: now + state.options.taskMs,
    exitCode: state.options.taskExitCode,
    containerName: String(overrides[0]?.name ?? containers[0]?.name),
    input,
    stoppedReason: 'Essential container in task exited',
  }
  state.tasks.push(task)
  return { tasks: [viewTask(state, task)], failures: [] }
}

function describeTasks(state: EcsState, input: Json): Json {
  return {
    tasks: ((input.tasks as string[]) ?? []).flatMap((arn) => {
      const task = state.tasks.find((t) => t.taskArn === arn)
      return task ? [viewTask(state, task)] : []
    }),
    failures: [],
  }
}

function listTasks(state: EcsState, input: Json): Json {
  const now = state.now()
  const stopped = input.desiredStatus === 'STOPPED'
  const arns = state.tasks
    .filter(
      (t) =>
        (input.serviceName === undefined || t.serviceName === input.serviceName) &&
        now >= t.stopAt === stopped,
    )
    .map((t) => t.taskArn)
  return { taskArns: arns.slice(0, Number(input.maxResults ?? 100)) }
}

/** Tasks of a deployment's new revision that failed to start (what trips the circuit breaker). */
export function failTasks(
  state: EcsState,
  d: FakeDeployment,
  count: number,
  startedAt: number,
  stoppedAt: number,
): void {
  for (let i = 0; i < count; i++) {
    state.tasks.push({
      taskArn: taskArn(state, d.service.cluster),
      cluster: d.service.cluster,
      taskDefinitionArn: d.target,
      startedAt,
      stopAt: stoppedAt,
      exitCode: 1,
      containerName: d.service.serviceName,
      serviceName: d.service.serviceName,
      stoppedReason: 'Essential container in task exited',
    })
  }
}

function registerTaskDefinition(state: EcsState, input: Json): Json {
  checkRegistration(input)
  const { tags, ...definition } = input
  const arn = state.addTaskDefinition(definition, (tags as Json[] | undefined) ?? [])
  return { taskDefinition: state.taskDefinitions.get(arn)?.definition, tags: tags ?? [] }
}

function describeTaskDefinition(state: EcsState, input: Json): Json {
  const found = findTaskDefinition(state, input.taskDefinition)
  const include = (input.include as string[] | undefined) ?? []
  return { taskDefinition: found.definition, ...(include.includes('TAGS') ? { tags: found.tags } : {}) }
}

function updateServiceOperation(state: EcsState, input: Json): Json {
  const service = findService(state, input.cluster, input.service)
  const target =
    input.taskDefinition === undefined
      ? service.taskDefinition
      : String(findTaskDefinition(state, input.taskDefinition).definition.taskDefinitionArn)
  updateService(service, input, target, state.deployments, {
    now: state.now(),
    arn: state.arn(
      'service-deployment',
      `${service.cluster}/${service.serviceName}/${state.nextId().toString(36)}dep`,
    ),
    rolloutId: `ecs-svc/${state.nextId().toString().padStart(19, '0')}`,
    behaviour: state.options.behaviour,
    event: (s, message, at) => state.event(s, message, at),
  })
  return { service: view(state, service) }
}

const OPERATIONS: Record<string, (state: EcsState, input: Json) => Json> = {
  DescribeServices: describeServices,
  DescribeTaskDefinition: describeTaskDefinition,
  RegisterTaskDefinition: registerTaskDefinition,
  RunTask: runTask,
  DescribeTasks: describeTasks,
  ListTasks: listTasks,
  UpdateService: updateServiceOperation,
  DescribeServiceDeployments: (state, input) =>
    describeServiceDeployments(state.deployments, input, state.now()),
  ListServiceDeployments: (state, input) =>
    listServiceDeployments(state.deployments, findService(state, input.cluster, input.service), input),
  StopServiceDeployment: (state, input) =>
    stopServiceDeployment(state.deployments, input, state.now(), state.lifecycle()),
  ContinueServiceDeployment: (state, input) =>
    continueServiceDeployment(state.deployments, input, state.now(), state.lifecycle()),
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: (state, input) => ({ tags: taggable(state, String(input.resourceArn)).tags }),
}

/** The answer to one call, or the ApiError ECS would answer with. */
export function answer(state: EcsState, operation: string, input: Json): Json {
  const handler = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined
  if (handler === undefined) {
    throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported by the fake`)
  }
  return handler(state, input)
}
