import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { requireCommand, requireDocker } from '../helpers/prerequisites.js'
import { runStep, type StepOptions } from '../helpers/run-step.js'
import { freePort } from '../helpers/servers.js'

// The real Docker engine builds the fixture Django app from the local base image, a real
// registry (Debian's docker-registry) receives the push, and the container is asked for
// /health/. Trivy cannot be downloaded here: a stand-in that checks the image is in the engine
// writes the report.
const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const BASE_IMAGE = 'devops-actions/python-django:bookworm'
const run = Date.now().toString(36) + randomBytes(2).toString('hex')

const STANDIN_TRIVY = `#!/bin/sh
# Stand-in trivy: the image must exist in the engine; then it writes a report with one HIGH finding.
if [ "$1" = "--version" ]; then echo "Version: 0.67.2"; exit 0; fi
out=""
while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; *) last="$1"; shift ;; esac; done
docker image inspect "$last" >/dev/null || { echo "no such image: $last" >&2; exit 1; }
cat > "$out" <<JSON
{"SchemaVersion": 2, "ArtifactName": "$last", "ArtifactType": "container_image",
 "Results": [{"Target": "$last (debian 12)", "Class": "os-pkgs", "Type": "debian", "Vulnerabilities": [
  {"VulnerabilityID": "CVE-2024-12345", "PkgName": "libexample", "InstalledVersion": "1.0-1",
   "FixedVersion": "1.0-2", "Severity": "HIGH", "PrimaryURL": "https://avd.aquasec.com/nvd/cve-2024-12345",
   "CVSS": {"nvd": {"V3Score": 7.5}}}]}]}
JSON
`

function requirePrerequisites(): void {
  requireDocker()
  requireCommand('docker', ['image', 'inspect', BASE_IMAGE], `the fixture base image ${BASE_IMAGE}`)
  requireCommand('docker-registry', ['--version'], "Debian's docker-registry")
}

function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolveGet, reject) => {
      http
        .get(url, { headers }, (res) => {
          let body = ''
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
          res.on('end', () => resolveGet({ status: res.statusCode ?? 0, headers: res.headers, body }))
        })
        .on('error', reject)
    },
  )
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${what} did not happen within ${timeoutMs}ms`)
}

let dir: string
let registry: ChildProcess
let registryHost: string
const images: string[] = []
const containers: string[] = []

beforeAll(async () => {
  requirePrerequisites()
  dir = mkdtempSync(join(tmpdir(), 'bsi-e2e-'))
  writeFileSync(join(dir, 'trivy'), STANDIN_TRIVY)
  chmodSync(join(dir, 'trivy'), 0o755)
  const port = await freePort()
  registryHost = `127.0.0.1:${port}`
  mkdirSync(join(dir, 'registry'))
  writeFileSync(
    join(dir, 'registry.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'registry')}\nhttp:\n  addr: ${registryHost}\n`,
  )
  registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: 'ignore' })
  await waitFor(
    'the registry answering /v2/',
    async () => (await get(`http://${registryHost}/v2/`)).status === 200,
  )
}, 60_000)

afterAll(() => {
  for (const container of containers) spawnSync('docker', ['rm', '-f', container], { stdio: 'ignore' })
  for (const image of images) spawnSync('docker', ['image', 'rm', '-f', image], { stdio: 'ignore' })
  registry?.kill()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A push to the e2e branch of acme/shop, with this repository as the workspace. */
function job(options: StepOptions = {}): StepOptions {
  return {
    cwd: root,
    github: {
      event_name: 'push',
      ref: 'refs/heads/e2e',
      sha: randomBytes(20).toString('hex'),
      repository: 'acme/shop',
    },
    ...options,
  }
}

function scratchDockerfile(name: string, text: string): string {
  const folder = join(dir, name)
  mkdirSync(folder)
  writeFileSync(join(folder, 'Dockerfile'), text)
  return folder
}

describe('build-and-scan-image on the real Docker engine', () => {
  it('builds the fixture app, scans it, pushes every tag to a real registry, and the container serves /health/', async () => {
    const image = `${registryHost}/bsi-e2e-${run}`
    const tags = ['e2e', `e2e-${run}`]
    images.push(...tags.map((tag) => `${image}:${tag}`))
    const result = await runStep(
      'build-and-scan-image',
      {
        image,
        context: 'test/fixtures/django-app',
        tags: tags.join(','),
        push: 'true',
        'trivy-path': join(dir, 'trivy'),
        'severity-threshold': 'CRITICAL',
        'max-size': '1GB',
      },
      job({ timeoutMs: 150_000 }),
    )
    expect(result.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    const inspected = JSON.parse(
      execFileSync('docker', ['image', 'inspect', '--format', '{{json .}}', `${image}:e2e`], {
        encoding: 'utf8',
      }),
    ) as {
      Id: string
      Size: number
      Config: { User: string; Labels: Record<string, string>; Healthcheck?: unknown }
    }
    expect(result.outputs['image-id']).toBe(inspected.Id)
    expect(result.outputs.size).toBe(String(inspected.Size))
    expect(inspected.Config.User).toBe('10001:10001')
    expect(inspected.Config.Healthcheck).toBeDefined()
    expect(inspected.Config.Labels['org.opencontainers.image.source']).toBe('https://github.com/acme/shop')
    expect(result.outputs.vulnerabilities).toBe('{"CRITICAL":0,"HIGH":1,"MEDIUM":0,"LOW":0,"UNKNOWN":0}')
    expect(result.outputs['scan-passed']).toBe('true')

    // The registry holds both tags under the digest the action reported.
    const digest = result.outputs.digest ?? ''
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    for (const tag of tags) {
      const manifest = await get(`http://${registryHost}/v2/bsi-e2e-${run}/manifests/${tag}`, {
        Accept: [
          'application/vnd.docker.distribution.manifest.v2+json',
          'application/vnd.oci.image.manifest.v1+json',
          'application/vnd.docker.distribution.manifest.list.v2+json',
          'application/vnd.oci.image.index.v1+json',
        ].join(', '),
      })
      expect(manifest.status).toBe(200)
      expect(manifest.headers['docker-content-digest']).toBe(digest)
    }

    // The image really serves the app: gunicorn on 8000, /health/ answering through the database.
    const container = `bsi-e2e-${run}`
    containers.push(container)
    execFileSync('docker', [
      'run',
      '-d',
      '--name',
      container,
      '-p',
      '127.0.0.1::8000',
      '-e',
      'DATABASE_URL=sqlite:////tmp/db.sqlite3',
      `${image}:e2e`,
    ])
    const port = execFileSync('docker', ['port', container, '8000/tcp'], { encoding: 'utf8' })
      .trim()
      .split(':')
      .pop()
    let health = { status: 0, body: '' }
    await waitFor('the container answering /health/', async () => {
      health = await get(`http://127.0.0.1:${port}/health/`)
      return health.status === 200
    })
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', db: { ok: true } })
  }, 180_000)

  it('stops a Dockerfile that breaks the policy before building it', async () => {
    const image = `bsi-e2e-bad-${run}`
    const folder = scratchDockerfile(
      'bad',
      `FROM devops-actions/python-django\nENV API_TOKEN=abc123\nCMD ["python3"]\n`,
    )
    const result = await runStep(
      'build-and-scan-image',
      { image, context: folder, tags: 'x', scan: 'false' },
      job(),
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors.at(-1)).toMatch(/Dockerfile breaks 3 policy rule\(s\)/)
    expect(result.stdout).toMatch(
      /::error title=Dockerfile policy%3A pinned-base,file=[^,]*Dockerfile,line=1::/,
    )
    expect(result.stdout).toMatch(
      /::error title=Dockerfile policy%3A secret-in-env,file=[^,]*Dockerfile,line=2::/,
    )
    expect(result.stdout).not.toContain('abc123')
    expect(spawnSync('docker', ['image', 'inspect', `${image}:x`], { stdio: 'ignore' }).status).not.toBe(0)
  })

  it('names the Dockerfile step a real build failed at', async () => {
    const image = `bsi-e2e-fail-${run}`
    images.push(`${image}:x`)
    const folder = scratchDockerfile(
      'fail',
      `FROM ${BASE_IMAGE}\nUSER 10001\nHEALTHCHECK CMD true\nRUN echo checking \\\n    && python3 -c "raise SystemExit(3)"\n`,
    )
    const result = await runStep(
      'build-and-scan-image',
      { image, context: folder, tags: 'x', scan: 'false' },
      job(),
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors.at(-1)).toMatch(
      /^Build failed at \S*Dockerfile:4 \(RUN echo checking +&& python3 -c "raise SystemExit\(3\)"\): .*returned a non-zero code: 3$/,
    )
  })

  it('fails an image over max-size', async () => {
    const image = `bsi-e2e-size-${run}`
    images.push(`${image}:x`)
    const folder = scratchDockerfile('size', `FROM ${BASE_IMAGE}\nUSER 10001\nHEALTHCHECK CMD true\n`)
    const result = await runStep(
      'build-and-scan-image',
      { image, context: folder, tags: 'x', scan: 'false', 'max-size': '100MB' },
      job(),
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^Image is \d+\.\dMB \(\d+ bytes\), over 'max-size' 100\.0MB \(100000000 bytes\)$/,
      ),
    ])
  })
})
