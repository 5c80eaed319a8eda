import type * as EcsSdk from '@aws-sdk/client-ecs'
import type {
  ECSClient,
  RegisterTaskDefinitionCommandInput,
  RunTaskCommandInput,
  Service,
  ServiceDeployment,
  Tag,
  Task,
  TaskDefinition,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs'
import { awsCallFailure, awsClientConfig } from '../lib/aws/client.js'
import { OperationError } from '../lib/errors.js'

/** DescribeServices takes up to 10 services, DescribeServiceDeployments up to 20 ARNs (the SDK's model). */
export const DESCRIBE_SERVICES_BATCH = 10
export const DESCRIBE_DEPLOYMENTS_BATCH = 20

/** The ECS calls this action makes, each failing with a message that names the call. */
export interface EcsApi {
  /** The services, in the order asked, with their tags; a missing or inactive one is an error naming it. */
  describeServices(cluster: string, services: readonly string[]): Promise<Service[]>
  describeTaskDefinition(arn: string): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }>
  registerTaskDefinition(request: RegisterTaskDefinitionCommandInput): Promise<TaskDefinition>
  runTask(request: RunTaskCommandInput): Promise<Task>
  describeTask(cluster: string, taskArn: string): Promise<Task | undefined>
  stoppedTasks(cluster: string, service: string, max: number): Promise<Task[]>
  updateService(request: UpdateServiceCommandInput): Promise<Service>
  /** The deployments found, batched 20 to a call; unknown ARNs are left out. */
  describeServiceDeployments(arns: readonly string[]): Promise<ServiceDeployment[]>
  latestServiceDeployment(cluster: string, service: string, after: Date): Promise<string | undefined>
  stopServiceDeployment(arn: string, stopType: 'ROLLBACK' | 'ABORT'): Promise<void>
  continueServiceDeployment(arn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): Promise<void>
  tagResource(arn: string, tags: Tag[]): Promise<void>
  untagResource(arn: string, keys: string[]): Promise<void>
}

/** The SDK classes this action uses. */
export type Sdk = Pick<
  typeof EcsSdk,
  | 'ECSClient'
  | 'ContinueServiceDeploymentCommand'
  | 'DescribeServiceDeploymentsCommand'
  | 'DescribeServicesCommand'
  | 'DescribeTaskDefinitionCommand'
  | 'DescribeTasksCommand'
  | 'ListServiceDeploymentsCommand'
  | 'ListTasksCommand'
  | 'RegisterTaskDefinitionCommand'
  | 'RunTaskCommand'
  | 'StopServiceDeploymentCommand'
  | 'TagResourceCommand'
  | 'UntagResourceCommand'
  | 'UpdateServiceCommand'
>

/**
 * Creates the SDK client and the API over it; the SDK is loaded here, after the inputs are valid.
 * `env` is the step's environment (for AWS_MAX_ATTEMPTS; the SDK reads its endpoint and
 * credentials variables itself).
 */
export async function createEcsApi(region: string, env: NodeJS.ProcessEnv = process.env): Promise<EcsApi> {
  const sdk: Sdk = await import('./ecs-sdk.js')
  return ecsApi(new sdk.ECSClient(awsClientConfig(region, env)), sdk)
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** The name a service is asked by, as DescribeServices reports it (a name or the tail of an ARN). */
export function serviceKey(nameOrArn: string): string {
  return nameOrArn.split('/').pop() ?? nameOrArn
}

async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (error) {
    throw awsCallFailure(error, `ecs:${operation}`)
  }
}

type Calls<K extends keyof EcsApi> = Pick<EcsApi, K>

/** Services: DescribeServices (10 to a call), UpdateService, and their tags. */
function serviceCalls(
  client: ECSClient,
  sdk: Sdk,
): Calls<'describeServices' | 'updateService' | 'tagResource' | 'untagResource'> {
  return {
    async describeServices(cluster, names) {
      const batches = await Promise.all(
        chunks(names, DESCRIBE_SERVICES_BATCH).map((batch) =>
          call('DescribeServices', () =>
            client.send(new sdk.DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] })),
          ),
        ),
      )
      const found = batches.flatMap((b) => b.services ?? [])
      const failures = batches.flatMap((b) => b.failures ?? [])
      const region = await client.config.region()
      return names.map((name) => {
        const service = found.find((s) => s.serviceName === serviceKey(name) || s.serviceArn === name)
        if (service !== undefined && service.status !== 'INACTIVE') return service
        const failure = failures.find((f) => f.arn !== undefined && serviceKey(f.arn) === serviceKey(name))
        const reason = failure?.reason ?? (service ? 'INACTIVE' : 'MISSING')
        throw new OperationError(
          `Service '${name}' not found in cluster '${cluster}' (${reason}, region ${region})`,
        )
      })
    },
    async updateService(request) {
      const out = await call('UpdateService', () => client.send(new sdk.UpdateServiceCommand(request)))
      if (out.service === undefined) throw new OperationError('ECS UpdateService returned no service')
      return out.service
    },
    async tagResource(resourceArn, tags) {
      await call('TagResource', () => client.send(new sdk.TagResourceCommand({ resourceArn, tags })))
    },
    async untagResource(resourceArn, tagKeys) {
      await call('UntagResource', () => client.send(new sdk.UntagResourceCommand({ resourceArn, tagKeys })))
    },
  }
}

/** Task definitions and tasks: describe, register, the migration's RunTask, stopped tasks. */
function taskCalls(
  client: ECSClient,
  sdk: Sdk,
): Calls<'describeTaskDefinition' | 'registerTaskDefinition' | 'runTask' | 'describeTask' | 'stoppedTasks'> {
  return {
    async describeTaskDefinition(arn) {
      const out = await call('DescribeTaskDefinition', () =>
        client.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] })),
      )
      if (out.taskDefinition === undefined) throw new OperationError(`Task definition '${arn}' not found`)
      return { taskDefinition: out.taskDefinition, tags: out.tags ?? [] }
    },
    async registerTaskDefinition(request) {
      const out = await call('RegisterTaskDefinition', () =>
        client.send(new sdk.RegisterTaskDefinitionCommand(request)),
      )
      if (out.taskDefinition?.taskDefinitionArn === undefined) {
        throw new OperationError('ECS RegisterTaskDefinition returned no task definition ARN')
      }
      return out.taskDefinition
    },
    async runTask(request) {
      const out = await call('RunTask', () => client.send(new sdk.RunTaskCommand(request)))
      const task = out.tasks?.[0]
      if (task?.taskArn === undefined) {
        const failure = out.failures?.[0]
        throw new OperationError(
          `ECS RunTask started no task: ${failure ? `${failure.reason ?? 'failed'}${failure.detail ? ` (${failure.detail})` : ''}` : 'no reason given'}`,
        )
      }
      return task
    },
    async describeTask(cluster, taskArn) {
      const out = await call('DescribeTasks', () =>
        client.send(new sdk.DescribeTasksCommand({ cluster, tasks: [taskArn] })),
      )
      return out.tasks?.[0]
    },
    async stoppedTasks(cluster, service, max) {
      const list = await call('ListTasks', () =>
        client.send(
          new sdk.ListTasksCommand({
            cluster,
            serviceName: service,
            desiredStatus: 'STOPPED',
            maxResults: max,
          }),
        ),
      )
      const arns = (list.taskArns ?? []).slice(0, max)
      if (arns.length === 0) return []
      const out = await call('DescribeTasks', () =>
        client.send(new sdk.DescribeTasksCommand({ cluster, tasks: arns })),
      )
      return out.tasks ?? []
    },
  }
}

/** The ServiceDeployment API: describe (20 to a call), find the newest, stop, answer a hook. */
function deploymentCalls(
  client: ECSClient,
  sdk: Sdk,
): Calls<
  | 'describeServiceDeployments'
  | 'latestServiceDeployment'
  | 'stopServiceDeployment'
  | 'continueServiceDeployment'
> {
  return {
    async describeServiceDeployments(arns) {
      const batches = await Promise.all(
        chunks(arns, DESCRIBE_DEPLOYMENTS_BATCH).map((batch) =>
          call('DescribeServiceDeployments', () =>
            client.send(new sdk.DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch })),
          ),
        ),
      )
      return batches.flatMap((b) => b.serviceDeployments ?? [])
    },
    async latestServiceDeployment(cluster, service, after) {
      const out = await call('ListServiceDeployments', () =>
        client.send(new sdk.ListServiceDeploymentsCommand({ cluster, service, createdAt: { after } })),
      )
      const newest = [...(out.serviceDeployments ?? [])].sort(
        (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
      )[0]
      return newest?.serviceDeploymentArn
    },
    async stopServiceDeployment(arn, stopType) {
      await call('StopServiceDeployment', () =>
        client.send(new sdk.StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType })),
      )
    },
    async continueServiceDeployment(arn, hookId, action) {
      await call('ContinueServiceDeployment', () =>
        client.send(new sdk.ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action })),
      )
    },
  }
}

/** The API over a given client (tests pass one whose `send` aws-sdk-client-mock intercepts). */
export function ecsApi(client: ECSClient, sdk: Sdk): EcsApi {
  return { ...serviceCalls(client, sdk), ...taskCalls(client, sdk), ...deploymentCalls(client, sdk) }
}
