// Measures ecs-blue-green-deploy against the fake ECS: how long after a deployment reaches
// SUCCESSFUL the action sees it with the default poll interval, and how fast a misconfigured step
// fails. Runs the built bundle as the runner does.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { FakeEcs } from '../../test/fakes/ecs.js'

// Run from the repository root (npm run bench); the compiled module may live elsewhere.
const fromCwd = join(process.cwd(), 'dist', 'ecs-blue-green-deploy', 'index.js')
const bundle = existsSync(fromCwd)
  ? fromCwd
  : join(resolve(new URL('../..', import.meta.url).pathname), 'dist', 'ecs-blue-green-deploy', 'index.js')

async function runNode(args: string[]): Promise<number> {
  const started = performance.now()
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: 'ignore',
    })
    child.on('error', fail)
    child.on('close', () => done())
  })
  return performance.now() - started
}

async function runBundle(
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<{ code: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ecs-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_STATE: join(dir, 'state'),
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...files, ...env }
  for (const [name, value] of Object.entries(inputs)) childEnv[`INPUT_${name.toUpperCase()}`] = value
  const started = performance.now()
  try {
    const code = await new Promise<number>((done, fail) => {
      const child = spawn(process.execPath, [bundle], { env: childEnv, stdio: 'ignore' })
      child.on('error', fail)
      child.on('close', (exit) => done(exit ?? 1))
    })
    return { code, ms: performance.now() - started }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

export default async function bench(): Promise<{ metric: string; value: string; target?: string }[]> {
  const lags: number[] = []
  // Stage lengths vary so the deployment ends at different points of the 5 s poll cycle.
  for (const stageMs of [230, 410, 590]) {
    const fake = new FakeEcs({ stageMs })
    await fake.start()
    try {
      const td = fake.addTaskDefinition({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'web:1' }],
      })
      fake.addService({ serviceName: 'web', taskDefinition: td })
      const run = await runBundle({ service: 'web', image: 'web:2', 'bake-time': '0' }, fake.env())
      const deployment = [...fake.deployments.values()][0]
      const { reached, shown } = fake.timing(deployment?.arn ?? '', 'SUCCESSFUL')
      if (run.code !== 0 || reached === undefined || shown === undefined)
        throw new Error('bench deployment did not succeed')
      lags.push(shown - reached)
    } finally {
      await fake.close()
    }
  }
  // Interleaved with bare `node -e 0` runs, so the figure above bare node is fair on a busy machine.
  const bare: number[] = []
  const badInput: number[] = []
  const missingService: number[] = []
  const fake = new FakeEcs()
  await fake.start()
  try {
    for (let i = 0; i < 9; i++) {
      bare.push(await runNode(['-e', '0']))
      const bad = await runBundle({ service: 'web', strategy: 'big-bang' }, { AWS_REGION: 'us-east-1' })
      if (bad.code !== 1) throw new Error('misconfigured run did not fail')
      badInput.push(bad.ms)
      const missing = await runBundle({ service: 'nope', image: 'web:2' }, fake.env())
      if (missing.code !== 1) throw new Error('run against a missing service did not fail')
      missingService.push(missing.ms)
    }
  } finally {
    await fake.close()
  }
  const above = (values: number[]) => `${Math.round(median(values) - median(bare))} ms above bare node`
  return [
    {
      metric: 'ecs-blue-green-deploy: SUCCESSFUL seen after (default poll-interval 5s, worst of 3)',
      value: `${(Math.max(...lags) / 1000).toFixed(2)} s (samples ${lags.map((l) => (l / 1000).toFixed(2)).join(', ')} s)`,
      target: '≤ 5 s',
    },
    {
      metric: 'ecs-blue-green-deploy: a bad input fails in (median of 9, SDK not loaded)',
      value: `${Math.round(median(badInput))} ms (${above(badInput)})`,
    },
    {
      metric:
        'ecs-blue-green-deploy: a missing service fails in (median of 9, SDK loaded, one DescribeServices)',
      value: `${Math.round(median(missingService))} ms (${above(missingService)})`,
    },
  ]
}
