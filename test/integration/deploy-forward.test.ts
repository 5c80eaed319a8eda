import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeEcr, type FakeEcr } from '../fakes/ecr.js'
import type { FakeEcs } from '../fakes/ecs.js'
import { addCelery, inputsOf, startFakeWithWeb } from '../fakes/ecs-fixtures.js'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { startLocalRegistry, type LocalRegistry } from '../fakes/local-registry.js'
import { startFakeRender, type FakeRender } from '../fakes/render.js'
import {
  CLEAN_REPORT,
  DEPLOY_DOCKERFILE,
  ecsDeployEnv,
  prepareDeployWorkspace,
} from '../helpers/deploy-ecs.js'
import { requireCommand, requireDocker } from '../helpers/prerequisites.js'
import { runStep } from '../helpers/run-step.js'

// The inputs deploy forwards to its phases, each shown reaching the phase through the built
// bundle on the model runner. Target ecs on the real Docker engine, against the fake ECR (backed
// by a real local registry) and the fake ECS with a Django web service, its Celery worker and beat.

const runId = randomBytes(4).toString('hex')
const SIDECAR = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0'
const SERVICES = ['web', 'worker', 'beat']

let work: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'deploy-forward-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The service's stand-in: each request records where every ECS service's latest deployment stood. */
async function startSite(ecs: () => FakeEcs) {
  const hits: { url: string; deployments: Record<string, string | undefined> }[] = []
  const server = http.createServer((req, res) => {
    const deployments = Object.fromEntries(
      SERVICES.map((name) => [name, ecs().deploymentsOf(name, 'prod').at(-1)?.status]),
    )
    hits.push({ url: req.url ?? '', deployments })
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end('{"status":"ok"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('target ecs forwards services and images, on the real Docker engine', () => {
  const repository = `team/deploy-forward-${runId}`
  let registry: LocalRegistry
  let ecr: FakeEcr
  let ecs: FakeEcs
  let site: Awaited<ReturnType<typeof startSite>>
  let workspace: string
  let bin: string
  const commit = randomBytes(20).toString('hex')
  const tag = `sha-${commit.slice(0, 7)}`

  const env = () => ecsDeployEnv(ecs, ecr, work, bin)
  const step = (inputs: Record<string, string>) =>
    runStep(
      'deploy',
      {
        target: 'ecs',
        repository,
        cluster: 'prod',
        'trivy-path': 'trivy',
        'bake-time': '0',
        'poll-interval': '100ms',
        timeout: '60s',
        url: `${site.url}/`,
        'smoke-timeout': '5s',
        ...inputs,
      },
      {
        env: env(),
        cwd: workspace,
        github: { sha: commit, ref: `refs/heads/forward-${runId}` },
        timeoutMs: 180_000,
      },
    )

  beforeAll(async () => {
    requireDocker()
    requireCommand('docker-registry', ['--version'], "Debian's docker-registry")
    ;({ workspace, bin } = prepareDeployWorkspace(work))
    registry = await startLocalRegistry()
    ecr = await startFakeEcr(registry)
    ecs = await startFakeWithWeb()
    addCelery(ecs)
    site = await startSite(() => ecs)
  }, 60_000)

  afterAll(async () => {
    await site?.close()
    await ecs?.close()
    await ecr?.close()
    await registry?.close()
    for (const reference of [`${repository}:${tag}`, `${registry?.host}/${repository}:${tag}`]) {
      try {
        execFileSync('docker', ['image', 'rm', '-f', reference], { stdio: 'ignore' })
      } catch {
        // already gone
      }
    }
  })

  test('web, worker and beat get the built image (the web sidecar its own), one migration, one smoke test after all; run twice', async () => {
    const inputs = {
      services: 'web\nworker, beat',
      images: `proxy=${SIDECAR}`,
      'migrate-command': 'python3 manage.py migrate --noinput',
      provenance: 'mode=max',
      'sbom-file': 'sbom.cdx.json',
    }
    const first = await step(inputs)
    expect(first.errors).toEqual([])
    expect(first.exitCode).toBe(0)
    const pushed = await registry.manifest(repository, tag)
    expect(pushed?.digest).toMatch(/^sha256:/)
    const deployed = `${registry.host}/${repository}@${pushed?.digest}`
    const registered = inputsOf(ecs, 'RegisterTaskDefinition') as {
      family: string
      containerDefinitions: { name: string; image: string }[]
    }[]
    expect(registered.map((r) => r.family)).toEqual(SERVICES)
    expect(registered.map((r) => r.containerDefinitions.map((c) => [c.name, c.image]))).toEqual([
      [
        ['web', deployed],
        ['proxy', SIDECAR],
      ],
      [['worker', deployed]],
      [['beat', deployed]],
    ])
    expect(inputsOf(ecs, 'RunTask')).toHaveLength(1)
    expect(inputsOf(ecs, 'UpdateService').map((u) => u.service)).toEqual(SERVICES)
    // The smoke test ran once, when every service's deployment had finished.
    expect(site.hits).toEqual([
      { url: '/', deployments: { web: 'SUCCESSFUL', worker: 'SUCCESSFUL', beat: 'SUCCESSFUL' } },
    ])
    const records = JSON.parse(first.outputs.deployments ?? '') as { service: string; status: string }[]
    expect(records.map((r) => [r.service, r.status])).toEqual(SERVICES.map((s) => [s, 'SUCCESSFUL']))
    expect(first.outputs.status).toBe('SUCCESSFUL')
    expect(first.outputs['deployment-id']).toMatch(/service-deployment\/prod\/web\//)
    expect(first.summary).toContain('## Deploy to Amazon ECS: succeeded')
    for (const service of SERVICES)
      expect(first.summary).toMatch(
        new RegExp(`\\| Service ${service} \\| \`SUCCESSFUL, runs ${service}:\\d+\` \\|`),
      )
    // The engine's docker client has no buildx: the build phase says so, under deploy's input name.
    expect(first.warnings).toContain(
      "'provenance' needs buildx, which this runner does not have; not attached",
    )
    expect(first.outputs['sbom-file']).toBe(join(workspace, 'sbom.cdx.json'))
    expect(existsSync(join(workspace, 'sbom.cdx.json'))).toBe(true)

    // The same step again (a re-run of the job): the pushed image is deployed as it is, to all three.
    site.hits.length = 0
    const second = await step(inputs)
    expect(second.errors).toEqual([])
    expect(second.exitCode).toBe(0)
    expect(second.stdout).toContain(`Skipping 1/4 build-and-scan-image: ${tag} is already in`)
    const again = (inputsOf(ecs, 'RegisterTaskDefinition') as typeof registered).slice(3)
    expect(again.map((r) => [r.family, r.containerDefinitions[0]?.image])).toEqual(
      SERVICES.map((s) => [s, deployed]),
    )
    expect(inputsOf(ecs, 'RunTask')).toHaveLength(2)
    expect(site.hits).toHaveLength(1)
    // Nothing was built this time, so no SBOM was written by this run.
    expect(second.outputs['sbom-file']).toBe('')
    const rerun = JSON.parse(second.outputs.deployments ?? '') as { service: string; status: string }[]
    expect(rerun.map((r) => [r.service, r.status])).toEqual(SERVICES.map((s) => [s, 'SUCCESSFUL']))
  }, 360_000)

  test('one service failing puts all three back, reports each in deployments, and the smoke test does not run', async () => {
    const worker = ecs.services.get('prod/worker')
    if (worker === undefined) throw new Error('no worker service in the fake')
    worker.behaviour = 'fail'
    site.hits.length = 0
    try {
      const run = await step({ services: 'web, worker, beat' })
      expect(run.exitCode).toBe(1)
      expect(run.errors).toEqual([
        expect.stringMatching(
          /^Phase ecs-blue-green-deploy failed: Deployment of 3 services did not succeed; every service is back on its previous revision\./,
        ),
      ])
      const records = JSON.parse(run.outputs.deployments ?? '') as { service: string; rolledBack: boolean }[]
      expect(records.map((r) => [r.service, r.rolledBack])).toEqual(SERVICES.map((s) => [s, true]))
      expect(run.outputs.status).toBe('ROLLBACK_SUCCESSFUL')
      expect(site.hits).toEqual([])
      expect(run.summary).toContain('| 4. smoke-test | — not run |')
      expect(run.summary).toMatch(/\| Service worker \| `ROLLBACK_\w+ \(rolled back\), runs worker:\d+` \|/)
    } finally {
      worker.behaviour = undefined
    }
  }, 180_000)

  test.each([
    [
      { service: 'web', services: 'worker' },
      "Invalid configuration: Inputs 'service' and 'services' cannot be used together: set only one",
    ],
    [
      { services: 'web', images: 'proxy' },
      "Invalid configuration: Input 'images' must be container=image lines (got 'proxy')",
    ],
  ])('%j fails at once, before anything is built, pushed or deployed', async (inputs, message) => {
    const before = { ecr: ecr.calls.length, ecs: ecs.calls.length }
    const run = await step(inputs)
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([message])
    expect(run.stdout).not.toContain('::group::')
    expect(run.stdout).not.toContain('docker build')
    expect({ ecr: ecr.calls.length, ecs: ecs.calls.length }).toEqual(before)
  })
})

// This machine's Docker client has no buildx plugin, and buildx is what takes --provenance and
// --sbom (without it build-and-scan-image warns and attaches none, as the ECS test above shows).
// So here a stand-in docker that has buildx records the argv deploy's build phase hands it,
// and a stand-in Trivy converts its report to an SBOM when asked (`trivy convert`).
const DIGEST = `sha256:${'e'.repeat(64)}`
const STAND_IN_DOCKER = `#!${process.execPath}
const fs = require('node:fs')
const args = process.argv.slice(2)
fs.appendFileSync(process.env.FORWARD_DOCKER_LOG, JSON.stringify(args) + '\\n')
const at = (flag) => args[args.indexOf(flag) + 1]
if (args[0] === 'buildx' && args[1] === 'version') { process.stdout.write('github.com/docker/buildx v0.29.1\\n'); process.exit(0) }
if (args[0] === 'buildx' && args[1] === 'build') {
  fs.writeFileSync(at('--iidfile'), 'sha256:' + 'a'.repeat(64))
  fs.writeFileSync(at('--metadata-file'), JSON.stringify({ 'containerimage.config.digest': 'sha256:' + 'a'.repeat(64) }))
  process.exit(0)
}
if (args[0] === 'image' && args[1] === 'inspect') {
  process.stdout.write(JSON.stringify({ Id: 'sha256:' + 'a'.repeat(64), Size: 1000, Config: { User: '10001' } }))
  process.exit(0)
}
if (args[0] === 'image' && args[1] === 'push') { process.stdout.write(args[2].split(':').pop() + ': digest: ${DIGEST} size: 1570\\n'); process.exit(0) }
process.stderr.write('unexpected docker ' + args.join(' ')); process.exit(2)
`
const STAND_IN_TRIVY = (report: string) => `#!/bin/sh
if [ "$1" = "--version" ]; then echo "Version: 0.67.2"; exit 0; fi
command="$1"
out=""
while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; *) shift ;; esac; done
if [ "$command" = "convert" ]; then printf '{"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:forward"}' > "$out"; exit $?; fi
cp "${report}" "$out"
`

describe('target render with image forwards the attestations, the SBOM file and the pull request comment', () => {
  const REPO = 'acme/web'
  const IMAGE = 'ghcr.io/acme/web'
  let render: FakeRender
  let github: FakeGitHub
  let site: { url: string; close: () => Promise<void> }
  let root: string
  let log: string

  const docker = () =>
    readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as string[])
  const step = (inputs: Record<string, string>, event: 'pull_request' | 'push') =>
    runStep(
      'deploy',
      {
        target: 'render',
        image: IMAGE,
        tags: 'pr-7',
        'trivy-path': 'trivy',
        'service-id': 'srv-image',
        'api-key': render.apiKey,
        'api-url': render.apiUrl,
        'poll-interval': '100ms',
        'smoke-timeout': '5s',
        url: site.url,
        ...inputs,
      },
      {
        env: { PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}`, FORWARD_DOCKER_LOG: log },
        cwd: join(root, 'ws'),
        github: {
          repository: REPO,
          api_url: github.apiUrl,
          token: github.token,
          workflow: 'Preview',
          job: 'deploy',
          ...(event === 'pull_request'
            ? {
                event_name: 'pull_request',
                event: { pull_request: { number: 7, head: { sha: 'b'.repeat(40) } } },
              }
            : { event_name: 'push', event: {} }),
        },
        timeoutMs: 60_000,
      },
    )

  beforeAll(async () => {
    root = join(work, 'render')
    log = join(root, 'docker.log')
    for (const dir of ['bin', 'ws']) mkdirSync(join(root, dir), { recursive: true })
    writeFileSync(join(root, 'ws', 'Dockerfile'), DEPLOY_DOCKERFILE)
    writeFileSync(join(root, 'clean.json'), CLEAN_REPORT)
    writeFileSync(join(root, 'bin', 'docker'), STAND_IN_DOCKER, { mode: 0o755 })
    writeFileSync(join(root, 'bin', 'trivy'), STAND_IN_TRIVY(join(root, 'clean.json')), { mode: 0o755 })
    const server = http.createServer((_req, res) => res.end('ok'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    site = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    }
  })

  beforeEach(async () => {
    writeFileSync(log, '')
    render = await startFakeRender()
    render.addService({ id: 'srv-image', url: site.url, image: IMAGE })
    github = await startFakeGitHub({ repositories: [REPO] })
    github.addPull(REPO, {
      number: 7,
      base: { ref: 'main', sha: 'a'.repeat(40) },
      head: { ref: 'f', sha: 'b'.repeat(40) },
    })
  })

  afterEach(async () => {
    await render.close()
    await github.close()
  })

  afterAll(async () => {
    await site.close()
  })

  test('provenance and sbom reach buildx, the SBOM path comes out, one comment on the pull request; run twice', async () => {
    const inputs = { provenance: 'mode=max', sbom: 'true', 'sbom-file': 'sbom.cdx.json', comment: 'auto' }
    const first = await step(inputs, 'pull_request')
    expect(first.errors).toEqual([])
    expect(first.exitCode).toBe(0)
    const build = docker().find((args) => args[0] === 'buildx' && args[1] === 'build') ?? []
    expect(build).toEqual(expect.arrayContaining(['--provenance=mode=max', '--sbom=true']))
    const sbom = join(root, 'ws', 'sbom.cdx.json')
    expect(first.outputs['sbom-file']).toBe(sbom)
    expect(JSON.parse(readFileSync(sbom, 'utf8'))).toMatchObject({ bomFormat: 'CycloneDX' })
    expect(render.services.get('srv-image')?.deploys[0]?.image?.ref).toBe(`${IMAGE}@${DIGEST}`)
    // The comment went to the pull request with the job's token (deploy's github-token default).
    const comments = github.commentsOn(REPO, 7)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toContain(`Image scan: \`${IMAGE}:pr-7\``)

    rmSync(sbom)
    const second = await step(inputs, 'pull_request')
    expect(second.errors).toEqual([])
    expect(second.exitCode).toBe(0)
    expect(second.outputs['sbom-file']).toBe(sbom)
    expect(existsSync(sbom)).toBe(true)
    const byDigest = render.services
      .get('srv-image')
      ?.deploys.filter((d) => d.image?.ref === `${IMAGE}@${DIGEST}`)
    expect(byDigest?.map((d) => d.status)).toEqual(['live', 'deactivated'])
    // Updated in place: still one comment, found again by its marker.
    const after = github.commentsOn(REPO, 7)
    expect(after.map((c) => c.id)).toEqual(comments.map((c) => c.id))
  })

  test('comment-key: two legs of a matrix keep a comment each, headed by their key', async () => {
    for (const key of ['eu-west-1', 'us-east-1']) {
      const run = await step({ comment: 'auto', 'comment-key': key }, 'pull_request')
      expect(run.errors).toEqual([])
      expect(run.exitCode).toBe(0)
    }
    const comments = github.commentsOn(REPO, 7)
    expect(comments).toHaveLength(2)
    expect(comments[0]?.body).toContain('eu-west-1')
    expect(comments[1]?.body).toContain('us-east-1')
  })

  test('on a push (no pull request), comment: auto posts nothing and the deploy succeeds', async () => {
    const run = await step({ comment: 'auto' }, 'push')
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('live')
    expect(run.outputs['sbom-file']).toBe('')
    expect(github.requests).toEqual([])
    expect(github.commentsOn(REPO, 7)).toEqual([])
  })

  test('a bad combination fails at once: no build, no request', async () => {
    const run = await step({ comment: 'true', 'github-token': '' }, 'pull_request')
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      "Invalid configuration: Input 'comment' is true, but 'github-token' is empty: pass a token (the default is the job's GITHUB_TOKEN)",
    ])
    expect(docker()).toEqual([])
    expect(render.requests).toEqual([])
    expect(github.requests).toEqual([])
  })
})
