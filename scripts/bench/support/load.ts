// smoke-test's load check side by side with autocannon (the tool a user would otherwise reach
// for), against the same local target: a plain node:http server in its own process, so neither
// load generator shares a core with it. Each tool runs in its own process too (ours as the
// committed bundle through runAction, autocannon through its CLI with --json), with the same
// request count and concurrency, rounds interleaved so a noisy neighbour hits both alike.
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { runProcess } from '../../../test/helpers/runner/process.js'
import { runAction } from '../../../test/helpers/run-action.js'
import { median } from './stats.js'

const TARGET = `
const http = require('node:http')
const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'text/plain')
  res.end('ok')
})
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'))
`

interface Target {
  url: string
  child: ChildProcess
}

async function startTarget(): Promise<Target> {
  const child = spawn(process.execPath, ['-e', TARGET], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject)
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))
  })
  return { url: `http://127.0.0.1:${port}/`, child }
}

/** Requests per second of one smoke-test load check, as the action reports it. */
async function ours(url: string, requests: number, concurrency: number): Promise<number> {
  const checks = `- name: load\n  url: ${url}\n  load: {requests: ${requests}, concurrency: ${concurrency}}`
  const run = await runAction('smoke-test', { checks, timeout: '120s' })
  if (run.exitCode !== 0) throw new Error(`smoke-test failed: ${run.errors.join('; ')}`)
  const [result] = JSON.parse(run.outputs.results ?? '[]') as { load?: { rps: number; requests: number } }[]
  if (result?.load?.requests !== requests)
    throw new Error(`smoke-test sent ${result?.load?.requests} requests`)
  return result.load.rps
}

/** Requests per second of autocannon's CLI with the same count and connections (completed / elapsed). */
async function autocannon(url: string, requests: number, concurrency: number): Promise<number> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js')
  const args = [cli, '--json', '-L', '10', '-c', String(concurrency), '-a', String(requests), url]
  const env = { PATH: process.env.PATH, HOME: process.env.HOME }
  const run = await runProcess(process.execPath, args, { env, cwd: process.cwd(), timeoutMs: 120_000 })
  if (run.exitCode !== 0) throw new Error(`autocannon failed: ${run.stderr}`)
  const report = JSON.parse(run.stdout) as { requests: { total: number }; duration: number; non2xx: number }
  if (report.requests.total < requests || report.non2xx > 0)
    throw new Error(`autocannon: ${report.requests.total} requests, ${report.non2xx} not 2xx`)
  return report.requests.total / report.duration
}

export interface LoadComparison {
  requests: number
  concurrency: number
  rounds: number
  oursRps: number
  autocannonRps: number
  /** Median of each round's ours / autocannon (runs side by side share the machine's load). */
  ratio: number
  ratios: number[]
}

/** Medians of `rounds` interleaved runs of each. */
export async function compareWithAutocannon(
  requests = 50_000,
  concurrency = 10,
  rounds = 5,
): Promise<LoadComparison> {
  const target = await startTarget()
  try {
    // Warm the target up first (its JIT), so the first tool measured is not the one that paid for it.
    await autocannon(target.url, requests, concurrency)
    const mine: number[] = []
    const theirs: number[] = []
    for (let round = 0; round < rounds; round++) {
      mine.push(await ours(target.url, requests, concurrency))
      theirs.push(await autocannon(target.url, requests, concurrency))
    }
    const ratios = mine.map((rps, i) => rps / (theirs[i] ?? NaN))
    return {
      requests,
      concurrency,
      rounds,
      oursRps: median(mine),
      autocannonRps: median(theirs),
      ratio: median(ratios),
      ratios,
    }
  } finally {
    target.child.kill()
  }
}
