import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeEcr, type FakeEcr } from '../fakes/ecr.js'
import { FakeEcs } from '../fakes/ecs.js'
import { startLocalRegistry, type LocalRegistry } from '../fakes/local-registry.js'
import { startFakeRender, type FakeRender } from '../fakes/render.js'
import { DEPLOY_DOCKERFILE, ecsDeployEnv, prepareDeployWorkspace } from '../helpers/deploy-ecs.js'
import { requireCommand, requireDocker } from '../helpers/prerequisites.js'
import { runStep } from '../helpers/run-step.js'

// The built deploy bundle, run as the runner runs it: the Render target against the fake Render
// API, the ECS target on the real Docker engine against the fake ECR (backed by a real local
// registry) and the fake ECS, with a local HTTP server standing in for the service.

const runId = randomBytes(4).toString('hex')
const repository = `team/deploy-it-${runId}`
let work: string
let app: { url: string; hits: string[]; status: number; close: () => Promise<void> }
let render: FakeRender | undefined

/** A real HTTP server standing in for the deployed service (and the ECS test listener). */
async function startApp(): Promise<typeof app> {
  const state = { hits: [] as string[], status: 200 }
  const server = http.createServer((req, res) => {
    state.hits.push(req.url ?? '')
    res.writeHead(state.status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ status: state.status === 200 ? 'ok' : 'broken' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get hits() {
      return state.hits
    },
    get status() {
      return state.status
    },
    set status(value: number) {
      state.status = value
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'deploy-it-'))
  app = await startApp()
})

afterAll(async () => {
  await app.close()
  rmSync(work, { recursive: true, force: true })
})

afterEach(async () => {
  await render?.close()
  render = undefined
  app.hits.length = 0
  app.status = 200
})

describe('target render', () => {
  async function start(steps?: [string, number][]): Promise<FakeRender> {
    render = await startFakeRender(steps === undefined ? {} : { steps })
    render.addService({ id: 'srv-app', url: app.url })
    return render
  }

  test('deploys a commit, waits until live and smoke-tests the service URL Render reports', async () => {
    const fake = await start()
    const run = await runStep('deploy', {
      target: 'render',
      'service-id': 'srv-app',
      'api-key': fake.apiKey,
      'api-url': fake.apiUrl,
      'commit-id': 'abcdef1234567',
      'poll-interval': '100ms',
      checks: '- name: health\n  url: /health/\n  expect-json: { "status": "ok" }',
      'smoke-timeout': '5s',
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const deploy = fake.services.get('srv-app')?.deploys[0]
    expect(run.outputs).toEqual({
      'image-uri': '',
      'deployment-id': deploy?.id,
      status: 'live',
      url: app.url,
      deployments: '',
      'sbom-file': '',
    })
    expect(deploy?.commit?.id).toBe('abcdef1234567')
    expect(app.hits).toEqual(['/health/'])
    expect(run.stdout).toContain('::group::2/3 render-deploy')
    expect(run.stdout).toContain('::group::3/3 smoke-test')
    expect(run.stdout).toContain('Skipping 1/3 build-and-scan-image')
    expect(run.summary).toContain('## Deploy to Render: succeeded')
    expect(run.summary).toContain('## 2. render-deploy')
    expect(run.summary).toContain('## 3. smoke-test')
    expect(
      run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(fake.apiKey)
  })

  test('a failed deploy fails the step with one line naming the phase, and nothing is smoke-tested', async () => {
    const fake = await start([
      ['build_in_progress', 0],
      ['build_failed', 200],
    ])
    const run = await runStep('deploy', {
      target: 'render',
      'service-id': 'srv-app',
      'api-key': fake.apiKey,
      'api-url': fake.apiUrl,
      'poll-interval': '100ms',
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Phase render-deploy failed: Deploy dep-[0-9a-f]+ of srv-app ended build_failed/,
      ),
    ])
    expect(run.outputs.status).toBe('build_failed')
    expect(app.hits).toEqual([])
    expect(run.summary).toContain('## Deploy to Render: failed in render-deploy')
    expect(run.summary).toContain('| 3. smoke-test | — not run |')
  })

  test('promotes an existing image by digest: nothing built, the same digest deployed, the summary says so', async () => {
    render = await startFakeRender()
    const image = `ghcr.io/acme/web@sha256:${'b'.repeat(64)}`
    render.addService({ id: 'srv-image', url: app.url, image: 'ghcr.io/acme/web' })
    const run = await runStep('deploy', {
      target: 'render',
      'existing-image': image,
      'service-id': 'srv-image',
      'api-key': render.apiKey,
      'api-url': render.apiUrl,
      'poll-interval': '100ms',
      'smoke-timeout': '5s',
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const deploy = render.services.get('srv-image')?.deploys[0]
    expect(deploy?.image?.ref).toBe(image)
    expect(run.outputs).toMatchObject({ 'image-uri': image, 'deployment-id': deploy?.id, status: 'live' })
    expect(run.stdout).toContain(`Skipping 1/3 build-and-scan-image: promoting ${image}`)
    expect(run.stdout).not.toContain('docker build')
    expect(run.summary).toContain('Image (promoted: built by an earlier job, not built here)')
  })

  test('notify-webhook: one message per run; a failing webhook is a warning and the deploy stands', async () => {
    const fake = await start()
    const posts: string[] = []
    let status = 200
    const hook = http.createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      req.on('end', () => {
        posts.push(body)
        res.writeHead(status)
        res.end(status === 200 ? 'ok' : 'down')
      })
    })
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve))
    const webhook = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/services/T0/B0/hook-secret-${runId}`
    const step = () =>
      runStep(
        'deploy',
        {
          target: 'render',
          'service-id': 'srv-app',
          'api-key': fake.apiKey,
          'api-url': fake.apiUrl,
          'poll-interval': '100ms',
          'smoke-timeout': '5s',
          'notify-webhook': webhook,
        },
        { github: { sha: 'abcdef1234567890abcdef1234567890abcdef12' } },
      )
    try {
      const sent = await step()
      expect(sent.exitCode).toBe(0)
      expect(posts).toHaveLength(1)
      const text = (JSON.parse(posts[0] ?? '{}') as { text: string }).text
      expect(text).toMatch(/^✅ Deploy to srv-app \(Render\) succeeded\n/)
      expect(text).toContain('Commit: abcdef1234567890abcdef1234567890abcdef12')
      expect(sent.stdout).toContain('Notified the webhook (1 try)')

      status = 503
      posts.length = 0
      const failing = await step()
      expect(failing.exitCode).toBe(0)
      expect(failing.errors).toEqual([])
      expect(posts).toHaveLength(3)
      expect(failing.warnings).toEqual([
        "Could not notify the webhook after 3 tries: HTTP 503. The deploy's outcome is unchanged.",
      ])
      expect(failing.outputs.status).toBe('live')
      for (const run of [sent, failing]) {
        expect(run.stdout).toContain(`::add-mask::${webhook}`)
        const shown = run.stdout
          .split('\n')
          .filter((line) => !line.startsWith('::add-mask::'))
          .join('\n')
        expect(shown).not.toContain(`hook-secret-${runId}`)
      }
    } finally {
      await new Promise<void>((resolve) => hook.close(() => resolve()))
    }
  }, 60_000)

  test('a bad input fails at once, before any request or build', async () => {
    const fake = await start()
    const run = await runStep('deploy', {
      target: 'render',
      'service-id': 'srv-app',
      'api-key': fake.apiKey,
      'api-url': fake.apiUrl,
      repository: 'team/web',
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      "Invalid configuration: Input 'repository' applies only to target: ecs (this step's target is render); remove it",
    ])
    expect(fake.requests).toEqual([])
    expect(run.outputs).toEqual({})
    expect(run.stderr).toBe('')
  })
})

describe('target ecs, on the real Docker engine', () => {
  let registry: LocalRegistry
  let ecr: FakeEcr
  let ecs: FakeEcs
  let workspace: string
  let bin: string

  const env = () => ecsDeployEnv(ecs, ecr, work, bin)

  const inputs = (extra: Record<string, string> = {}) => ({
    target: 'ecs',
    repository,
    tags: `it-${runId}`,
    cluster: 'prod',
    service: 'web',
    'trivy-path': 'trivy',
    'migrate-command': 'python3 manage.py migrate --noinput',
    'test-url': app.url,
    'test-checks': '- url: /health/\n  expect-json: { "status": "ok" }',
    'bake-time': '0',
    'poll-interval': '100ms',
    timeout: '60s',
    url: `${app.url}/`,
    'smoke-timeout': '5s',
    ...extra,
  })

  beforeAll(async () => {
    requireDocker()
    requireCommand('docker-registry', ['--version'], "Debian's docker-registry")
    ;({ workspace, bin } = prepareDeployWorkspace(work))
    registry = await startLocalRegistry()
    ecr = await startFakeEcr(registry)
    ecs = new FakeEcs({ stageMs: 40, taskMs: 150 })
    await ecs.start()
    const td = ecs.addTaskDefinition({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image: 'registry.example/web:old', essential: true }],
    })
    ecs.addService({ serviceName: 'web', cluster: 'prod', taskDefinition: td })
  }, 60_000)

  afterAll(async () => {
    await ecs?.close()
    await ecr?.close()
    await registry?.close()
    for (const reference of [`it-${runId}`, `it-${runId}-gate`].flatMap((tag) => [
      `${repository}:${tag}`,
      `${registry?.host}/${repository}:${tag}`,
    ])) {
      try {
        execFileSync('docker', ['image', 'rm', '-f', reference], { stdio: 'ignore' })
      } catch {
        // already gone
      }
    }
  })

  test('builds, scans, pushes, deploys blue/green behind the gate and smoke-tests, then logs out', async () => {
    const run = await runStep('deploy', inputs(), { env: env(), cwd: workspace, timeoutMs: 180_000 })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const imageUri = `${registry.host}/${repository}:it-${runId}`
    expect(run.outputs['image-uri']).toBe(imageUri)
    expect(run.outputs.status).toBe('SUCCESSFUL')
    expect(run.outputs['deployment-id']).toMatch(/service-deployment\/prod\/web\//)
    expect(run.outputs.url).toBe(`${app.url}/`)
    const pushed = await registry.manifest(repository, `it-${runId}`)
    const register = ecs.calls.find((c) => c.operation === 'RegisterTaskDefinition')?.input as {
      containerDefinitions: { image: string }[]
    }
    expect(register.containerDefinitions[0]?.image).toBe(`${registry.host}/${repository}@${pushed?.digest}`)
    expect(ecs.operations()).toEqual(
      expect.arrayContaining(['RunTask', 'UpdateService', 'ContinueServiceDeployment']),
    )
    expect(app.hits).toEqual(['/health/', '/'])
    for (const [i, phase] of [
      'build-and-scan-image',
      'push-to-ecr',
      'ecs-blue-green-deploy',
      'smoke-test',
    ].entries()) {
      expect(run.stdout).toContain(`::group::${i + 1}/4 ${phase}`)
      expect(run.summary).toContain(`## ${i + 1}. ${phase}`)
    }
    expect(run.summary).toContain('## Deploy to Amazon ECS: succeeded')
    expect(run.state.registry).toBe(registry.host)
    // The post step (post-if: always()) ran at the end of the job with STATE_registry.
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.stdout).toContain(`Logged out of ${registry.host}`)
  }, 180_000)

  test('a failing gate rolls the deployment back and fails the step naming ecs-blue-green-deploy', async () => {
    app.status = 503
    const run = await runStep(
      'deploy',
      inputs({
        tags: `it-${runId}-gate`,
        'migrate-command': '',
        'test-checks': '',
        'smoke-timeout': '1s',
        timeout: '8s',
      }),
      { env: env(), cwd: workspace, timeoutMs: 180_000 },
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(/^Phase ecs-blue-green-deploy failed: Deployment of .* was rolled back/),
    ])
    expect(run.outputs.status).toBe('ROLLBACK_SUCCESSFUL')
    expect(run.summary).toContain('| 4. smoke-test | — not run |')
  }, 180_000)

  test('target render with an image: builds, scans, pushes to a registry it is logged in to, deploys by digest', async () => {
    execFileSync('docker', ['login', registry.host, '--username', registry.username, '--password-stdin'], {
      input: registry.password,
      env: { ...process.env, DOCKER_CONFIG: join(work, 'docker-config') },
      stdio: ['pipe', 'ignore', 'pipe'],
    })
    render = await startFakeRender()
    const imageName = `${registry.host}/acme/web-${runId}`
    render.addService({ id: 'srv-image', url: app.url, image: imageName })
    const run = await runStep(
      'deploy',
      {
        target: 'render',
        image: imageName,
        tags: `render-${runId}`,
        'trivy-path': 'trivy',
        'service-id': 'srv-image',
        'api-key': render.apiKey,
        'api-url': render.apiUrl,
        'poll-interval': '100ms',
        'smoke-timeout': '5s',
      },
      { env: env(), cwd: workspace, timeoutMs: 180_000 },
    )
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const pushed = await registry.manifest(`acme/web-${runId}`, `render-${runId}`)
    expect(pushed?.digest).toMatch(/^sha256:/)
    const deploy = render.services.get('srv-image')?.deploys[0]
    expect(deploy?.image?.ref).toBe(`${imageName}@${pushed?.digest}`)
    expect(run.outputs).toEqual({
      'image-uri': `${imageName}:render-${runId}`,
      'deployment-id': deploy?.id,
      status: 'live',
      url: app.url,
      deployments: '',
      'sbom-file': '',
    })
    expect(run.stdout).toContain('::group::1/3 build-and-scan-image')
    execFileSync('docker', ['image', 'rm', '-f', `${imageName}:render-${runId}`], { stdio: 'ignore' })
  }, 180_000)

  test('re-running for the same commit deploys the image the first run pushed, without building it again', async () => {
    // Tags derived from the commit (no 'tags'): only sha-<7> goes to the IMMUTABLE repository.
    const commit = randomBytes(20).toString('hex')
    const tag = `sha-${commit.slice(0, 7)}`
    const rerunRepository = `${repository}-rerun`
    const git = { sha: commit, ref: `refs/heads/rerun-${runId}` }
    const rerunInputs = inputs({ repository: rerunRepository, tags: '' })
    const registered = () =>
      ecs.calls
        .filter((c) => c.operation === 'RegisterTaskDefinition')
        .map((c) => (c.input as { containerDefinitions: { image: string }[] }).containerDefinitions[0]?.image)
    const localId = () =>
      execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', `${rerunRepository}:${tag}`], {
        encoding: 'utf8',
      }).trim()
    try {
      const first = await runStep('deploy', rerunInputs, {
        env: env(),
        github: git,
        cwd: workspace,
        timeoutMs: 180_000,
      })
      expect(first.errors).toEqual([])
      expect(first.exitCode).toBe(0)
      expect(first.stdout).toContain(`${tag} is not in ECR yet: building it`)
      const pushed = await registry.manifest(rerunRepository, tag)
      expect(pushed?.digest).toMatch(/^sha256:/)
      const uri = `${registry.host}/${rerunRepository}`
      expect(first.outputs['image-uri']).toBe(`${uri}:${tag}`)
      expect(registered().at(-1)).toBe(`${uri}@${pushed?.digest}`)
      const builtId = localId()

      const before = { ecr: ecr.calls.length, registered: registered().length }
      const second = await runStep('deploy', rerunInputs, {
        env: env(),
        github: git,
        cwd: workspace,
        timeoutMs: 180_000,
      })
      expect(second.errors).toEqual([])
      expect(second.exitCode).toBe(0)
      const why = `${tag} is already in ${uri} at ${pushed?.digest}: built, scanned and pushed by an earlier run; deploying it`
      expect(second.stdout).toContain(`Skipping 1/4 build-and-scan-image: ${why}`)
      expect(second.stdout).toContain(`Skipping 2/4 push-to-ecr: ${why}`)
      expect(second.summary).toContain('| 1. build-and-scan-image | ⏭️ skipped |')
      expect(second.summary).toContain('| 2. push-to-ecr | ⏭️ skipped |')
      expect(second.summary).toContain(why)
      expect(second.summary).toContain('## Deploy to Amazon ECS: succeeded')
      // Nothing was built, logged in to or pushed: ECR was only asked what it holds, the
      // registry still serves the first run's manifest, and the local image is the first one.
      expect(second.stdout).not.toContain('docker build')
      expect(ecr.calls.slice(before.ecr).map((c) => c.op)).toEqual(['DescribeRepositories', 'DescribeImages'])
      expect((await registry.manifest(rerunRepository, tag))?.digest).toBe(pushed?.digest)
      expect(localId()).toBe(builtId)
      expect(second.state.registry).toBeUndefined()
      // The same image, by the same digest.
      expect(registered().slice(before.registered)).toEqual([`${uri}@${pushed?.digest}`])
      expect(second.outputs['image-uri']).toBe(`${uri}:${tag}`)
      expect(second.outputs.status).toBe('SUCCESSFUL')
    } finally {
      for (const reference of [
        `${rerunRepository}:${tag}`,
        `${rerunRepository}:rerun-${runId}`,
        `${registry.host}/${rerunRepository}:${tag}`,
      ]) {
        try {
          execFileSync('docker', ['image', 'rm', '-f', reference], { stdio: 'ignore' })
        } catch {
          // already gone
        }
      }
    }
  }, 360_000)

  test('logs in to ECR before the build, so a FROM of a private image in that registry builds; pushes with that login', async () => {
    // The base image is in the registry behind the fake ECR (htpasswd auth), pushed with
    // credentials of the test's own; the step starts with a docker config that has none.
    const base = `${registry.host}/team/base-${runId}:1`
    const own = { ...process.env, DOCKER_CONFIG: join(work, 'docker-config-test') }
    const docker = (args: string[], env: NodeJS.ProcessEnv = own, input?: string) =>
      execFileSync('docker', args, { env, input, stdio: ['pipe', 'ignore', 'pipe'] })
    docker(
      ['login', registry.host, '--username', registry.username, '--password-stdin'],
      own,
      registry.password,
    )
    docker(['tag', 'devops-actions/python-django:bookworm', base])
    docker(['push', base])
    docker(['image', 'rm', base])
    const stepConfig = join(work, 'docker-config-private')
    // Without a login the registry refuses the pull: the build below needs the step's login.
    expect(() => docker(['pull', base], { ...process.env, DOCKER_CONFIG: stepConfig })).toThrow()
    const privateWorkspace = join(work, 'ws-private')
    mkdirSync(privateWorkspace, { recursive: true })
    writeFileSync(
      join(privateWorkspace, 'Dockerfile'),
      DEPLOY_DOCKERFILE.replace(/^FROM .*$/m, `FROM ${base}`),
    )
    const before = ecr.calls.length
    try {
      const run = await runStep(
        'deploy',
        inputs({ tags: `it-${runId}-private`, 'migrate-command': '', 'test-checks': '' }),
        { env: { ...env(), DOCKER_CONFIG: stepConfig }, cwd: privateWorkspace, timeoutMs: 180_000 },
      )
      expect(run.errors).toEqual([])
      expect(run.exitCode).toBe(0)
      const loggedIn = run.stdout.indexOf(`Logged in to ${registry.host}`)
      expect(loggedIn).toBeGreaterThan(-1)
      expect(loggedIn).toBeLessThan(run.stdout.indexOf('docker build'))
      expect(run.stdout).toContain(`Pushing with the login to ${registry.host} made before the build`)
      // One token, one login: the push did not ask ECR for another.
      expect(ecr.calls.slice(before).filter((c) => c.op === 'GetAuthorizationToken')).toHaveLength(1)
      expect((await registry.manifest(repository, `it-${runId}-private`))?.digest).toMatch(/^sha256:/)
      expect(run.state.registry).toBe(registry.host)
      expect(run.post?.stdout).toContain(`Logged out of ${registry.host}`)
    } finally {
      for (const reference of [
        base,
        `${repository}:it-${runId}-private`,
        `${registry.host}/${repository}:it-${runId}-private`,
      ]) {
        try {
          execFileSync('docker', ['image', 'rm', '-f', reference], { stdio: 'ignore' })
        } catch {
          // already gone
        }
      }
    }
  }, 180_000)

  test('a bad input fails before anything is built, pushed or deployed', async () => {
    const before = { ecr: ecr.calls.length, ecs: ecs.calls.length }
    const run = await runStep('deploy', inputs({ 'bake-time': '90s' }), { env: env(), cwd: workspace })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(/^Invalid configuration: Input 'bake-time' must be whole minutes/),
    ])
    expect(run.stdout).not.toContain('::group::')
    expect({ ecr: ecr.calls.length, ecs: ecs.calls.length }).toEqual(before)
  })
})
