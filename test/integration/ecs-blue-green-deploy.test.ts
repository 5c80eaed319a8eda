import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FakeEcs, FakeEcsOptions } from '../fakes/ecs.js'
import {
  inputsOf,
  startFakeWithWeb,
  testListener,
  WEB_TASK_DEFINITION as WEB,
} from '../fakes/ecs-fixtures.js'
import { runStep } from '../helpers/run-step.js'
import { startHttpServer } from '../helpers/servers.js'

const ACTION = 'ecs-blue-green-deploy'

let fake: FakeEcs
let dir: string

async function startFake(options: FakeEcsOptions = {}): Promise<FakeEcs> {
  fake = await startFakeWithWeb(options)
  return fake
}

const base = {
  cluster: 'prod',
  service: 'web',
  'container-name': 'web',
  'poll-interval': '100ms',
  timeout: '60s',
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecs-it-'))
})
afterEach(async () => {
  await fake?.close()
  rmSync(dir, { recursive: true, force: true })
})

test('happy path: registers the new image, migrates, pauses for the gate, continues and succeeds', async () => {
  await startFake()
  const listener = await testListener(200)
  try {
    const run = await runStep(
      ACTION,
      {
        ...base,
        image: 'registry.example/web:new',
        environment: 'RELEASE=42\nDJANGO_SETTINGS_MODULE=mysite.prod',
        'migrate-command': `python manage.py migrate --noinput --database 'default db'`,
        'test-url': listener.url,
        'test-checks': '- url: /health/\n  expect-json: {"status": "ok", "db.ok": true}\n- url: /\n',
        'bake-time': '0',
      },
      { env: fake.env() },
    )
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs['task-definition-arn']).toMatch(/task-definition\/web:2$/)
    expect(run.outputs.status).toBe('SUCCESSFUL')
    expect(run.outputs['rolled-back']).toBe('false')
    expect(run.outputs['deployment-arn']).toMatch(/service-deployment\/prod\/web\//)
    expect(run.outputs['migration-task-arn']).toMatch(/:task\/prod\//)
    expect(listener.hits.sort()).toEqual(['/', '/health/'])

    const register = fake.calls.find((c) => c.operation === 'RegisterTaskDefinition')?.input as Record<
      string,
      unknown
    >
    const containers = register.containerDefinitions as Record<string, unknown>[]
    expect(containers[0]).toMatchObject({
      image: 'registry.example/web:new',
      environment: [
        { name: 'DJANGO_SETTINGS_MODULE', value: 'mysite.prod' },
        { name: 'RELEASE', value: '42' },
      ],
    })
    expect(containers[1]).toMatchObject({ image: 'nginx:1' })
    expect(register).not.toHaveProperty('revision')
    expect(register).not.toHaveProperty('taskDefinitionArn')
    expect(register.tags).toEqual([{ key: 'team', value: 'web' }])

    const runTask = fake.calls.find((c) => c.operation === 'RunTask')?.input as Record<string, unknown>
    expect(runTask).toMatchObject({
      cluster: 'prod',
      taskDefinition: run.outputs['task-definition-arn'],
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } },
      overrides: {
        containerOverrides: [
          {
            name: 'web',
            command: ['python', 'manage.py', 'migrate', '--noinput', '--database', 'default db'],
          },
        ],
      },
    })

    const [update, cleanup] = inputsOf(fake, 'UpdateService')
    expect(update?.deploymentConfiguration).toMatchObject({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      maximumPercent: 200,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    })
    // After the deployment the gate's hook is taken off the service again, without a new deployment.
    expect(cleanup).toEqual({
      cluster: 'prod',
      service: 'web',
      deploymentConfiguration: expect.objectContaining({ strategy: 'BLUE_GREEN', lifecycleHooks: [] }),
    })
    expect(fake.services.get('prod/web')?.deploymentConfiguration.lifecycleHooks).toEqual([])
    expect(fake.services.get('prod/web')?.tags).toEqual([])
    expect(fake.deployments.size).toBe(1)
    const ops = fake.operations()
    expect(ops.indexOf('RunTask')).toBeLessThan(ops.indexOf('UpdateService'))
    expect(fake.calls.find((c) => c.operation === 'ContinueServiceDeployment')?.input).toMatchObject({
      action: 'CONTINUE',
    })
    expect(ops).not.toContain('StopServiceDeployment')

    expect(run.stdout).toContain('POST_TEST_TRAFFIC_SHIFT')
    expect(run.summary).toContain('| Stage | Reached | Duration |')
    expect(run.summary).toMatch(/\| POST_TEST_TRAFFIC_SHIFT \| \+/)
    expect(run.summary).toContain(
      '| web | blue-green | `web:2` | web: `registry.example/web:new` | ✅ SUCCESSFUL | `web:2` |',
    )
    expect(JSON.parse(run.outputs.deployments ?? '')).toEqual([
      expect.objectContaining({ service: 'web', status: 'SUCCESSFUL', rolledBack: false }),
    ])
  } finally {
    await listener.close()
  }
})

/** A gated run of a bad image against a test listener that answers 500. */
async function failingGate(listener: { url: string }, extra: Record<string, string> = {}) {
  return runStep(
    ACTION,
    { ...base, image: 'registry.example/web:bad', 'test-url': listener.url, timeout: '4s', ...extra },
    { env: fake.env() },
  )
}

test('gate fails: the hook is answered with ROLLBACK and the step fails naming the old revision', async () => {
  await startFake()
  const listener = await testListener(500)
  try {
    const run = await failingGate(listener, { 'test-checks': '- url: /health/' })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/rolled back: the service is back on web:1/)
    expect(run.errors[0]).toMatch(/Why: the test gate failed: 1 of 1 checks failed: GET \/health\//)
    expect(run.stdout).toMatch(/GET \/health\/: attempt 1: expected status 200-299, got 500/)
    expect(run.outputs['rolled-back']).toBe('true')
    expect(run.outputs.status).toBe('ROLLBACK_SUCCESSFUL')
    expect(fake.calls.find((c) => c.operation === 'ContinueServiceDeployment')?.input).toMatchObject({
      action: 'ROLLBACK',
    })
    expect(fake.operations()).not.toContain('StopServiceDeployment')
    expect(listener.hits.length).toBeGreaterThan(0)
    expect(run.stdout).toContain('Last service events:')
    expect(run.summary).toContain('Test gate: 0/1 passed')
  } finally {
    await listener.close()
  }
})

test('a gate check with `load` puts green under load on the test listener: within budget it continues, over it rolls back', async () => {
  // Every fifth request answers 500: the check's first attempt passes, the load then sees 20 % errors.
  let served = 0
  const target = await startHttpServer((_req, res) => {
    served += 1
    res.statusCode = served % 5 === 0 ? 500 : 200
    res.end('ok')
  })
  try {
    const gate = (budget: string, image: string) =>
      runStep(
        ACTION,
        {
          ...base,
          image,
          'test-url': target.url,
          'test-checks': `- url: /\n  load: {requests: 100, concurrency: 4, max-error-rate: ${budget}}`,
        },
        { env: fake.env() },
      )
    await startFake()
    const lenient = await gate('25%', 'registry.example/web:new')
    expect(lenient.exitCode).toBe(0)
    expect(served).toBe(101)
    expect(fake.calls.find((c) => c.operation === 'ContinueServiceDeployment')?.input).toMatchObject({
      action: 'CONTINUE',
    })
    expect(lenient.summary).toContain('Test gate: 1/1 passed')

    await fake.close()
    await startFake()
    served = 0
    const strict = await gate('1%', 'registry.example/web:bad')
    expect(strict.exitCode).toBe(1)
    expect(served).toBe(101)
    expect(strict.errors[0]).toMatch(/rolled back: the service is back on web:1/)
    expect(strict.errors[0]).toMatch(/error rate 20(\.0)?% \(20 of 100\) is over max-error-rate 1%/)
    expect(fake.calls.find((c) => c.operation === 'ContinueServiceDeployment')?.input).toMatchObject({
      action: 'ROLLBACK',
    })
  } finally {
    await target.close()
  }
})

test('gate fails with rollback-on-failure false: no ROLLBACK and no stop; the deployment waits at the hook for its timeout', async () => {
  await startFake()
  const listener = await testListener(500)
  try {
    const run = await failingGate(listener, { 'rollback-on-failure': 'false' })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /did not succeed \(status IN_PROGRESS\): the service is on web:2; its deployment \S+ is still running\. Why: the test gate failed/,
      ),
    ])
    expect(run.outputs).toMatchObject({ status: 'IN_PROGRESS', 'rolled-back': 'false' })
    expect(fake.operations()).not.toContain('ContinueServiceDeployment')
    expect(fake.operations()).not.toContain('StopServiceDeployment')
    // ECS still holds it at the gate's hook, whose timeout action (ROLLBACK) undoes it later.
    const [deployment] = fake.deploymentsOf('web', 'prod')
    expect(deployment?.status).toBe('IN_PROGRESS')
    expect(deployment?.hooks).toEqual([
      expect.objectContaining({
        stage: 'POST_TEST_TRAFFIC_SHIFT',
        status: 'AWAITING_ACTION',
        timeoutAction: 'ROLLBACK',
      }),
    ])
    expect(run.warnings).toContainEqual(expect.stringMatching(/^The gate's PAUSE hook stays on 'web'/))
  } finally {
    await listener.close()
  }
})

test('a deployment that fails on its own is reported with its events and stopped tasks', async () => {
  await startFake({ behaviour: 'fail' })
  const run = await runStep(ACTION, { ...base, image: 'registry.example/web:crash' }, { env: fake.env() })
  expect(run.exitCode).toBe(1)
  expect(run.errors).toHaveLength(1)
  expect(run.errors[0]).toMatch(/rolled back: the service is back on web:1/)
  expect(run.errors[0]).toMatch(/circuit breaker/)
  expect(run.outputs['rolled-back']).toBe('true')
  expect(run.stdout).toContain('deployment failed: tasks failed to start')
  expect(run.stdout).toMatch(/Stopped tasks:\n.*\[web:2\] Essential container in task exited; web: exit 1/)
  expect(fake.operations()).not.toContain('StopServiceDeployment')
})

test('a failed migration stops the run before the service is touched', async () => {
  await startFake({ taskExitCode: 3 })
  const run = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:new', 'migrate-command': 'python manage.py migrate' },
    { env: fake.env() },
  )
  expect(run.exitCode).toBe(1)
  expect(run.errors).toEqual([
    'Migration failed with exit code 3: Essential container in task exited; exit status 3; the service was not updated',
  ])
  expect(run.outputs['migration-task-arn']).toMatch(/:task\//)
  expect(fake.operations()).not.toContain('UpdateService')
  expect(fake.services.get('prod/web')?.taskDefinition).toMatch(/web:1$/)
})

test('a deployment that never finishes is rolled back at the timeout', async () => {
  await startFake({ behaviour: 'hang' })
  const run = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:slow', timeout: '1500ms' },
    { env: fake.env() },
  )
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toMatch(/did not finish within 1\.5s/)
  expect(run.errors[0]).toMatch(/back on web:1/)
  expect(run.outputs['rolled-back']).toBe('true')
  expect(fake.calls.find((c) => c.operation === 'StopServiceDeployment')?.input).toMatchObject({
    stopType: 'ROLLBACK',
  })
})

test('20 % throttling and 5 % server errors are retried and the deployment still succeeds', async () => {
  let seed = 7
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
  await startFake({ throttleRate: 0.2, errorRate: 0.05, random })
  const run = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:new', 'migrate-command': 'true' },
    { env: fake.env() },
  )
  expect(run.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(run.outputs.status).toBe('SUCCESSFUL')
  const injected = fake.calls.filter((c) => c.injected !== undefined)
  expect(injected.some((c) => c.injected === 'throttle')).toBe(true)
})

test('wait: false returns right after UpdateService with the deployment ARN', async () => {
  await startFake({ behaviour: 'hang' })
  const run = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:new', wait: 'false' },
    { env: fake.env() },
  )
  expect(run.exitCode).toBe(0)
  expect(run.outputs['deployment-arn']).toMatch(/service-deployment\//)
  expect(run.outputs.status).toBe('IN_PROGRESS')
  expect(fake.operations()).not.toContain('DescribeServiceDeployments')
})

describe('bad input fails clearly without any mutating call', () => {
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }
  test.each([
    [
      'unknown strategy',
      () => ({ strategy: 'big-bang' }),
      /Input 'strategy' must be one of blue-green, rolling, canary, linear \(got 'big-bang'\)/,
    ],
    ['bad bake time', () => ({ 'bake-time': 'five' }), /Input 'bake-time' must be a duration/],
    ['bake time not in minutes', () => ({ 'bake-time': '90s' }), /Input 'bake-time' must be whole minutes/],
    [
      'test-checks without test-url',
      () => ({ 'test-checks': '- url: /health/' }),
      /'test-checks' needs 'test-url'/,
    ],
    [
      'task definition not JSON',
      () => ({ 'task-definition': file('td.json', '{"family": ') }),
      /is not valid JSON/,
    ],
    [
      'no containerDefinitions',
      () => ({ 'task-definition': file('td.json', '{"family": "web"}') }),
      /has no containerDefinitions/,
    ],
    [
      'unknown container (file)',
      () => ({
        'task-definition': file('td.json', JSON.stringify({ taskDefinition: WEB })),
        'container-name': 'worker',
      }),
      /no container 'worker' in web; its containers are: web, proxy/,
    ],
    [
      'unknown container (service)',
      () => ({ 'container-name': 'worker' }),
      /no container 'worker' in web; its containers are: web, proxy/,
    ],
    [
      'several essential containers, no name',
      () => ({
        'container-name': '',
        'task-definition': file(
          'td.json',
          JSON.stringify({
            ...WEB,
            containerDefinitions: WEB.containerDefinitions.map((c) => ({ ...c, essential: true })),
          }),
        ),
      }),
      /'container-name' is required: web has 2 containers \(web, proxy\) and 2 of them essential/,
    ],
    [
      'service and services',
      () => ({ services: 'web\nworker' }),
      /Inputs 'service' and 'services' cannot be used together/,
    ],
    [
      'an empty images entry',
      () => ({ images: 'proxy=' }),
      /Input 'images' must be container=image lines \(got 'proxy='\)/,
    ],
    [
      'a container images names that is not there',
      () => ({ images: 'sidecar=envoy:1' }),
      /Input 'images': no container 'sidecar' in web; its containers are: web, proxy/,
    ],
    [
      'an environment line that is not KEY=VALUE',
      () => ({ environment: 'DEBUG' }),
      /Input 'environment' must be KEY=VALUE lines \(got 'DEBUG'\)/,
    ],
    [
      'environment naming a secret',
      () => ({ environment: 'DATABASE_URL=postgres://app@db/app' }),
      /Input 'environment' sets DATABASE_URL, which container 'web' of web takes from its secrets/,
    ],
    [
      'blue-green on a load balancer without advancedConfiguration',
      () => {
        const web = fake.services.get('prod/web')
        if (web)
          web.loadBalancers = [
            {
              targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1',
              containerName: 'web',
              containerPort: 8000,
            },
          ]
        return {}
      },
      /The service 'web' cannot deploy blue-green: it needs loadBalancers\[0\] \(targetgroup\/web\/1\) advancedConfiguration\.alternateTargetGroupArn .*; loadBalancers\[0\] \(targetgroup\/web\/1\) advancedConfiguration\.productionListenerRule .*roleArn/,
    ],
    ['unclosed quote', () => ({ 'migrate-command': `python manage.py migrate 'oops` }), /unclosed ' quote/],
  ])('%s', async (_name, inputs, message) => {
    await startFake()
    const run = await runStep(
      ACTION,
      { ...base, image: 'registry.example/web:new', ...inputs() },
      { env: fake.env() },
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(message)
    expect(fake.mutatingCalls()).toEqual([])
    expect(fake.services.get('prod/web')?.taskDefinition).toMatch(/web:1$/)
  })
})
