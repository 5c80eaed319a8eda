// The ECS pipeline of examples/django-ecs.yml, run on this machine with the committed bundles
// exactly as the runner runs them: setup-django-test → build-and-scan-image → push-to-ecr →
// ecs-blue-green-deploy → smoke-test. AWS is simulated (the fake ECR API in front of a real
// local registry, the fake ECS API); everything else is real: PostgreSQL, Debian's Django, the
// Docker engine, the registry, and the freshly built container that the test gate checks.
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeEcr } from '../../test/fakes/ecr.js'
import { FakeEcs } from '../../test/fakes/ecs.js'
import { startLocalRegistry } from '../../test/fakes/local-registry.js'
import { FIXTURE_APP } from '../../test/helpers/django-app.js'
import { DEBIAN_PYTHON, E2E_DATABASE_URL } from '../../test/helpers/prerequisites.js'
import { runAction, type ActionRun } from '../../test/helpers/run-action.js'
import { freePort } from '../../test/helpers/servers.js'

export interface PhaseResult {
  phase: string
  run?: ActionRun
  /** Why the phase did not run, or a remark about how it ran. */
  note?: string
}

export interface PipelineOptions {
  /** Scan with the Trivy on PATH; without one the scan is skipped (and said so). */
  trivy: boolean
  /** Called after each phase, e.g. to print it. */
  onPhase?: (result: PhaseResult) => void
  log?: (line: string) => void
}

const CHECKS = [
  '- name: health',
  '  url: /health/',
  '  expect-json: { "status": "ok", "db.ok": true }',
  '  max-latency: 2s',
  '- name: notes API',
  '  url: /notes/',
  '  expect-status: 200',
].join('\n')

function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
}

/** Runs the pipeline; returns every phase's result (stopping at the first failure) and cleans up. */
export async function runPipeline(options: PipelineOptions): Promise<PhaseResult[]> {
  const log = options.log ?? (() => undefined)
  const id = randomBytes(3).toString('hex')
  const work = mkdtempSync(join(tmpdir(), 'devops-actions-demo-'))
  const workspace = join(work, 'workspace')
  cpSync(FIXTURE_APP, workspace, { recursive: true, filter: (src) => !src.includes('__pycache__') })
  const results: PhaseResult[] = []
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(work, { recursive: true, force: true })]
  const phase = async (name: string, body: () => Promise<ActionRun>): Promise<boolean> => {
    const run = await body()
    const result = { phase: name, run }
    results.push(result)
    options.onPhase?.(result)
    return run.exitCode === 0
  }

  const image = 'devops-actions-demo/web'
  const tag = `demo-${id}`
  const repository = 'demo/web'
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_SECRET_ACCESS_KEY: 'demo-secret-key',
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // The registry login stays in the demo's own Docker client configuration.
    DOCKER_CONFIG: join(work, 'docker-config'),
  }
  try {
    // 1. The fixture app's tests, checks and coverage against the local PostgreSQL.
    const tested = await phase('setup-django-test', () =>
      runAction(
        'setup-django-test',
        {
          python: DEBIAN_PYTHON,
          install: 'none',
          'database-url': E2E_DATABASE_URL,
          'coverage-threshold': '50',
        },
        { cwd: workspace, timeoutMs: 300_000 },
      ),
    )
    if (!tested) return results

    // 2. The image, built by the real Docker engine, and scanned when Trivy is here.
    if (!options.trivy) {
      log(
        'Trivy is not installed (no `trivy` on PATH): the image scan is skipped (scan: false); every other phase runs.',
      )
    }
    cleanups.push(
      () => void spawnSync('docker', ['image', 'rm', '-f', `${image}:${tag}`], { stdio: 'ignore' }),
    )
    const built = await phase('build-and-scan-image', () =>
      runAction(
        'build-and-scan-image',
        {
          image,
          tags: tag,
          scan: String(options.trivy),
          ...(options.trivy ? { 'trivy-path': 'trivy' } : {}),
        },
        { cwd: workspace, env, timeoutMs: 600_000 },
      ),
    )
    if (options.trivy === false) (results.at(-1) as PhaseResult).note = 'scan skipped: Trivy is not installed'
    if (!built) return results

    // 3. Amazon ECR: the fake ECR API hands out logins to a real local registry.
    const registry = await startLocalRegistry()
    cleanups.push(() => registry.close())
    const ecr = await startFakeEcr(registry)
    cleanups.push(() => ecr.close())
    const awsEnv = { ...env, AWS_ACCESS_KEY_ID: ecr.accessKeyId, AWS_ENDPOINT_URL_ECR: ecr.url }
    const pushedOk = await phase('push-to-ecr', () =>
      runAction('push-to-ecr', { image: `${image}:${tag}`, repository, tags: tag }, { env: awsEnv }),
    )
    const pushed = results.at(-1)?.run as ActionRun
    cleanups.push(async () => {
      // push-to-ecr's post step, as the runner runs it at the end of the job: docker logout.
      await runAction(
        'push-to-ecr',
        {},
        { env: { ...awsEnv, STATE_isPost: 'true', STATE_registry: pushed.state.registry ?? '' } },
      )
      spawnSync('docker', ['image', 'rm', '-f', pushed.outputs['image-uri'] ?? ''], { stdio: 'ignore' })
    })
    if (!pushedOk) return results

    // 4. The green revision: the pushed image, run by the Docker engine as ECS would run the new
    // task, behind the "test listener" the gate checks before production traffic moves.
    const imageUri = pushed.outputs['image-uri'] ?? ''
    const port = await freePort()
    const container = docker([
      'run',
      '--detach',
      '--rm',
      '--name',
      `devops-actions-demo-${id}`,
      '--publish',
      `127.0.0.1:${port}:8000`,
      '--env',
      'DATABASE_URL=sqlite:////tmp/demo.sqlite3',
      '--env',
      'DJANGO_ALLOWED_HOSTS=*',
      imageUri,
      'sh',
      '-c',
      'python3 manage.py migrate --noinput && exec python3 -m gunicorn --bind 0.0.0.0:8000 --workers 2 mysite.wsgi',
    ])
    cleanups.push(() => void spawnSync('docker', ['rm', '-f', container], { stdio: 'ignore' }))
    const appUrl = `http://127.0.0.1:${port}`
    log(`Started the pushed image ${imageUri} as container ${container.slice(0, 12)} on ${appUrl}`)

    const ecs = new FakeEcs({ stageMs: 300, taskMs: 600 })
    await ecs.start()
    cleanups.push(() => ecs.close())
    const taskDefinition = ecs.addTaskDefinition({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'web', image: `${registry.host}/${repository}:previous`, essential: true },
      ],
    })
    ecs.addService({ serviceName: 'web', cluster: 'demo', taskDefinition })
    const deployed = await phase('ecs-blue-green-deploy', () =>
      runAction(
        'ecs-blue-green-deploy',
        {
          cluster: 'demo',
          service: 'web',
          'container-name': 'web',
          image: pushed.outputs['image-uri-digest'] ?? '',
          environment: `RELEASE=${tag}`,
          'migrate-command': 'python3 manage.py migrate --noinput',
          'test-url': appUrl,
          'test-checks': CHECKS,
          'bake-time': '0',
          'poll-interval': '500ms',
          timeout: '3m',
        },
        { env: { ...awsEnv, ...ecs.env(), AWS_ACCESS_KEY_ID: ecr.accessKeyId } },
      ),
    )
    if (!deployed) return results

    // 5. Production answers: the same container, now serving the production traffic.
    await phase('smoke-test', () =>
      runAction('smoke-test', { 'base-url': appUrl, checks: CHECKS, timeout: '30s' }),
    )
    return results
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup()
      } catch (error) {
        log(`Cleanup: ${(error as Error).message}`)
      }
    }
  }
}
