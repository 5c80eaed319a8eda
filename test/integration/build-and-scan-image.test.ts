import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { trivyAsset } from '../../src/lib/trivy/install.js'
import { startFakeCacheService } from '../fakes/actions-cache.js'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { runStep, type StepOptions } from '../helpers/run-step.js'
import { pushToMain } from '../unit/build-and-scan-image/payloads.js'

// The built bundle, run as the runner runs it, with stand-in `docker` and `trivy` executables
// and a local HTTP server standing in for Trivy's release downloads.
const here = dirname(fileURLToPath(import.meta.url))
const MIXED = join(here, '../unit/build-and-scan-image/reports/mixed.json')
const CLEAN = join(here, '../unit/build-and-scan-image/reports/clean.json')
const VERSION = '0.67.2'
const DIGEST = `sha256:${'c'.repeat(64)}`

const FAKE_DOCKER = `#!${process.execPath}
// Stand-in docker: no buildx, a build that writes its image ID, inspect, push with a digest.
const fs = require('node:fs')
const args = process.argv.slice(2)
fs.appendFileSync(process.env.FAKE_DOCKER_LOG, JSON.stringify(args) + '\\n')
const at = (flag) => args[args.indexOf(flag) + 1]
if (args[0] === 'buildx') { process.stderr.write("docker: 'buildx' is not a docker command.\\n"); process.exit(1) }
if (args[0] === 'build') {
  process.stdout.write('Step 1/2 : FROM devops-actions/python-django:bookworm\\nStep 2/2 : RUN python3 manage.py check\\n')
  if (process.env.FAKE_BUILD_FAIL) { process.stderr.write("The command '/bin/sh -c python3 manage.py check' returned a non-zero code: 1\\n"); process.exit(1) }
  fs.writeFileSync(at('--iidfile'), 'sha256:' + 'a'.repeat(64))
  process.exit(0)
}
if (args[0] === 'image' && args[1] === 'inspect') {
  process.stdout.write(JSON.stringify({ Id: 'sha256:' + 'a'.repeat(64), Size: Number(process.env.FAKE_SIZE || 1000), Config: { User: '10001' } }))
  process.exit(0)
}
if (args[0] === 'image' && args[1] === 'push') { process.stdout.write(args[2].split(':').pop() + ': digest: ${DIGEST} size: 1570\\n'); process.exit(0) }
process.stderr.write('unexpected docker ' + args.join(' ')); process.exit(2)
`

const FAKE_TRIVY = `#!/bin/sh
# Stand-in trivy: writes the report named by FAKE_TRIVY_REPORT where --output says, and
# "downloads" its database into --cache-dir when it is not there (logged to FAKE_TRIVY_LOG.db).
if [ "$1" = "--version" ]; then echo "Version: ${VERSION}"; exit 0; fi
out=""
cache=""
while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; --cache-dir) cache="$2"; shift 2 ;; *) last="$1"; shift ;; esac; done
echo "$last" >> "$FAKE_TRIVY_LOG"
if [ -n "$cache" ] && [ ! -f "$cache/db/trivy.db" ]; then
  mkdir -p "$cache/db" && echo "database" > "$cache/db/trivy.db" && echo download >> "$FAKE_TRIVY_LOG.db"
fi
cp "$FAKE_TRIVY_REPORT" "$out"
`

const DOCKERFILE = `FROM devops-actions/python-django:bookworm
RUN python3 manage.py check
USER 10001
HEALTHCHECK CMD python3 -c "print(1)"
`

let dir: string
let bin: string
let workspace: string
let server: http.Server
let baseUrl: string
let requests: string[]
let files: Map<string, Buffer>

function releaseFiles(tarballDir: string, { corrupt = false } = {}): Map<string, Buffer> {
  const asset = trivyAsset(VERSION, process.platform, process.arch)
  const tarball = join(tarballDir, asset)
  execFileSync('tar', ['-czf', tarball, '-C', join(tarballDir, 'content'), 'trivy', 'LICENSE'])
  const bytes = readFileSync(tarball)
  const sha = createHash('sha256')
    .update(corrupt ? Buffer.from('something else') : bytes)
    .digest('hex')
  return new Map([
    [`/v${VERSION}/${asset}`, bytes],
    [
      `/v${VERSION}/trivy_${VERSION}_checksums.txt`,
      Buffer.from(`${'0'.repeat(64)}  trivy_${VERSION}_macOS-ARM64.tar.gz\n${sha}  ${asset}\n`),
    ],
  ])
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bsi-int-'))
  bin = join(dir, 'bin')
  workspace = join(dir, 'ws')
  mkdirSync(bin)
  mkdirSync(join(workspace, 'app'), { recursive: true })
  mkdirSync(join(dir, 'content'))
  writeFileSync(join(bin, 'docker'), FAKE_DOCKER)
  writeFileSync(join(dir, 'content', 'trivy'), FAKE_TRIVY)
  writeFileSync(join(dir, 'content', 'LICENSE'), 'Apache-2.0')
  writeFileSync(join(workspace, 'standin-trivy'), FAKE_TRIVY)
  chmodSync(join(bin, 'docker'), 0o755)
  chmodSync(join(dir, 'content', 'trivy'), 0o755)
  chmodSync(join(workspace, 'standin-trivy'), 0o755)
  writeFileSync(join(workspace, 'app', 'Dockerfile'), DOCKERFILE)
  writeFileSync(join(dir, 'event.json'), JSON.stringify(pushToMain))
  files = releaseFiles(dir)
  requests = []
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '')
    const body = files.get(req.url ?? '')
    res.writeHead(body ? 200 : 404).end(body ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

/** A push to main of acme/shop, with the stand-in docker first on PATH; `extra` is more job env. */
function env(extra: Record<string, string> = {}, more: Omit<StepOptions, 'env'> = {}) {
  const log = join(dir, `log-${Math.random().toString(36).slice(2)}`)
  writeFileSync(`${log}.docker`, '')
  writeFileSync(`${log}.trivy`, '')
  const options: StepOptions = {
    cwd: workspace,
    env: {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      FAKE_DOCKER_LOG: `${log}.docker`,
      FAKE_TRIVY_LOG: `${log}.trivy`,
      FAKE_TRIVY_REPORT: MIXED,
      ...extra,
    },
    github: {
      event_name: 'push',
      ref: 'refs/heads/main',
      sha: '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
      repository: 'acme/shop',
      event: pushToMain,
    },
    ...more,
  }
  return { log, options }
}

const dockerCalls = (log: string) =>
  readFileSync(`${log}.docker`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[])
    // A push is named with its reference; any other call by its first two words.
    .map((args) => args.slice(0, args[1] === 'push' ? 3 : 2).join(' '))

describe('build-and-scan-image from its action.yml', () => {
  it('installs Trivy from a verified download, scans, pushes, and reuses the tool cache next time', async () => {
    const toolCache = join(dir, 'tool-cache')
    const { options: runOptions, log } = env(
      { TRIVY_DOWNLOAD_MIRROR: baseUrl },
      { runner: { tool_cache: toolCache } },
    )
    const inputs = {
      image: 'Shop',
      context: 'app',
      push: 'true',
      'severity-threshold': 'CRITICAL',
      trivyignore: '',
    }
    writeFileSync(join(workspace, '.trivyignore'), 'CVE-2024-0001 # accepted for the test\n')
    try {
      const first = await runStep('build-and-scan-image', inputs, runOptions)
      expect(first.errors).toEqual([])
      expect(first.exitCode).toBe(0)
      expect(first.outputs).toMatchObject({
        image: 'shop',
        tags: 'shop:main\nshop:latest\nshop:sha-4f2a9c1',
        digest: DIGEST,
        size: '1000',
        vulnerabilities: '{"CRITICAL":0,"HIGH":2,"MEDIUM":1,"LOW":0,"UNKNOWN":1}',
        'scan-passed': 'true',
      })
      expect(first.stdout).toContain('Verified trivy_')
      expect(requests.filter((r) => r.endsWith('.tar.gz'))).toHaveLength(1)
      expect(dockerCalls(log)).toEqual([
        'buildx version',
        'build --force-rm',
        'image inspect',
        'image push shop:main',
        'image push shop:latest',
        'image push shop:sha-4f2a9c1',
      ])
      expect(readFileSync(`${log}.trivy`, 'utf8').trim()).toBe('shop:main')
      expect(existsSync(join(toolCache, 'trivy', VERSION))).toBe(true)
      expect(first.summary).toContain('Vulnerabilities: passed (threshold CRITICAL)')
      expect(first.summary).toContain('1 ignored by the ignore file')

      const second = await runStep('build-and-scan-image', { ...inputs, push: 'false' }, runOptions)
      expect(second.exitCode).toBe(0)
      expect(second.stdout).toContain(`Trivy ${VERSION} found in the tool cache`)
      expect(requests.filter((r) => r.endsWith('.tar.gz'))).toHaveLength(1)
    } finally {
      rmSync(join(workspace, '.trivyignore'))
    }
  })

  it('refuses a tarball whose checksum does not match, and caches nothing', async () => {
    const good = files
    files = releaseFiles(dir, { corrupt: true })
    const toolCache = join(dir, 'tool-cache-mismatch')
    try {
      const { options: runOptions } = env(
        { TRIVY_DOWNLOAD_MIRROR: baseUrl },
        { runner: { tool_cache: toolCache } },
      )
      const run = await runStep('build-and-scan-image', { image: 'shop', context: 'app' }, runOptions)
      expect(run.exitCode).toBe(1)
      expect(run.errors).toEqual([
        expect.stringMatching(
          /^Checksum mismatch for trivy_0\.67\.2_\S+\.tar\.gz: expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}; refusing to install it$/,
        ),
      ])
      expect(existsSync(join(toolCache, 'trivy'))).toBe(false)
    } finally {
      files = good
    }
  })

  it('fails the gate with the stand-in trivy given by trivy-path, without pushing', async () => {
    const { options: runOptions, log } = env()
    const sarif = join(dir, 'out.sarif')
    const run = await runStep(
      'build-and-scan-image',
      { image: 'shop', context: 'app', 'trivy-path': 'standin-trivy', push: 'true', 'sarif-file': sarif },
      runOptions,
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(/^3 vulnerabilities at or above HIGH \(CRITICAL 1, HIGH 2\)/),
    ])
    expect(run.outputs['scan-passed']).toBe('false')
    expect(run.outputs['sarif-file']).toBe(sarif)
    expect(JSON.parse(readFileSync(sarif, 'utf8'))).toMatchObject({ version: '2.1.0' })
    expect(dockerCalls(log).some((call) => call.startsWith('image push'))).toBe(false)
  })

  it('passes a clean report, and a failing cache service does not fail the step', async () => {
    // The cache service refuses every call (404, as for a route it does not serve): restoring and
    // saving the Trivy DB fail, and @actions/cache says so in a warning.
    const service = await startFakeCacheService()
    service.failWith = 404
    try {
      const { options: runOptions } = env(
        { FAKE_TRIVY_REPORT: CLEAN },
        { runtime: { resultsUrl: `${service.url}/`, token: service.token, cacheServiceV2: true } },
      )
      const run = await runStep(
        'build-and-scan-image',
        { image: 'shop', context: 'app', 'trivy-path': 'standin-trivy' },
        runOptions,
      )
      expect(run.errors).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(run.outputs.vulnerabilities).toBe('{"CRITICAL":0,"HIGH":0,"MEDIUM":0,"LOW":0,"UNKNOWN":0}')
      expect(service.calls).toContain('POST GetCacheEntryDownloadURL')
      expect(run.stdout).toMatch(
        /::warning::Failed to restore: Failed to GetCacheEntryDownloadURL: .*\(404\)/,
      )
    } finally {
      await service.close()
    }
  })

  it('keeps the Trivy database in the Actions cache: saved after a miss, restored next run', async () => {
    const service = await startFakeCacheService()
    const home = join(dir, 'home-db-cache')
    mkdirSync(join(dir, 'runner-temp'), { recursive: true })
    try {
      const { options: runOptions, log } = env(
        { FAKE_TRIVY_REPORT: CLEAN, HOME: home },
        {
          runtime: { resultsUrl: `${service.url}/`, token: service.token, cacheServiceV2: true },
          runner: { temp: join(dir, 'runner-temp') },
        },
      )
      const inputs = { image: 'shop', context: 'app', 'trivy-path': 'standin-trivy' }
      const first = await runStep('build-and-scan-image', inputs, runOptions)
      expect(first.errors).toEqual([])
      expect(first.exitCode).toBe(0)
      expect(service.entries).toMatchObject([{ key: expect.stringMatching(/^trivy-db-/), finalized: true }])
      const key = service.entries[0]?.key ?? ''

      rmSync(join(home, '.cache'), { recursive: true })
      const second = await runStep('build-and-scan-image', inputs, runOptions)
      expect(second.exitCode).toBe(0)
      expect(second.stdout).toContain(`Trivy database restored from cache ${key}`)
      expect(readFileSync(join(home, '.cache', 'trivy', 'db', 'trivy.db'), 'utf8')).toBe('database\n')
      expect(readFileSync(`${log}.trivy.db`, 'utf8')).toBe('download\n')
      // An exact hit is not saved again.
      expect(service.calls.filter((c) => c.startsWith('POST'))).toEqual([
        'POST GetCacheEntryDownloadURL',
        'POST CreateCacheEntry',
        'POST FinalizeCacheEntryUpload',
        'POST GetCacheEntryDownloadURL',
      ])
    } finally {
      await service.close()
    }
  })

  it('names the failed step of a build in one error line', async () => {
    const { options: runOptions } = env({ FAKE_BUILD_FAIL: '1' })
    const run = await runStep('build-and-scan-image', { image: 'shop', context: 'app' }, runOptions)
    expect(run.exitCode).toBe(1)
    expect(run.errors.at(-1)).toBe(
      "Build failed at app/Dockerfile:2 (RUN python3 manage.py check): The command '/bin/sh -c python3 manage.py check' returned a non-zero code: 1",
    )
  })

  it('fails over max-size', async () => {
    const { options: runOptions } = env({ FAKE_SIZE: '300000000' })
    const run = await runStep(
      'build-and-scan-image',
      { image: 'shop', context: 'app', 'max-size': '250MB', scan: 'false' },
      runOptions,
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      "Image is 300.0MB (300000000 bytes), over 'max-size' 250.0MB (250000000 bytes)",
    ])
  })

  it.each([
    [
      { image: 'shop', dockerfile: 'nope/Dockerfile' },
      /^Invalid configuration: Dockerfile 'nope\/Dockerfile' not found/,
    ],
    [
      { image: 'shop', context: 'app', builder: 'kaniko' },
      /^Invalid configuration: Input 'builder' must be one of/,
    ],
    [
      { image: 'shop', context: 'app', 'severity-threshold': 'severe' },
      /^Invalid configuration: Input 'severity-threshold'/,
    ],
    [
      { image: 'shop', context: 'app', 'build-args': 'JUSTAKEY' },
      /^Invalid configuration: Input 'build-args' must be KEY=VALUE/,
    ],
    [
      { image: 'shop', context: 'app', tags: 'has space' },
      /^Invalid configuration: Input 'tags' entry 'has space'/,
    ],
  ])('rejects bad input %j with one error and no docker call', async (inputs, message) => {
    const { options: runOptions, log } = env()
    const run = await runStep('build-and-scan-image', inputs, runOptions)
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringMatching(message)])
    expect(dockerCalls(log)).toEqual([])
  })
})

describe('build-and-scan-image comments a matrix of images from its action.yml', () => {
  let github: FakeGitHub

  beforeEach(async () => {
    github = await startFakeGitHub({ repositories: ['acme/shop'] })
    github.addPull('acme/shop', {
      number: 7,
      base: { ref: 'main', sha: 'a'.repeat(40) },
      head: { ref: 'f', sha: 'b'.repeat(40) },
    })
  })
  afterEach(() => github.close())

  /** One leg of `matrix: { image: [...] }` on a pull request, `comment-key: ${{ matrix.image }}` as a workflow writes it. */
  function leg(image: string, report: string, commentKey = '${{ matrix.image }}') {
    const { options } = env(
      { FAKE_TRIVY_REPORT: report },
      {
        matrix: { image },
        github: {
          event_name: 'pull_request',
          ref: 'refs/pull/7/merge',
          sha: 'c'.repeat(40),
          repository: 'acme/shop',
          api_url: github.apiUrl,
          token: github.token,
          workflow: 'CI',
          job: 'image',
          event: { number: 7, pull_request: { number: 7, head: { sha: 'b'.repeat(40) } } },
        },
      },
    )
    const inputs = {
      image: `shop/${image}`,
      context: 'app',
      'trivy-path': 'standin-trivy',
      'severity-threshold': 'none',
      comment: 'auto',
      'comment-key': commentKey,
    }
    return runStep('build-and-scan-image', inputs, options)
  }

  const heads = () =>
    github.commentsOn('acme/shop', 7).map((c) => (c.body ?? '').split('\n').slice(0, 2).join(' | '))

  it('keeps a comment per leg, and a leg run again updates its own', async () => {
    const web = await leg('web', MIXED)
    const worker = await leg('worker', MIXED)
    expect([web.exitCode, worker.exitCode, web.errors, worker.errors]).toEqual([0, 0, [], []])
    expect(heads()).toEqual([
      '<!-- devops-actions:build-and-scan-image CI/image comment-key=web --> | ### ✅ Image scan (`web`): `shop/web:pr-7`',
      '<!-- devops-actions:build-and-scan-image CI/image comment-key=worker --> | ### ✅ Image scan (`worker`): `shop/worker:pr-7`',
    ])
    const again = await leg('web', CLEAN)
    expect(again.stdout).toContain('Pull request comment updated')
    const comments = github.commentsOn('acme/shop', 7)
    expect(comments).toHaveLength(2)
    expect(comments[0]?.body).toContain('| 0 | 0 | 0 | 0 | 0 |')
    expect(comments[1]?.body).not.toContain('| 0 | 0 | 0 | 0 | 0 |')
  })

  it('without a key updates the comment a run before comment-key made', async () => {
    const before = github.seedComment(
      'acme/shop',
      7,
      '<!-- devops-actions:build-and-scan-image CI/image -->\n### Image scan: `shop:old`',
    )
    const run = await leg('web', CLEAN, '')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`Pull request comment updated: ${before.html_url}`)
    expect(heads()).toEqual([
      '<!-- devops-actions:build-and-scan-image CI/image --> | ### ✅ Image scan: `shop/web:pr-7`',
    ])
  })

  it('refuses a key that could close the marker, before building anything', async () => {
    const run = await leg('web', CLEAN, 'web --> <b>')
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      "Invalid configuration: Input 'comment-key' must be up to 64 letters, digits, spaces and . _ - / : + = , @ ( ) #, naming this comment among the job's others, e.g. py3.12 (got 'web --> <b>')",
    ])
    expect(github.requests).toEqual([])
  })
})
