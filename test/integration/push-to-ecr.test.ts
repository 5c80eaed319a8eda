import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeEcr, type FakeEcr } from '../fakes/ecr.js'
import { startLocalRegistry, type LocalRegistry } from '../fakes/local-registry.js'
import { requireCommand, requireDocker } from '../helpers/prerequisites.js'
import { runStep, type StepRun } from '../helpers/run-step.js'

// The built bundle, run as the runner runs it, against the fake ECR API, with the real Docker
// engine logging in to, tagging for and pushing to a real local registry.

const runId = randomBytes(4).toString('hex')
let registry: LocalRegistry
let ecr: FakeEcr
let work: string
const images: string[] = []

function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** A tiny image made offline (docker import of a one-file tarball), unique to this run. */
function makeImage(label: string): string {
  const dir = join(work, `image-${label}`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'hello.txt'), `push-to-ecr test ${runId} ${label}\n`)
  const tarball = join(work, `image-${label}.tar`)
  execFileSync('tar', ['-cf', tarball, '-C', dir, '.'])
  const reference = `devops-actions-ecr-test-${runId}:${label}`
  docker(['import', tarball, reference])
  images.push(reference)
  return reference
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ACCESS_KEY_ID: ecr.accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'fake-secret-key',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    DOCKER_CONFIG: join(work, 'docker-config'),
    ...extra,
  }
}

function dockerAuths(): Record<string, unknown> {
  const file = join(work, 'docker-config', 'config.json')
  if (!existsSync(file)) return {}
  return (JSON.parse(readFileSync(file, 'utf8')) as { auths?: Record<string, unknown> }).auths ?? {}
}

/** Everything the run printed except the mask registrations, which the runner strips. */
function visibleLog(run: StepRun): string {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  return `${stdout}\n${run.stderr}`
}

const opsSince = (start: number) => ecr.calls.slice(start).map((call) => call.op)

beforeAll(async () => {
  requireDocker()
  requireCommand('docker-registry', ['--version'], "Debian's docker-registry")
  work = mkdtempSync(join(tmpdir(), 'push-to-ecr-'))
  registry = await startLocalRegistry()
  ecr = await startFakeEcr(registry)
}, 60_000)

afterAll(async () => {
  for (const image of images) {
    try {
      docker(['image', 'rm', '-f', docker(['image', 'inspect', '--format', '{{.Id}}', image]).trim()])
    } catch {
      // already gone
    }
  }
  await ecr?.close()
  await registry?.close()
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('push-to-ecr against a fake ECR API and a real registry', () => {
  const repository = `team/web-${runId}`
  let first: StepRun
  let image: string

  test('creates the missing repository with its settings and lifecycle policy, pushes every tag', async () => {
    image = makeImage('one')
    const start = ecr.calls.length
    first = await runStep(
      'push-to-ecr',
      { image, repository, tags: 'v1, sha-abc1234', 'lifecycle-policy': 'keep-last:5' },
      { env: env() },
    )
    expect(first.errors).toEqual([])
    expect(first.exitCode).toBe(0)

    const created = ecr.repositories.get(repository)
    expect(created?.imageTagMutability).toBe('IMMUTABLE')
    expect(created?.imageScanningConfiguration.scanOnPush).toBe(true)
    expect(created?.encryptionConfiguration.encryptionType).toBe('AES256')
    const policy = JSON.parse(created?.lifecyclePolicyText ?? '{}') as {
      rules: { selection: { countType: string; countNumber: number } }[]
    }
    expect(policy.rules[0]?.selection).toMatchObject({ countType: 'imageCountMoreThan', countNumber: 5 })
    expect(opsSince(start)).toEqual(
      expect.arrayContaining(['GetAuthorizationToken', 'CreateRepository', 'PutLifecyclePolicy']),
    )

    // The registry's own API confirms what was pushed, and the outputs name it.
    const v1 = await registry.manifest(repository, 'v1')
    const sha = await registry.manifest(repository, 'sha-abc1234')
    expect(v1?.digest).toMatch(/^sha256:[a-f0-9]{64}$/)
    expect(sha?.digest).toBe(v1?.digest)
    const uri = `${registry.host}/${repository}`
    expect(first.outputs).toEqual({
      registry: registry.host,
      'repository-uri': uri,
      'image-uri': `${uri}:v1`,
      'image-uris': `${uri}:v1\n${uri}:sha-abc1234`,
      digest: v1?.digest,
      'image-uri-digest': `${uri}@${v1?.digest}`,
    })
    expect(first.summary).toContain('IMMUTABLE')
    expect(first.summary).toContain('| `v1` | pushed |')
  })

  test('masks the registry password and token and never prints them', () => {
    const token = Buffer.from(`${registry.username}:${registry.password}`).toString('base64')
    expect(first.stdout).toContain(`::add-mask::${token}`)
    expect(first.stdout).toContain(`::add-mask::${registry.password}`)
    for (const secret of [registry.password, token]) {
      expect(visibleLog(first)).not.toContain(secret)
      expect(first.summary).not.toContain(secret)
    }
  })

  test('the post step logs out of the registry main logged in to', () => {
    // main saved the registry it logged in to; the runner ran the post (post-if: always()) with
    // it as STATE_registry at the end of the job.
    expect(first.state.registry).toBe(registry.host)
    expect(first.state.isPost).toBe('true')
    expect(first.post?.exitCode).toBe(0)
    expect(first.post?.stdout).toContain(`Logged out of ${registry.host}`)
    expect(Object.keys(dockerAuths())).not.toContain(registry.host)
  })

  test('a re-run with the same image skips the tags already there and changes nothing', async () => {
    const start = ecr.calls.length
    const again = await runStep(
      'push-to-ecr',
      { image, repository, tags: 'v1, sha-abc1234', 'lifecycle-policy': 'keep-last:5' },
      { env: env() },
    )
    expect(again.errors).toEqual([])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain(`::notice::${registry.host}/${repository}:v1 already holds this image`)
    expect(again.stdout).not.toContain('Pushing ')
    expect(again.outputs.digest).toBe(first.outputs.digest)
    expect(again.summary).toContain('| `v1` | skipped |')
    expect(opsSince(start)).not.toContain('CreateRepository')
    expect(opsSince(start)).not.toContain('PutLifecyclePolicy')
  })

  test('another image under an existing tag of an IMMUTABLE repository is a clear error', async () => {
    const other = makeImage('two')
    const conflict = await runStep('push-to-ecr', { image: other, repository, tags: 'v1' }, { env: env() })
    expect(conflict.exitCode).toBe(1)
    expect(conflict.errors).toEqual([
      expect.stringMatching(
        new RegExp(`^Tag 'v1' already exists in IMMUTABLE repository '${repository}' at sha256:[a-f0-9]{64}`),
      ),
    ])
    expect(visibleLog(conflict)).not.toMatch(/\n\s+at /)
    expect(conflict.stdout).not.toContain('Pushing ')
    expect((await registry.manifest(repository, 'v1'))?.digest).toBe(first.outputs.digest)
  })

  test('on a MUTABLE repository the tag moves to the new image', async () => {
    const mutable = `team/mutable-${runId}`
    ecr.seed(mutable, { imageTagMutability: 'MUTABLE' })
    const one = await runStep('push-to-ecr', { image, repository: mutable, tags: 'latest' }, { env: env() })
    expect(one.exitCode).toBe(0)
    const other = makeImage('three')
    const two = await runStep(
      'push-to-ecr',
      { image: other, repository: mutable, tags: 'latest' },
      { env: env() },
    )
    expect(two.errors).toEqual([])
    expect(two.outputs.digest).not.toBe(one.outputs.digest)
    expect((await registry.manifest(mutable, 'latest'))?.digest).toBe(two.outputs.digest)
    expect(two.summary).toContain(`replaced (was \`${one.outputs.digest}\`)`)
  })

  test('throttling on DescribeRepositories is retried', async () => {
    ecr.throttle('DescribeRepositories', 2)
    const start = ecr.calls.length
    const run = await runStep('push-to-ecr', { image, repository, tags: 'v1' }, { env: env() })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(opsSince(start).filter((op) => op === 'DescribeRepositories')).toHaveLength(3)
  })

  test('throttling that outlasts the retries ends in one clear error', async () => {
    ecr.throttle('DescribeRepositories', 100)
    const start = ecr.calls.length
    // Two attempts (the SDK's own AWS_MAX_ATTEMPTS) keep the backoff short.
    const run = await runStep(
      'push-to-ecr',
      { image, repository, tags: 'v1' },
      { env: env({ AWS_MAX_ATTEMPTS: '2' }) },
    )
    ecr.throttle('DescribeRepositories', 0)
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^AWS kept throttling ecr:DescribeRepositories after 2 attempts \(ThrottlingException: Rate exceeded\)/,
      ),
    ])
    expect(opsSince(start).filter((op) => op === 'DescribeRepositories')).toHaveLength(2)
    expect(visibleLog(run)).not.toMatch(/\n\s+at /)
  })

  test('credentials AWS does not recognise end in one clear error, before any login', async () => {
    const run = await runStep(
      'push-to-ecr',
      { image, repository, tags: 'v1' },
      { env: env({ AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1' }) },
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(/^AWS rejected the credentials calling ecr:GetAuthorizationToken/),
    ])
    expect(run.state.registry).toBeUndefined()
  })

  test('a repository that does not exist is not created when create-repository is false', async () => {
    const start = ecr.calls.length
    const run = await runStep(
      'push-to-ecr',
      { image, repository: `team/absent-${runId}`, 'create-repository': 'false' },
      { env: env() },
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining(`Repository 'team/absent-${runId}' does not exist`)])
    expect(opsSince(start)).not.toContain('CreateRepository')
  })

  test.each([
    ['an invalid repository name', { repository: 'Team/Web' }, /Input 'repository' must be lower case/],
    ['a missing local image', { image: `devops-actions-absent-${runId}:v1` }, /Local image .* not found/],
    [
      'a lifecycle policy file that is not there',
      { 'lifecycle-policy': 'no-such-policy.json' },
      /no such file/,
    ],
  ])('%s fails before any AWS call', async (_label, override, message) => {
    const start = ecr.calls.length
    const run = await runStep('push-to-ecr', { image, repository, tags: 'v1', ...override }, { env: env() })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringMatching(message)])
    expect(ecr.calls.length).toBe(start)
  })

  test('no region fails before any AWS call', async () => {
    const start = ecr.calls.length
    const run = await runStep(
      'push-to-ecr',
      { image, repository },
      { env: env({ AWS_REGION: '', AWS_DEFAULT_REGION: '' }) },
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringMatching(/^Invalid configuration: No AWS region/)])
    expect(ecr.calls.length).toBe(start)
  })
})
