// ecs-blue-green-deploy for the services a Django team runs: a web service behind its load
// balancer, a Celery worker and beat without one, deployed together from one image; and rolling
// deploys where the ServiceDeployment API does not exist (the fake configured so, and moto).
import type { FakeEcs } from '../fakes/ecs.js'
import { addCelery, inputsOf, startFakeWithWeb, testListener } from '../fakes/ecs-fixtures.js'
import { motoInstalled, startMoto } from '../fakes/ecs-moto.js'
import { runStep } from '../helpers/run-step.js'

const ACTION = 'ecs-blue-green-deploy'
const IMAGE = 'registry.example/web@sha256:' + 'a'.repeat(64)

let fake: FakeEcs

afterEach(async () => {
  await fake?.close()
})

test('a worker without a load balancer keeps deploying ROLLING: its configuration is not touched', async () => {
  fake = await startFakeWithWeb()
  addCelery(fake)
  const run = await runStep(ACTION, { cluster: 'prod', service: 'worker', image: IMAGE }, { env: fake.env() })
  expect(run.errors).toEqual([])
  expect(run.outputs.status).toBe('SUCCESSFUL')
  expect(inputsOf(fake, 'UpdateService')).toEqual([
    { cluster: 'prod', service: 'worker', taskDefinition: expect.stringMatching(/worker:2$/) },
  ])
  expect(fake.deploymentsOf('worker', 'prod').map((d) => d.strategy)).toEqual(['ROLLING'])
  expect(run.summary).toContain('| worker | rolling | `worker:2` |')
})

test('strategy blue-green on the worker fails before anything is registered, naming what is missing', async () => {
  fake = await startFakeWithWeb()
  addCelery(fake)
  const run = await runStep(
    ACTION,
    {
      cluster: 'prod',
      service: 'worker',
      image: IMAGE,
      strategy: 'blue-green',
      'migrate-command': 'python manage.py migrate',
    },
    { env: fake.env() },
  )
  expect(run.exitCode).toBe(1)
  expect(run.errors).toEqual([
    "Invalid configuration: Input 'strategy': service 'worker' cannot deploy blue-green: it needs a load balancer (or Service Connect): the service has none. Configure them on the service (see \"Blue/green deployments\" in the ECS developer guide), or deploy it rolling",
  ])
  expect(fake.mutatingCalls()).toEqual([])
})

test('web, worker and beat from one image: one migration first, then all three deployed and watched together', async () => {
  fake = await startFakeWithWeb()
  addCelery(fake)
  const run = await runStep(
    ACTION,
    {
      cluster: 'prod',
      services: 'web\nworker, beat',
      image: IMAGE,
      environment: 'RELEASE=42',
      'migrate-command': 'python manage.py migrate --noinput',
      'bake-time': '0',
      timeout: '60s',
    },
    { env: fake.env() },
  )
  expect(run.errors).toEqual([])
  expect(run.outputs.status).toBe('SUCCESSFUL')
  const registered = inputsOf(fake, 'RegisterTaskDefinition')
  expect(registered.map((r) => r.family)).toEqual(['web', 'worker', 'beat'])
  const worker = (registered[1]?.containerDefinitions as Record<string, unknown>[])[0]
  expect(worker).toMatchObject({
    image: IMAGE,
    command: ['celery', '-A', 'mysite', 'worker', '--loglevel', 'info'],
    secrets: [{ name: 'DATABASE_URL', valueFrom: expect.stringContaining(':parameter/web/db') }],
    environment: [{ name: 'RELEASE', value: '42' }],
  })
  const web = registered[0]?.containerDefinitions as Record<string, unknown>[]
  expect(web.map((c) => c.image)).toEqual([IMAGE, 'nginx:1'])

  const ops = fake.operations()
  expect(ops.filter((o) => o === 'RunTask')).toHaveLength(1)
  const updates = fake.calls.filter((c) => c.operation === 'UpdateService')
  expect(ops.indexOf('UpdateService')).toBeGreaterThan(ops.lastIndexOf('DescribeTasks'))
  // Started together: the three UpdateService calls arrive before the first look at any deployment.
  expect(ops.indexOf('DescribeServiceDeployments')).toBeGreaterThan(ops.lastIndexOf('UpdateService'))
  expect(updates.map((c) => c.input.service).sort()).toEqual(['beat', 'web', 'worker'])
  // Watched together: one DescribeServiceDeployments call asks for all three.
  const watches = inputsOf(fake, 'DescribeServiceDeployments')
  expect(watches.every((w) => (w.serviceDeploymentArns as string[]).length >= 1)).toBe(true)
  expect((watches[0]?.serviceDeploymentArns as string[]).length).toBe(3)
  expect(fake.deploymentsOf('web', 'prod').map((d) => d.strategy)).toEqual(['BLUE_GREEN'])
  expect(fake.deploymentsOf('worker', 'prod').map((d) => d.strategy)).toEqual(['ROLLING'])

  const deployments = JSON.parse(run.outputs.deployments ?? '[]') as Record<string, unknown>[]
  expect(deployments.map((d) => [d.service, d.strategy, d.status])).toEqual([
    ['web', 'blue-green', 'SUCCESSFUL'],
    ['worker', 'rolling', 'SUCCESSFUL'],
    ['beat', 'rolling', 'SUCCESSFUL'],
  ])
  expect(run.outputs['task-definition-arn']).toMatch(/web:2$/)
  expect(run.summary).toMatch(
    /\| web \| blue-green \| `web:2` \|.*\n\| worker \| rolling \| `worker:2` \|.*\n\| beat \| rolling \| `beat:2` \|/,
  )
  expect(run.summary).toContain('#### Stages: worker')
  expect(run.stdout).toMatch(/^\d\d:\d\d:\d\d worker: /m)
})

test('with test-url and several services, the gate pauses only the one with a test traffic stage', async () => {
  fake = await startFakeWithWeb()
  addCelery(fake)
  const listener = await testListener(200)
  try {
    const run = await runStep(
      ACTION,
      {
        cluster: 'prod',
        services: 'web,worker,beat',
        image: IMAGE,
        'test-url': listener.url,
        'bake-time': '0',
        timeout: '60s',
      },
      { env: fake.env() },
    )
    expect(run.errors).toEqual([])
    expect(run.outputs.status).toBe('SUCCESSFUL')
    expect(listener.hits).toEqual(['/'])
    expect(inputsOf(fake, 'ContinueServiceDeployment')).toEqual([
      expect.objectContaining({
        serviceDeploymentArn: expect.stringContaining('/prod/web/'),
        action: 'CONTINUE',
      }),
    ])
    expect(inputsOf(fake, 'TagResource').map((t) => t.resourceArn)).toEqual([
      expect.stringMatching(/service\/prod\/web$/),
    ])
    const starts = inputsOf(fake, 'UpdateService').filter((u) => u.taskDefinition !== undefined)
    // Only web's configuration changes (the gate's hook, its bake); the rolling ones send none.
    expect(
      Object.fromEntries(starts.map((u) => [u.service, u.deploymentConfiguration === undefined])),
    ).toEqual({
      web: false,
      worker: true,
      beat: true,
    })
    for (const name of ['web', 'worker', 'beat']) {
      expect(fake.services.get(`prod/${name}`)?.deploymentConfiguration.lifecycleHooks ?? []).toEqual([])
    }
  } finally {
    await listener.close()
  }
})

test('two services where one fails: both end on their previous revisions and the error lists each', async () => {
  fake = await startFakeWithWeb()
  addCelery(fake, { worker: { behaviour: 'fail' } })
  const run = await runStep(
    ACTION,
    { cluster: 'prod', services: 'web,worker', image: IMAGE, 'bake-time': '0', timeout: '60s' },
    { env: fake.env() },
  )
  expect(run.exitCode).toBe(1)
  expect(run.errors).toHaveLength(1)
  expect(run.errors[0]).toMatch(
    /^Deployment of 2 services did not succeed; every service is back on its previous revision\. web: ROLLBACK_SUCCESSFUL, back on web:1 \(put back because worker failed\); worker: ROLLBACK_SUCCESSFUL, back on worker:1 \(the deployment circuit breaker triggered/,
  )
  expect(fake.services.get('prod/web')?.taskDefinition).toMatch(/web:1$/)
  expect(fake.services.get('prod/worker')?.taskDefinition).toMatch(/worker:1$/)
  expect(run.outputs).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', 'rolled-back': 'true' })
  const deployments = JSON.parse(run.outputs.deployments ?? '[]') as Record<string, unknown>[]
  expect(deployments.map((d) => [d.service, d.rolledBack, d.serviceTaskDefinitionArn])).toEqual([
    ['web', true, expect.stringMatching(/web:1$/)],
    ['worker', true, expect.stringMatching(/worker:1$/)],
  ])
  expect(run.stdout).toContain('Last service events of worker:')
})

test('a rolling deploy where the ServiceDeployment API is missing is watched through DescribeServices', async () => {
  fake = await startFakeWithWeb({ serviceDeploymentApi: false })
  addCelery(fake)
  const run = await runStep(ACTION, { cluster: 'prod', service: 'worker', image: IMAGE }, { env: fake.env() })
  expect(run.errors).toEqual([])
  expect(run.outputs.status).toBe('SUCCESSFUL')
  expect(run.outputs['deployment-arn']).toMatch(/^ecs-svc\//)
  expect(fake.operations()).not.toContain('ListServiceDeployments')
  expect(fake.operations()).not.toContain('DescribeServiceDeployments')
  expect(run.stdout).toMatch(/SUCCESSFUL · new revision 2\/2 running/)
})

test('a failing rolling deploy without the ServiceDeployment API: the circuit breaker rollback is reported', async () => {
  // Stages long enough that the rollback (two stages) is seen while it runs, as on real ECS.
  fake = await startFakeWithWeb({ serviceDeploymentApi: false, stageMs: 700 })
  addCelery(fake, { worker: { behaviour: 'fail' } })
  const run = await runStep(ACTION, { cluster: 'prod', service: 'worker', image: IMAGE }, { env: fake.env() })
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toMatch(
    /^Deployment of worker:2 to service 'worker' was rolled back: the service is back on worker:1\. Why: the deployment circuit breaker triggered \(3 failed tasks\)/,
  )
  expect(run.outputs).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', 'rolled-back': 'true' })
})

test('blue/green where the ServiceDeployment API is missing: the HTML 500 is reported with its status, and where the service is', async () => {
  fake = await startFakeWithWeb({ serviceDeploymentApi: false })
  const run = await runStep(
    ACTION,
    { cluster: 'prod', service: 'web', image: IMAGE },
    { env: { ...fake.env(), AWS_MAX_ATTEMPTS: '2' } },
  )
  expect(run.exitCode).toBe(1)
  expect(run.errors).toHaveLength(1)
  expect(run.errors[0]).toMatch(
    /^ecs:ListServiceDeployments failed: the endpoint answered HTTP 500 \(text\/html\), not an AWS JSON response, after 2 attempts\. An emulator may not implement this operation/,
  )
  expect(run.errors[0]).toMatch(/\. Service 'web' is on web:2; a deployment is still running$/)
  expect(run.errors[0]).not.toMatch(/SyntaxError|Unexpected token/)
  expect(run.outputs.status).toBe('IN_PROGRESS')
  expect(run.summary).toContain('| web | blue-green | `web:2` |')
})

test('a non-JSON 5xx while watching ends the wait with its status and retries, and says a deployment still runs', async () => {
  fake = await startFakeWithWeb()
  fake.inject('DescribeServiceDeployments', 'html-502', 20)
  const run = await runStep(
    ACTION,
    { cluster: 'prod', service: 'web', image: IMAGE, timeout: '30s' },
    { env: { ...fake.env(), AWS_MAX_ATTEMPTS: '3' } },
  )
  expect(run.exitCode).toBe(1)
  expect(run.errors).toHaveLength(1)
  expect(run.errors[0]).toMatch(
    /^ecs:DescribeServiceDeployments failed: the endpoint answered HTTP 502 \(text\/html\), not an AWS JSON response, after 3 attempts\..* Service 'web' is on web:2; a deployment is still running \(arn:aws:ecs:[^)]+service-deployment\/prod\/web\/\w+\)$/,
  )
  expect(run.outputs['deployment-arn']).toMatch(/service-deployment\/prod\/web\//)
  expect(run.outputs.status).toBe('IN_PROGRESS')
  expect(run.outputs['rolled-back']).toBe('false')
  expect(run.summary).toContain('| web | blue-green | `web:2` |')
})

test('a rolling deploy against moto, which has no ServiceDeployment API', async () => {
  // moto is the independent reference here: its absence fails the test rather than skipping it.
  expect(motoInstalled()).toBe(true)
  const moto = await startMoto(2)
  try {
    await moto.addService('prod', 'worker', {
      family: 'worker',
      containerDefinitions: [
        { name: 'worker', image: 'registry.example/web:old', memory: 256, command: ['celery', 'worker'] },
      ],
    })
    const run = await runStep(
      ACTION,
      { cluster: 'prod', service: 'worker', image: IMAGE, environment: 'RELEASE=42' },
      { env: moto.env() },
    )
    expect(run.errors).toEqual([])
    expect(run.outputs.status).toBe('SUCCESSFUL')
    expect(run.outputs['task-definition-arn']).toMatch(/task-definition\/worker:2$/)
    expect(run.outputs['deployment-arn']).toMatch(/^ecs-svc\//)
  } finally {
    await moto.close()
  }
}, 60_000)
