// How soon smoke-test sees a target come up: the time from the moment the target starts
// answering correctly to the moment it serves the check's first passing request, with the
// default retry-interval (1s). Two ways a deploy comes up: the port opens (refused until then),
// or a proxy answers 503 until the app is ready.
// Then the load check's throughput beside autocannon's (support/load.ts).
import http from 'node:http'
import { runAction } from '../../test/helpers/run-action.js'
import { freePort } from '../../test/helpers/servers.js'
import { compareWithAutocannon } from './support/load.js'
import { median } from './support/stats.js'

async function lagWhenPortOpens(delayMs: number): Promise<number> {
  const port = await freePort()
  let firstOkAt = 0
  const server = http.createServer((_req, res) => {
    if (firstOkAt === 0) firstOkAt = performance.now()
    res.end('ok')
  })
  const run = runAction('smoke-test', { url: `http://127.0.0.1:${port}/`, timeout: '30s' })
  await new Promise((resolve) => setTimeout(resolve, delayMs))
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  const readyAt = performance.now()
  const result = await run
  server.close()
  if (result.exitCode !== 0) throw new Error(`smoke-test failed: ${result.errors.join('; ')}`)
  return firstOkAt - readyAt
}

async function lagWhen503Ends(delayMs: number): Promise<number> {
  const port = await freePort()
  let readyAt = Infinity
  let firstOkAt = 0
  const server = http.createServer((_req, res) => {
    if (performance.now() < readyAt) {
      res.statusCode = 503
      return res.end('starting')
    }
    if (firstOkAt === 0) firstOkAt = performance.now()
    res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  const started = performance.now()
  readyAt = started + delayMs
  const result = await runAction('smoke-test', { url: `http://127.0.0.1:${port}/`, timeout: '30s' })
  server.close()
  if (result.exitCode !== 0) throw new Error(`smoke-test failed: ${result.errors.join('; ')}`)
  return firstOkAt - readyAt
}

export default async function bench() {
  const delays = [1800, 2100, 2400, 2700, 3000]
  const portLags: number[] = []
  const okLags: number[] = []
  for (const delay of delays) portLags.push(await lagWhenPortOpens(delay))
  for (const delay of delays) okLags.push(await lagWhen503Ends(delay))
  const fmt = (values: number[]) =>
    `${(median(values) / 1000).toFixed(2)} s (max ${(Math.max(...values) / 1000).toFixed(2)} s)`
  const load = await compareWithAutocannon()
  const same = `${load.requests} requests, concurrency ${load.concurrency}, median of ${load.rounds}`
  return [
    {
      metric: 'first success after the port opens (median of 5, defaults)',
      value: fmt(portLags),
      target: '≤ 0.5 s',
    },
    {
      metric: 'first success after 503s end (median of 5, defaults)',
      value: fmt(okLags),
      target: 'backs off, ≤ 10 s cap',
    },
    { metric: `load check req/s (${same})`, value: load.oursRps.toFixed(0) },
    { metric: `autocannon req/s (same target, ${same})`, value: load.autocannonRps.toFixed(0) },
    {
      metric: `load check / autocannon (median of the rounds' ratios: ${load.ratios.map((r) => r.toFixed(2)).join(', ')})`,
      value: `${load.ratio.toFixed(2)}×`,
      target: '≥ 0.8×',
    },
  ]
}
