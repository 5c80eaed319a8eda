// scripts/fake.mjs, the standalone entry .github/workflows/self-test.yml starts the fakes with:
// each fake it starts is reachable with what it prints, by the actions run from action.yml as
// the runner runs them (with the same inputs as the self-test's steps), through --port's
// forwarder too, and a --detach'ed fake outlives the command until its pid is killed.
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FAKE_OUTPUTS, startFake, type Started } from '../../scripts/fakes/serve.js'
import { startLocalRegistry } from '../fakes/local-registry.js'
import { requireDocker } from '../helpers/prerequisites.js'
import { parseFileCommands, repoRoot } from '../helpers/run-action.js'
import { runStep } from '../helpers/run-step.js'
import { freePort, startHttpServer, type Server } from '../helpers/servers.js'

const root = repoRoot()
let work: string
let app: Server
const started: Started[] = []

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fake-entry-'))
  // The service the deployments "go live" at and the ECS test listener, as in the self-test.
  app = await startHttpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ status: 'ok', db: { ok: true } }))
  })
})

afterEach(async () => {
  for (const fake of started.splice(0)) await fake.close()
})

afterAll(async () => {
  await app.close()
  rmSync(work, { recursive: true, force: true })
})

async function start(fake: string, options: Record<string, string | true>): Promise<Started> {
  const fakeStarted = await startFake(fake, options)
  started.push(fakeStarted)
  return fakeStarted
}

const awsEnv = (values: Record<string, string>, endpoint: string) => ({
  [endpoint]: values.url,
  AWS_ACCESS_KEY_ID: values['access-key-id'],
  AWS_SECRET_ACCESS_KEY: values['secret-access-key'],
  AWS_REGION: values.region,
  AWS_CONFIG_FILE: join(work, 'no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
})

const IMAGE =
  '123456789012.dkr.ecr.us-east-1.amazonaws.com/selftest/web@sha256:0000000000000000000000000000000000000000000000000000000000000001'

test('ecs: a blue/green deployment with the gate succeeds, and one on --behaviour fail rolls back', async () => {
  const ok = await start('ecs', { cluster: 'selftest', service: 'web', 'stage-ms': '40', 'task-ms': '100' })
  expect(Object.keys(ok.values)).toEqual(FAKE_OUTPUTS.ecs)
  const inputs = {
    cluster: 'selftest',
    service: 'web',
    image: IMAGE,
    'migrate-command': 'python3 manage.py migrate --noinput',
    'test-url': app.url,
    'test-checks': '- name: health\n  url: /health/\n  expect-json: { "status": "ok", "db.ok": true }',
    'bake-time': '0',
    'poll-interval': '100ms',
    timeout: '1m',
  }
  const run = await runStep('ecs-blue-green-deploy', inputs, {
    env: awsEnv(ok.values, 'AWS_ENDPOINT_URL_ECS'),
  })
  expect(run.errors).toEqual([])
  expect(run.outputs).toMatchObject({
    status: 'SUCCESSFUL',
    'rolled-back': 'false',
    'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
  })
  expect(run.outputs['migration-task-arn']).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/selftest\//)

  const failing = await start('ecs', {
    cluster: 'selftest',
    service: 'web',
    behaviour: 'fail',
    'stage-ms': '40',
  })
  const failed = await runStep(
    'ecs-blue-green-deploy',
    {
      cluster: 'selftest',
      service: 'web',
      image: IMAGE,
      'bake-time': '0',
      'poll-interval': '100ms',
      timeout: '1m',
    },
    { env: awsEnv(failing.values, 'AWS_ENDPOINT_URL_ECS') },
  )
  expect(failed.exitCode).toBe(1)
  expect(failed.outputs).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', 'rolled-back': 'true' })
})

test('render, behind --port: a deploy goes live at --service-url, through the API and the hook', async () => {
  const port = await freePort()
  const render = await start('render', { port: String(port), 'service-url': app.url })
  expect(Object.keys(render.values)).toEqual(FAKE_OUTPUTS.render)
  expect(render.values).toMatchObject({
    url: `http://127.0.0.1:${port}`,
    'api-url': `http://127.0.0.1:${port}/v1`,
    'service-id': 'srv-selftest',
  })
  expect(render.values['hook-url']).toMatch(
    new RegExp(`^http://127\\.0\\.0\\.1:${port}/deploy/srv-selftest\\?key=`),
  )
  const byApi = await runStep('render-deploy', {
    'service-id': 'srv-selftest',
    'api-key': render.values['api-key'] ?? '',
    'api-url': render.values['api-url'] ?? '',
    'commit-id': 'abcdef1234567',
    'poll-interval': '100ms',
  })
  expect(byApi.errors).toEqual([])
  expect(byApi.outputs).toMatchObject({ status: 'live', 'service-url': app.url, 'rolled-back': 'false' })
  const byHook = await runStep('render-deploy', {
    'deploy-hook-url': render.values['hook-url'] ?? '',
    'api-key': render.values['api-key'] ?? '',
    'api-url': render.values['api-url'] ?? '',
    'poll-interval': '100ms',
  })
  expect(byHook.errors).toEqual([])
  expect(byHook.outputs.status).toBe('live')
  expect(byHook.outputs['deploy-id']).not.toBe(byApi.outputs['deploy-id'])
  expect(render.secrets).toEqual(expect.arrayContaining([render.values['api-key']]))
})

test('render --steps: a failed build is rolled back', async () => {
  const render = await start('render', {
    steps: 'build_in_progress:0,build_failed:100',
    'service-url': app.url,
  })
  const run = await runStep('render-deploy', {
    'service-id': 'srv-selftest',
    'api-key': render.values['api-key'] ?? '',
    'api-url': render.values['api-url'] ?? '',
    'commit-id': 'abcdef1234567',
    'rollback-on-failure': 'true',
    'poll-interval': '100ms',
  })
  expect(run.exitCode).toBe(1)
  expect(run.outputs).toMatchObject({ status: 'build_failed', 'rolled-back': 'true' })
})

test('a --port that is taken is an error naming it', async () => {
  const busy = net.createServer()
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
  const port = (busy.address() as net.AddressInfo).port
  try {
    await expect(startFake('render', { port: String(port) })).rejects.toThrow(
      `Cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
    )
  } finally {
    await new Promise<void>((resolve) => busy.close(() => resolve()))
  }
})

test('ecr --registry: logins point at an existing registry, and a push lands there', async () => {
  requireDocker()
  const registry = await startLocalRegistry()
  const id = randomBytes(4).toString('hex')
  const reference = `devops-actions-fake-entry-${id}:v1`
  try {
    const ecr = await start('ecr', {
      registry: registry.host,
      'registry-username': registry.username,
      'registry-password': registry.password,
    })
    expect(Object.keys(ecr.values)).toEqual(FAKE_OUTPUTS.ecr)
    expect(ecr.values.registry).toBe(registry.host)
    expect(ecr.secrets).toEqual([registry.password])
    const dir = join(work, 'image')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'hello.txt'), `fake entry ${id}\n`)
    execFileSync('tar', ['-cf', join(work, 'image.tar'), '-C', dir, '.'])
    execFileSync('docker', ['import', join(work, 'image.tar'), reference], { stdio: 'ignore' })
    const env = { ...awsEnv(ecr.values, 'AWS_ENDPOINT_URL_ECR'), DOCKER_CONFIG: join(work, 'docker-config') }
    const run = await runStep('push-to-ecr', { image: reference, repository: `selftest/web-${id}` }, { env })
    expect(run.errors).toEqual([])
    const pushed = await registry.manifest(`selftest/web-${id}`, 'v1')
    expect(run.outputs['image-uri-digest']).toBe(`${registry.host}/selftest/web-${id}@${pushed?.digest}`)
    // The runner ran the post step (docker logout) at the end of the job.
    expect(run.post?.exitCode).toBe(0)
  } finally {
    spawnSync('docker', ['image', 'rm', '-f', reference, `${registry.host}/selftest/web-${id}:v1`], {
      stdio: 'ignore',
    })
    await registry.close()
  }
}, 120_000)

test('the command with --detach returns once the fake answers, sets step outputs, and stops on kill', async () => {
  const outputFile = join(work, 'github-output')
  writeFileSync(outputFile, '')
  const command = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'fake.mjs'), 'ecs', '--detach', '--cluster', 'selftest', '--service', 'web'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, GITHUB_OUTPUT: outputFile }, timeout: 90_000 },
  )
  expect(command.stderr).toBe('')
  expect(command.status).toBe(0)
  const printed = parseFileCommands(command.stdout)
  expect(Object.keys(printed)).toEqual([...(FAKE_OUTPUTS.ecs ?? []), 'pid', 'log'])
  expect(parseFileCommands(readFileSync(outputFile, 'utf8'))).toEqual(printed)
  const pid = Number(printed.pid)
  const alive = () => spawnSync('kill', ['-0', String(pid)]).status === 0
  try {
    expect(alive()).toBe(true)
    const run = await runStep(
      'ecs-blue-green-deploy',
      {
        cluster: 'selftest',
        service: 'web',
        image: IMAGE,
        'bake-time': '0',
        'poll-interval': '200ms',
        timeout: '1m',
      },
      { env: awsEnv(printed, 'AWS_ENDPOINT_URL_ECS') },
    )
    expect(run.errors).toEqual([])
    expect(run.outputs.status).toBe('SUCCESSFUL')
  } finally {
    process.kill(pid, 'SIGTERM')
  }
  const deadline = Date.now() + 10_000
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  expect(alive()).toBe(false)
  rmSync(printed.log ?? '', { force: true })
}, 120_000)
