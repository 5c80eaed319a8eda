// Fixtures for tests that run ecs-blue-green-deploy against the fake ECS: the task definitions of
// a Django web service, its Celery worker and beat, and a stand-in for the test listener.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { FakeEcs, ROLLING_WORKER, type FakeEcsOptions, type FakeService } from './ecs.js'
import type { Json } from './ecs-deployments.js'

export const WEB_TASK_DEFINITION = {
  family: 'web',
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'web',
      image: 'registry.example/web:old',
      essential: true,
      command: ['gunicorn', 'mysite.wsgi', '--bind', '0.0.0.0:8000'],
      portMappings: [{ containerPort: 8000 }],
      environment: [{ name: 'DJANGO_SETTINGS_MODULE', value: 'mysite.settings' }],
      secrets: [{ name: 'DATABASE_URL', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/web/db' }],
    },
    { name: 'proxy', image: 'nginx:1', essential: false },
  ],
}

/** A worker or beat of the same Django project: the same image, its own command, no port. */
export function celeryTaskDefinition(family: 'worker' | 'beat'): Json {
  return {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: family,
        image: 'registry.example/web:old',
        command: ['celery', '-A', 'mysite', family, '--loglevel', 'info'],
        secrets: [{ name: 'DATABASE_URL', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/web/db' }],
      },
    ],
  }
}

/** A fake ECS with the web service in cluster `prod` (blue/green behind its load balancer). */
export async function startFakeWithWeb(
  options: FakeEcsOptions = {},
  web: Partial<FakeService> = {},
): Promise<FakeEcs> {
  const fake = new FakeEcs({ stageMs: 40, taskMs: 150, ...options })
  await fake.start()
  const td = fake.addTaskDefinition(WEB_TASK_DEFINITION, [{ key: 'team', value: 'web' }])
  fake.addService({ serviceName: 'web', cluster: 'prod', taskDefinition: td, ...web })
  return fake
}

/** Adds the Celery worker and beat to `prod`: rolling services without a load balancer. */
export function addCelery(
  fake: FakeEcs,
  extra: Partial<Record<'worker' | 'beat', Partial<FakeService>>> = {},
): void {
  for (const name of ['worker', 'beat'] as const) {
    const td = fake.addTaskDefinition(celeryTaskDefinition(name))
    fake.addService({
      serviceName: name,
      cluster: 'prod',
      taskDefinition: td,
      ...ROLLING_WORKER,
      ...extra[name],
    })
  }
}

/** A real HTTP server standing in for the load balancer's test listener. */
export async function testListener(
  status: number,
): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = []
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '')
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ status: status === 200 ? 'ok' : 'broken', db: { ok: status === 200 } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The request bodies the fake got for an operation, in order. */
export function inputsOf(fake: FakeEcs, operation: string): Json[] {
  return fake.calls.filter((c) => c.operation === operation && c.injected === undefined).map((c) => c.input)
}
