import { execFileSync, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import { requireCommand, requireDocker } from '../helpers/prerequisites.js'
import { runStep, type StepOptions } from '../helpers/run-step.js'

// Issue 16 on the real Docker engine with BuildKit: a build secret checked inside the build and
// found nowhere after it, the same commit built twice giving the same image ID, and the scan
// asking Trivy for secrets too while the SARIF file keeps the unfixed finding.
//
// The action runs `docker buildx build` when buildx is there, else `DOCKER_BUILDKIT=1 docker
// build`. A newer Docker client without the buildx plugin refuses the latter, while an older one
// (Debian's 20.10) builds with the engine's own BuildKit: the test puts first on PATH the client
// that works, and fails (never skips) when none does.
const BASE_IMAGE = 'devops-actions/python-django:bookworm'
const run = Date.now().toString(36) + randomBytes(2).toString('hex')
const SECRET = `pw@example%40-${run}-${randomBytes(6).toString('hex')}`
const COMMIT_DATE = '2024-05-01T12:00:00Z'

const STANDIN_TRIVY = `#!/bin/sh
# Stand-in trivy: logs its argv, checks the image is in the engine, and reports one fixed and
# one unfixed HIGH vulnerability.
echo "$*" >> "$0.log"
if [ "$1" = "--version" ]; then echo "Version: 0.67.2"; exit 0; fi
out=""
while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; *) last="$1"; shift ;; esac; done
docker image inspect "$last" >/dev/null || { echo "no such image: $last" >&2; exit 1; }
cat > "$out" <<JSON
{"SchemaVersion": 2, "ArtifactName": "$last", "ArtifactType": "container_image",
 "Results": [{"Target": "$last (debian 12)", "Class": "os-pkgs", "Type": "debian", "Vulnerabilities": [
  {"VulnerabilityID": "CVE-2024-11111", "PkgName": "libfixed", "InstalledVersion": "1.0-1",
   "FixedVersion": "1.0-2", "Severity": "HIGH"},
  {"VulnerabilityID": "CVE-2024-22222", "PkgName": "libunfixed", "InstalledVersion": "2.0-1",
   "Severity": "HIGH"}]}]}
JSON
`

/** Whether this docker client builds with BuildKit: buildx, or DOCKER_BUILDKIT=1 with the engine's. */
function buildsWithBuildkit(docker: string, scratch: string): boolean {
  if (spawnSync(docker, ['buildx', 'version'], { stdio: 'ignore' }).status === 0) return true
  const iid = join(scratch, `probe-${randomBytes(3).toString('hex')}`)
  const probe = spawnSync(docker, ['build', '-q', '--iidfile', iid, scratch], {
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    encoding: 'utf8',
  })
  if (probe.status !== 0) return false
  spawnSync(docker, ['image', 'rm', readFileSync(iid, 'utf8').trim()], { stdio: 'ignore' })
  return true
}

/** A folder whose `docker` is the first client that builds with BuildKit, to put first on PATH. */
function buildkitDockerBin(dir: string): string {
  const scratch = join(dir, 'probe')
  mkdirSync(scratch)
  writeFileSync(join(scratch, 'Dockerfile'), `FROM scratch\nLABEL probe=${run}\n`)
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'docker'))
    .filter((candidate) => spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0)
  const found = [...new Set([...onPath, '/usr/bin/docker'])].find((c) => buildsWithBuildkit(c, scratch))
  if (found === undefined) {
    throw new Error(
      "E2E prerequisite missing: a Docker client that builds with BuildKit (the buildx plugin, or a client such as Debian docker.io 20.10 that uses the engine's BuildKit with DOCKER_BUILDKIT=1). Install docker-buildx, or run `bash scripts/e2e/setup.sh`.",
    )
  }
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  symlinkSync(found, join(bin, 'docker'))
  return bin
}

let dir: string
let bin: string
const images: string[] = []

beforeAll(() => {
  requireDocker()
  requireCommand('docker', ['image', 'inspect', BASE_IMAGE], `the fixture base image ${BASE_IMAGE}`)
  requireCommand('git', ['--version'], 'git')
  dir = mkdtempSync(join(tmpdir(), 'bsi-buildkit-e2e-'))
  bin = buildkitDockerBin(dir)
  writeFileSync(join(dir, 'trivy'), STANDIN_TRIVY)
  chmodSync(join(dir, 'trivy'), 0o755)
}, 60_000)

afterAll(() => {
  for (const image of images) spawnSync('docker', ['image', 'rm', '-f', image], { stdio: 'ignore' })
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A git checkout of one commit, dated COMMIT_DATE, holding the Dockerfile. */
function checkout(name: string, dockerfile: string): string {
  const folder = join(dir, name)
  mkdirSync(folder)
  writeFileSync(join(folder, 'Dockerfile'), dockerfile)
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', ...args], {
      cwd: folder,
      env: { ...process.env, GIT_AUTHOR_DATE: COMMIT_DATE, GIT_COMMITTER_DATE: COMMIT_DATE },
    })
  git('init', '-q')
  git('add', 'Dockerfile')
  git('commit', '-q', '-m', 'image')
  return folder
}

/** A push of one fixed commit, the BuildKit client first on PATH. */
function job(options: StepOptions = {}): StepOptions {
  return {
    cwd: resolve(dir),
    github: {
      event_name: 'push',
      ref: 'refs/heads/e2e',
      sha: 'c0ffee'.padEnd(40, '0'),
      repository: 'acme/shop',
    },
    timeoutMs: 120_000,
    ...options,
    env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, ...options.env },
  }
}

const inspect = (reference: string) =>
  JSON.parse(execFileSync('docker', ['image', 'inspect', reference], { encoding: 'utf8' })) as [
    { Id: string; Config: { Labels: Record<string, string> } },
  ]

describe('build-and-scan-image with BuildKit on the real engine (issue 16)', () => {
  it('checks a build secret inside the build, and the value is in neither the log, the history nor the image', async () => {
    const digest = createHash('sha256').update(SECRET).digest('hex')
    const folder = checkout(
      'secret',
      `FROM ${BASE_IMAGE}\n` +
        `RUN --mount=type=secret,id=pip_token test "$(sha256sum < /run/secrets/pip_token | cut -d' ' -f1)" = "${digest}" && echo ${run} > /checked\n` +
        'USER 10001\nHEALTHCHECK CMD true\n',
    )
    const image = `bsi-e2e-secret-${run}`
    images.push(`${image}:x`)
    const result = await runStep(
      'build-and-scan-image',
      { image, context: folder, tags: 'x', scan: 'false', secrets: `pip_token=${SECRET}` },
      job(),
    )
    expect(result.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    // The RUN that compared the secret's hash ran (it fails the build otherwise: see below).
    const history = execFileSync('docker', ['history', '--no-trunc', `${image}:x`], { encoding: 'utf8' })
    expect(history).toContain(digest)
    expect(history).not.toContain(SECRET)
    expect(JSON.stringify(inspect(`${image}:x`))).not.toContain(SECRET)
    expect(result.log).not.toContain(SECRET)
    // Not even the raw process output has it, except the mask command that registers it.
    const raw = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.includes(SECRET))
    expect(raw.filter((line) => !line.startsWith('::add-mask::'))).toEqual([])

    // The check is real: a wrong value fails the build at that line. A secret is no part of
    // BuildKit's cache key, so without no-cache the step would come from the cache.
    const wrong = await runStep(
      'build-and-scan-image',
      {
        image,
        context: folder,
        tags: 'wrong',
        scan: 'false',
        'no-cache': 'true',
        secrets: 'pip_token=not-the-secret',
      },
      job(),
    )
    expect(wrong.exitCode).toBe(1)
    expect(wrong.errors.at(-1)).toMatch(/^Build failed at \S*Dockerfile:2 /)
  }, 180_000)

  it('builds the same commit twice into the same image ID, dated by the commit', async () => {
    const folder = checkout(
      'reproducible',
      `FROM ${BASE_IMAGE}\nRUN echo ${run} > /built-from\nUSER 10001\nHEALTHCHECK CMD true\n`,
    )
    const image = `bsi-e2e-repro-${run}`
    images.push(`${image}:x`)
    const build = () =>
      runStep(
        'build-and-scan-image',
        { image, context: folder, tags: 'x', scan: 'false' },
        job({ env: { DOCKER_BUILDKIT: '1' } }),
      )
    const first = await build()
    expect(first.errors).toEqual([])
    // A second apart at least, so a build-time label would differ.
    await new Promise((r) => setTimeout(r, 1100))
    const second = await build()
    expect(second.errors).toEqual([])
    expect(first.outputs['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(second.outputs['image-id']).toBe(first.outputs['image-id'])
    const [info] = inspect(`${image}:x`)
    expect(info.Config.Labels['org.opencontainers.image.created']).toBe('2024-05-01T12:00:00.000Z')
  }, 180_000)

  it('asks Trivy for vuln and secret, and keeps the unfixed finding in the SARIF file', async () => {
    const folder = checkout('scan', `FROM ${BASE_IMAGE}\nUSER 10001\nHEALTHCHECK CMD true\n`)
    const image = `bsi-e2e-scan-${run}`
    images.push(`${image}:x`)
    const sarifFile = join(dir, 'scan.sarif')
    const result = await runStep(
      'build-and-scan-image',
      { image, context: folder, tags: 'x', 'trivy-path': join(dir, 'trivy'), 'sarif-file': sarifFile },
      job(),
    )
    // One HIGH with a fix counts (and fails the HIGH gate); the unfixed one does not.
    expect(result.exitCode).toBe(1)
    expect(result.errors.at(-1)).toMatch(/^1 vulnerability at or above HIGH \(CRITICAL 0, HIGH 1\)/)
    expect(result.outputs.vulnerabilities).toBe('{"CRITICAL":0,"HIGH":1,"MEDIUM":0,"LOW":0,"UNKNOWN":0}')
    const trivyCalls = readFileSync(join(dir, 'trivy.log'), 'utf8').split('\n')
    expect(trivyCalls.find((line) => line.startsWith('image '))).toMatch(/^image --scanners vuln,secret /)
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as {
      runs: { results: { ruleId: string; properties?: { unfixed?: boolean } }[] }[]
    }
    expect(sarif.runs[0]?.results.map((r) => [r.ruleId, r.properties?.unfixed ?? false])).toEqual([
      ['CVE-2024-11111', false],
      ['CVE-2024-22222', true],
    ])
  }, 180_000)
})
