// Measures ecs-blue-green-deploy against the fake ECS, side by side with what a user would
// otherwise run, amazon-ecs-deploy-task-definition (its dist bundle, found through
// ECS_DEPLOY_TASK_DEFINITION_BUNDLE; it is not part of this repository):
//  - completion lag: how long after the fake finished a deployment each tool saw it and exited,
//    rolling and blue/green, the same deployment (stages adding up to ~1.8 s);
//  - five services deployed together vs one alone (wall time);
//  - describe calls per minute: over a real one-minute bake, and over a simulated ten-minute
//    deployment (the action's own code on a fake clock, the fake ECS on the same clock).
// Runs the built bundles as the runner does.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { FakeEcs, ROLLING_WORKER, type FakeEcsOptions } from '../../test/fakes/ecs.js'
import { fakeClock } from '../../test/helpers/clock.js'
import { inputsOf, recordingIO } from '../../test/helpers/io.js'
import { createEcsApi, parseEcsDeployOptions, runEcsDeploy } from '../../src/ecs-blue-green-deploy/api.js'

type Row = { metric: string; value: string; target?: string }

// Run from the repository root (npm run bench); the compiled module may live elsewhere.
const fromCwd = join(process.cwd(), 'dist', 'ecs-blue-green-deploy', 'index.js')
const bundle = existsSync(fromCwd)
  ? fromCwd
  : join(resolve(new URL('../..', import.meta.url).pathname), 'dist', 'ecs-blue-green-deploy', 'index.js')
const reference = process.env.ECS_DEPLOY_TASK_DEFINITION_BUNDLE

const DESCRIBES = new Set(['DescribeServiceDeployments', 'DescribeServices'])
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

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

/** Runs a bundle with INPUT_* variables and fresh runner files; returns its exit code, wall time and exit time. */
async function runBundle(
  path: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<{ code: number; ms: number; exitedAt: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ecs-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_STATE: join(dir, 'state'),
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: dir,
    ...files,
    ...env,
  }
  for (const [name, value] of Object.entries(inputs)) childEnv[`INPUT_${name.toUpperCase()}`] = value
  const started = performance.now()
  try {
    const code = await new Promise<number>((done, fail) => {
      const child = spawn(process.execPath, [path], { env: childEnv, stdio: 'ignore' })
      child.on('error', fail)
      child.on('close', (exit) => done(exit ?? 1))
    })
    return { code, ms: performance.now() - started, exitedAt: Date.now() }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

interface Sample {
  /** From the fake finishing the deployment to the tool's process exiting. */
  exitLag: number
  /** From the fake finishing it to the first describe answer showing it finished. */
  seenLag: number
  wallMs: number
  describes: number
}

type Mode = 'rolling' | 'blue-green'

/** One deployment of `web` on a fresh fake, by our bundle or the reference's. */
async function deployOnce(tool: 'ours' | 'reference', mode: Mode, stageMs: number): Promise<Sample> {
  const fake = new FakeEcs({ stageMs })
  await fake.start()
  const dir = mkdtempSync(join(tmpdir(), 'bench-td-'))
  try {
    const definition = { family: 'web', containerDefinitions: [{ name: 'web', image: 'web:1' }] }
    const td = fake.addTaskDefinition(definition)
    fake.addService({ serviceName: 'web', taskDefinition: td, ...(mode === 'rolling' ? ROLLING_WORKER : {}) })
    const run =
      tool === 'ours'
        ? await runBundle(bundle, { service: 'web', image: 'web:2' }, fake.env())
        : await runReference(fake, dir, definition)
    const deployment = fake.deploymentsOf('web')[0]
    const reached = deployment?.reached.SUCCESSFUL
    const seen = tool === 'ours' ? deployment?.firstShown.SUCCESSFUL : deployment?.firstShownSteady
    if (run.code !== 0 || reached === undefined || seen === undefined) {
      throw new Error(`${tool} ${mode} deployment did not succeed (exit ${run.code})`)
    }
    return {
      exitLag: run.exitedAt - reached,
      seenLag: seen - reached,
      wallMs: run.ms,
      describes: fake.calls.filter((c) => DESCRIBES.has(c.operation)).length,
    }
  } finally {
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function runReference(fake: FakeEcs, dir: string, definition: Record<string, unknown>) {
  const file = join(dir, 'task-definition.json')
  writeFileSync(
    file,
    JSON.stringify({ ...definition, containerDefinitions: [{ name: 'web', image: 'web:2' }] }),
  )
  return runBundle(
    reference as string,
    { 'task-definition': file, service: 'web', cluster: 'default', 'wait-for-service-stability': 'true' },
    fake.env(),
  )
}

/** Deployments of ~1.8 s (12 stages of 150 ms blue/green, 6 of 300 ms rolling), at three phases. */
async function lagRows(mode: Mode): Promise<Row[]> {
  const stages = mode === 'rolling' ? [290, 300, 310] : [145, 150, 155]
  const ours: Sample[] = []
  const theirs: Sample[] = []
  for (const stageMs of stages) {
    ours.push(await deployOnce('ours', mode, stageMs))
    if (reference !== undefined) theirs.push(await deployOnce('reference', mode, stageMs))
  }
  const describe = (samples: Sample[]) =>
    `seen after ${seconds(Math.max(...samples.map((s) => s.seenLag)))}, exited after ${seconds(Math.max(...samples.map((s) => s.exitLag)))} (worst of 3); wall ${seconds(median(samples.map((s) => s.wallMs)))}; ${median(samples.map((s) => s.describes))} describe calls`
  return [
    {
      metric: `ecs-blue-green-deploy: ${mode} deployment of ~1.8 s, completion lag`,
      value: describe(ours),
      target: 'seen ≤ 1.5 s',
    },
    {
      metric: `amazon-ecs-deploy-task-definition: the same ${mode} deployment`,
      value:
        theirs.length > 0
          ? describe(theirs)
          : 'not measured: set ECS_DEPLOY_TASK_DEFINITION_BUNDLE to its dist/index.js',
    },
  ]
}

/** Web (blue/green) and four rolling services deployed together, against web alone. */
async function fiveVersusOne(): Promise<Row[]> {
  const run = async (count: number): Promise<number> => {
    const fake = new FakeEcs({ stageMs: 150 })
    await fake.start()
    try {
      const names = ['web', 'worker', 'beat', 'flower', 'mailer'].slice(0, count)
      for (const name of names) {
        const td = fake.addTaskDefinition({
          family: name,
          containerDefinitions: [{ name, image: `${name}:1` }],
        })
        fake.addService({ serviceName: name, taskDefinition: td, ...(name === 'web' ? {} : ROLLING_WORKER) })
      }
      const result = await runBundle(bundle, { services: names.join(','), image: 'app:2' }, fake.env())
      if (result.code !== 0) throw new Error(`deploying ${count} services failed`)
      return result.ms
    } finally {
      await fake.close()
    }
  }
  const one: number[] = []
  const five: number[] = []
  for (let i = 0; i < 3; i++) {
    one.push(await run(1))
    five.push(await run(5))
  }
  return [
    {
      metric: 'ecs-blue-green-deploy: 5 services (web + 4 rolling) together vs web alone (median of 3)',
      value: `${seconds(median(five))} vs ${seconds(median(one))}: ${(median(five) / median(one)).toFixed(2)}×`,
      target: '≤ 1.3×',
    },
  ]
}

/** Describe calls per minute of a real run with a one-minute bake: overall and during the bake. */
async function bakeRate(): Promise<Row[]> {
  const fake = new FakeEcs({ stageMs: 500, bakeMs: (minutes) => minutes * 60_000 })
  await fake.start()
  try {
    const td = fake.addTaskDefinition({
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'web:1' }],
    })
    fake.addService({ serviceName: 'web', taskDefinition: td })
    const run = await runBundle(bundle, { service: 'web', image: 'web:2', 'bake-time': '1m' }, fake.env())
    if (run.code !== 0) throw new Error('bake run failed')
    const calls = fake.calls.filter((c) => c.operation === 'DescribeServiceDeployments')
    const first = calls[0]?.at ?? 0
    const last = calls[calls.length - 1]?.at ?? 0
    const d = fake.deploymentsOf('web')[0]
    const bakeStart = (d?.reached.IN_PROGRESS ?? 0) + 9 * 500
    const inBake = calls.filter((c) => c.at >= bakeStart + 5000 && c.at <= bakeStart + 55_000).length
    return [
      {
        metric:
          'ecs-blue-green-deploy: describe calls per minute, blue/green with a 1-minute bake (real time)',
        value: `${((calls.length / (last - first)) * 60_000).toFixed(0)}/min overall (${calls.length} in ${seconds(last - first)}); ${((inBake / 50_000) * 60_000).toFixed(0)}/min inside the bake; SUCCESSFUL seen after ${seconds((d?.firstShown.SUCCESSFUL ?? NaN) - (d?.reached.SUCCESSFUL ?? NaN))}`,
        target: '≤ 60/min',
      },
    ]
  } finally {
    await fake.close()
  }
}

/** The action's own code on a fake clock: a ten-minute blue/green deployment of three services. */
async function simulatedRate(): Promise<Row[]> {
  const clock = fakeClock(Date.now())
  const options: FakeEcsOptions = { stageMs: 30_250, bakeMs: (minutes) => minutes * 60_000, now: clock.now }
  const fake = new FakeEcs(options)
  await fake.start()
  try {
    for (const name of ['web', 'worker', 'beat']) {
      const td = fake.addTaskDefinition({
        family: name,
        containerDefinitions: [{ name, image: `${name}:1` }],
      })
      fake.addService({ serviceName: name, taskDefinition: td, ...(name === 'web' ? {} : ROLLING_WORKER) })
    }
    const saved = { ...process.env }
    Object.assign(process.env, fake.env())
    const io = recordingIO()
    const options = await parseEcsDeployOptions(
      inputsOf({ services: 'web,worker,beat', image: 'app:2', 'bake-time': '5m' }),
      { readFile: () => '', env: process.env },
    )
    const result = await runEcsDeploy(
      {
        io,
        ecs: createEcsApi,
        http: async () => ({ status: 200, headers: {}, body: '', url: '' }),
        sleep: clock.sleep,
        now: clock.now,
        random: Math.random,
      },
      options,
    )
    for (const name of Object.keys(fake.env())) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
    if (result.failure !== undefined || result.status !== 'SUCCESSFUL')
      throw new Error(`simulated run failed: ${result.status}`)
    const calls = fake.calls.filter((c) => DESCRIBES.has(c.operation))
    const span = (calls[calls.length - 1]?.at ?? 0) - (calls[0]?.at ?? 0)
    const web = fake.deploymentsOf('web')[0]
    const lag = (web?.firstShown.SUCCESSFUL ?? NaN) - (web?.reached.SUCCESSFUL ?? NaN)
    return [
      {
        metric:
          'ecs-blue-green-deploy: describe calls per minute, simulated 3 services, 30 s stages and a 5-minute bake',
        value: `${((calls.length / span) * 60_000).toFixed(1)}/min (${calls.length} calls over ${(span / 60_000).toFixed(1)} min); SUCCESSFUL seen after ${seconds(lag)}`,
        target: '≤ 60/min',
      },
    ]
  } finally {
    await fake.close()
  }
}

/** How fast a misconfigured step fails, interleaved with bare `node -e 0` runs. */
async function failFast(): Promise<Row[]> {
  const bare: number[] = []
  const badInput: number[] = []
  const missingService: number[] = []
  const fake = new FakeEcs()
  await fake.start()
  try {
    for (let i = 0; i < 9; i++) {
      bare.push(await runNode(['-e', '0']))
      const bad = await runBundle(
        bundle,
        { service: 'web', strategy: 'big-bang' },
        { AWS_REGION: 'us-east-1' },
      )
      if (bad.code !== 1) throw new Error('misconfigured run did not fail')
      badInput.push(bad.ms)
      const missing = await runBundle(bundle, { service: 'nope', image: 'web:2' }, fake.env())
      if (missing.code !== 1) throw new Error('run against a missing service did not fail')
      missingService.push(missing.ms)
    }
  } finally {
    await fake.close()
  }
  const above = (values: number[]) => `${Math.round(median(values) - median(bare))} ms above bare node`
  return [
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

export default async function bench(): Promise<Row[]> {
  return [
    ...(await lagRows('rolling')),
    ...(await lagRows('blue-green')),
    ...(await fiveVersusOne()),
    ...(await bakeRate()),
    ...(await simulatedRate()),
    ...(await failFast()),
  ]
}
