// push-to-ecr figures, running the built bundle as the runner does: how fast a misconfigured step
// fails (no AWS call, no SDK load), and, when a Docker engine and Debian's docker-registry are
// here, the wall time of a first push (repository created, image pushed under two tags) and of a
// re-run that finds both tags already there, against the fake ECR API and a real local registry,
// side by side with what a workflow would otherwise run: docker login, two tags, two pushes.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeEcr } from '../../test/fakes/ecr.js'
import { startLocalRegistry, type LocalRegistry } from '../../test/fakes/local-registry.js'
import { runAction } from '../../test/helpers/run-action.js'
import { median } from './support/stats.js'

const FAIL_RUNS = 9
const PUSH_RUNS = 3

/** Runs the committed bundle as the runner does; resolves with its exit code and wall time. */
async function runBundle(inputs: Record<string, string>, env: Record<string, string>) {
  const run = await runAction('push-to-ecr', inputs, { env })
  return { exitCode: run.exitCode, ms: run.durationMs }
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

/** The same push by hand: `docker login` (password on stdin), then tag and push each tag. */
function byHand(registry: LocalRegistry, image: string, repository: string, env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint()
  const docker = (args: string[], input?: string) =>
    execFileSync('docker', args, {
      input,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    })
  docker(['login', '--username', registry.username, '--password-stdin', registry.host], registry.password)
  for (const tag of ['v1', 'latest']) {
    docker(['image', 'tag', image, `${registry.host}/${repository}:${tag}`])
    docker(['image', 'push', `${registry.host}/${repository}:${tag}`])
  }
  return Number(process.hrtime.bigint() - started) / 1e6
}

/** First pushes (new repository, two tags), re-runs (both tags skipped) and the same by hand, median wall times. */
async function pushes(): Promise<{ first: number; rerun: number; hand: number }> {
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
  const hand: number[] = []
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
      hand.push(byHand(registry, image, `bench/hand-${id}`, env))
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
  return { first: median(first), rerun: median(rerun), hand: median(hand) }
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
  const { first, rerun, hand } = await pushes()
  rows.push(
    {
      metric: `push-to-ecr: first push, repository created, 2 tags (median of ${PUSH_RUNS})`,
      value: `${Math.round(first)} ms`,
    },
    {
      metric: `push-to-ecr: re-run, both tags already there (median of ${PUSH_RUNS})`,
      value: `${Math.round(rerun)} ms`,
    },
    {
      metric: `by hand: docker login, 2 tags, 2 pushes to a new repository (median of ${PUSH_RUNS})`,
      value: `${Math.round(hand)} ms`,
    },
  )
  return rows
}
