// push-to-ecr figures, running the built bundle as the runner does: how fast a misconfigured step
// fails (no AWS call, no SDK load), and, when a Docker engine and Debian's docker-registry are
// here, the wall time of a first push (repository created, image pushed under two tags) and of a
// re-run that finds both tags already there, against the fake ECR API and a real local registry.
// Run from the repository root (npm run bench).
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startFakeEcr } from '../../test/fakes/ecr.js'
import { startLocalRegistry } from '../../test/fakes/local-registry.js'

const FAIL_RUNS = 9
const PUSH_RUNS = 3

function bundlePath(): string {
  const bundle = resolve(process.cwd(), 'dist', 'push-to-ecr', 'index.js')
  if (!existsSync(bundle))
    throw new Error(`${bundle} is missing: run the bench from the repository root after npm run build`)
  return bundle
}

/** Runs the bundle with INPUT_* and extra env; resolves with its exit code and wall time. */
function runBundle(
  inputs: Record<string, string>,
  extra: Record<string, string>,
): Promise<{ exitCode: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ecr-'))
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'sum'),
    GITHUB_STATE: join(dir, 'state'),
    ...extra,
  }
  for (const file of ['out', 'sum', 'state']) writeFileSync(join(dir, file), '')
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const started = process.hrtime.bigint()
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bundlePath()], { env, stdio: 'ignore' })
    child.on('error', reject)
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true })
      resolvePromise({ exitCode: code ?? 1, ms: Number(process.hrtime.bigint() - started) / 1e6 })
    })
  })
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

async function failFast(): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < FAIL_RUNS; i++) {
    const run = await runBundle({ image: 'web:1', repository: 'Not/Valid' }, { AWS_REGION: 'us-east-1' })
    if (run.exitCode !== 1) throw new Error(`a misconfigured run exited ${run.exitCode}, expected 1`)
    times.push(run.ms)
  }
  return median(times)
}

function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 })
    execFileSync('docker-registry', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** First pushes (new repository, two tags) and re-runs (both tags skipped), median wall times. */
async function pushes(): Promise<{ first: number; rerun: number }> {
  const registry = await startLocalRegistry()
  const ecr = await startFakeEcr(registry)
  const work = mkdtempSync(join(tmpdir(), 'bench-ecr-work-'))
  const images: string[] = []
  const env = {
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ACCESS_KEY_ID: ecr.accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    DOCKER_CONFIG: join(work, 'docker-config'),
  }
  const first: number[] = []
  const rerun: number[] = []
  try {
    for (let i = 0; i < PUSH_RUNS; i++) {
      const id = randomBytes(4).toString('hex')
      const dir = join(work, id)
      mkdirSync(dir)
      writeFileSync(join(dir, 'hello.txt'), `bench ${id}\n`)
      execFileSync('tar', ['-cf', `${dir}.tar`, '-C', dir, '.'])
      const image = `devops-actions-ecr-bench-${id}:v1`
      execFileSync('docker', ['import', `${dir}.tar`, image], { stdio: 'ignore' })
      images.push(image)
      const inputs = { image, repository: `bench/web-${id}`, tags: 'v1,latest' }
      for (const times of [first, rerun]) {
        const run = await runBundle(inputs, env)
        if (run.exitCode !== 0) throw new Error(`push run exited ${run.exitCode}`)
        times.push(run.ms)
      }
    }
  } finally {
    for (const image of images) {
      const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
        encoding: 'utf8',
      })
      execFileSync('docker', ['image', 'rm', '-f', id.trim()], { stdio: 'ignore' })
    }
    await ecr.close()
    await registry.close()
    rmSync(work, { recursive: true, force: true })
  }
  return { first: median(first), rerun: median(rerun) }
}

export default async function bench(): Promise<{ metric: string; value: string; target?: string }[]> {
  const rows: { metric: string; value: string; target?: string }[] = [
    {
      metric: `push-to-ecr: misconfigured step to its error (median of ${FAIL_RUNS})`,
      value: `${Math.round(await failFast())} ms`,
      target: '< 300 ms (no SDK load, no AWS call)',
    },
  ]
  if (!dockerAvailable()) {
    rows.push({
      metric: 'push-to-ecr: push against fake ECR + local registry',
      value: 'not measured: no Docker engine or docker-registry here',
    })
    return rows
  }
  const { first, rerun } = await pushes()
  rows.push(
    {
      metric: `push-to-ecr: first push, repository created, 2 tags (median of ${PUSH_RUNS})`,
      value: `${Math.round(first)} ms`,
    },
    {
      metric: `push-to-ecr: re-run, both tags already there (median of ${PUSH_RUNS})`,
      value: `${Math.round(rerun)} ms`,
    },
  )
  return rows
}
