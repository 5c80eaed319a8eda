// deploy figures, running the built bundle as the runner does: how fast a misconfigured step fails
// (every phase's inputs checked, no SDK loaded, nothing built), and the overhead of chaining in one
// process: the Render target (deploy → smoke test, no build) against the fake Render API, next to
// render-deploy and smoke-test run as two steps against the same fake.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { startFakeRender } from '../../test/fakes/render.js'
import { runAction } from '../../test/helpers/run-action.js'
import { median } from './support/stats.js'

const FAIL_RUNS = 9
const CHAIN_RUNS = 5

async function failFast(): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < FAIL_RUNS; i++) {
    const run = await runAction(
      'deploy',
      {
        target: 'ecs',
        repository: 'team/web',
        service: 'web',
        url: 'https://x.example/',
        'bake-time': '90s',
      },
      { env: { AWS_REGION: 'us-east-1' } },
    )
    if (run.exitCode !== 1) throw new Error(`a misconfigured run exited ${run.exitCode}, expected 1`)
    times.push(run.durationMs)
  }
  return median(times)
}

async function renderChains(): Promise<{ oneStep: number; twoSteps: number }> {
  const app = http.createServer((_req, res) => res.end('ok'))
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/`
  const render = await startFakeRender({ steps: [['live', 0]] })
  render.addService({ id: 'srv-bench', url: appUrl })
  const deployInputs = {
    'service-id': 'srv-bench',
    'api-key': render.apiKey,
    'api-url': render.apiUrl,
    'poll-interval': '100ms',
  }
  const oneStep: number[] = []
  const twoSteps: number[] = []
  try {
    for (let i = 0; i < CHAIN_RUNS; i++) {
      const one = await runAction('deploy', { target: 'render', ...deployInputs })
      if (one.exitCode !== 0) throw new Error(`deploy exited ${one.exitCode}: ${one.errors.join('; ')}`)
      oneStep.push(one.durationMs)
      const first = await runAction('render-deploy', deployInputs)
      const second = await runAction('smoke-test', { url: first.outputs['service-url'] ?? '' })
      if (first.exitCode !== 0 || second.exitCode !== 0) throw new Error('render-deploy or smoke-test failed')
      twoSteps.push(first.durationMs + second.durationMs)
    }
  } finally {
    await render.close()
    await new Promise<void>((resolve) => app.close(() => resolve()))
  }
  return { oneStep: median(oneStep), twoSteps: median(twoSteps) }
}

export default async function bench(): Promise<{ metric: string; value: string; target?: string }[]> {
  const { oneStep, twoSteps } = await renderChains()
  return [
    {
      metric: `deploy: misconfigured step to its error, all phases validated (median of ${FAIL_RUNS})`,
      value: `${Math.round(await failFast())} ms`,
      target: '< 300 ms (no SDK load, nothing built)',
    },
    {
      metric: `deploy target render, deploy + smoke test in one step, fake Render (median of ${CHAIN_RUNS})`,
      value: `${Math.round(oneStep)} ms`,
    },
    {
      metric: `render-deploy then smoke-test as two steps, same fake (median of ${CHAIN_RUNS})`,
      value: `${Math.round(twoSteps)} ms`,
    },
  ]
}
