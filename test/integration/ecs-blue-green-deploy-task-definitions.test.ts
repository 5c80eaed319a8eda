// ecs-blue-green-deploy with the task definitions real services have: several containers, images
// for more than one of them, secrets beside the environment, and YAML files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FakeEcs } from '../fakes/ecs.js'
import { inputsOf, startFakeWithWeb } from '../fakes/ecs-fixtures.js'
import { runStep } from '../helpers/run-step.js'

const ACTION = 'ecs-blue-green-deploy'
const base = { cluster: 'prod', service: 'web', 'bake-time': '0', timeout: '60s' }

let fake: FakeEcs
let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecs-td-'))
})
afterEach(async () => {
  await fake?.close()
  rmSync(dir, { recursive: true, force: true })
})

const registered = () =>
  inputsOf(fake, 'RegisterTaskDefinition')[0] as { containerDefinitions: Record<string, unknown>[] }

test('image goes to the only essential container by default, images to the others; the rest of each container is kept', async () => {
  fake = await startFakeWithWeb()
  const run = await runStep(
    ACTION,
    { ...base, image: 'registry.example/web:9', images: 'proxy=nginx:1.27', environment: 'RELEASE=9' },
    { env: fake.env() },
  )
  expect(run.errors).toEqual([])
  const [web, proxy] = registered().containerDefinitions
  expect(web).toEqual({
    name: 'web',
    image: 'registry.example/web:9',
    essential: true,
    command: ['gunicorn', 'mysite.wsgi', '--bind', '0.0.0.0:8000'],
    portMappings: [{ containerPort: 8000 }],
    environment: [
      { name: 'DJANGO_SETTINGS_MODULE', value: 'mysite.settings' },
      { name: 'RELEASE', value: '9' },
    ],
    secrets: [{ name: 'DATABASE_URL', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/web/db' }],
  })
  expect(proxy).toEqual({ name: 'proxy', image: 'nginx:1.27', essential: false })
  expect(run.summary).toContain('web: `registry.example/web:9`<br>proxy: `nginx:1.27`')
})

test('a YAML task definition file is registered as its JSON would be, empty keys dropped', async () => {
  fake = await startFakeWithWeb()
  const file = join(dir, 'task-definition.yml')
  writeFileSync(
    file,
    [
      'family: web',
      'networkMode: awsvpc',
      'requiresCompatibilities: [FARGATE]',
      'cpu: "512"',
      'memory: "1024"',
      'taskRoleArn:',
      'containerDefinitions:',
      '  - name: web',
      '    image: registry.example/web:old',
      '    command: [gunicorn, mysite.wsgi]',
      '    environment:',
      '      - name: DJANGO_SETTINGS_MODULE',
      '        value: mysite.settings',
      '  - name: log-router',
      '    image: amazon/aws-for-fluent-bit:2',
      '    essential: false',
      'tags:',
      '  - key: team',
      '    value: web',
      '',
    ].join('\n'),
  )
  const run = await runStep(
    ACTION,
    { ...base, 'task-definition': file, image: 'registry.example/web:9' },
    { env: fake.env() },
  )
  expect(run.errors).toEqual([])
  expect(run.outputs.status).toBe('SUCCESSFUL')
  expect(inputsOf(fake, 'RegisterTaskDefinition')[0]).toEqual({
    family: 'web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    containerDefinitions: [
      {
        name: 'web',
        image: 'registry.example/web:9',
        command: ['gunicorn', 'mysite.wsgi'],
        environment: [{ name: 'DJANGO_SETTINGS_MODULE', value: 'mysite.settings' }],
      },
      { name: 'log-router', image: 'amazon/aws-for-fluent-bit:2', essential: false },
    ],
    tags: [{ key: 'team', value: 'web' }],
  })
})

test('a YAML file that does not parse fails before any call, naming the input', async () => {
  fake = await startFakeWithWeb()
  const file = join(dir, 'task-definition.yaml')
  writeFileSync(file, 'family: web\ncontainerDefinitions:\n  - name: web\n    image: [unclosed\n')
  const run = await runStep(ACTION, { ...base, 'task-definition': file, image: 'x:1' }, { env: fake.env() })
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toMatch(
    /^Invalid configuration: Input 'task-definition' \(.*task-definition\.yaml\) is not valid JSON or YAML: /,
  )
  expect(fake.calls).toEqual([])
})

test('an environment name the container takes from its secrets is refused before RegisterTaskDefinition, as ECS would refuse it', async () => {
  fake = await startFakeWithWeb()
  const run = await runStep(
    ACTION,
    {
      ...base,
      image: 'registry.example/web:9',
      environment: 'RELEASE=9\nDATABASE_URL=postgres://u:p%40ss@db/app',
    },
    { env: fake.env() },
  )
  expect(run.exitCode).toBe(1)
  expect(run.errors).toEqual([
    "Invalid configuration: Input 'environment' sets DATABASE_URL, which container 'web' of web takes from its secrets; ECS refuses a name in both. Remove it from 'environment' or from the task definition's secrets",
  ])
  expect(fake.mutatingCalls()).toEqual([])
  expect(run.stdout).not.toContain('p%40ss')
})
