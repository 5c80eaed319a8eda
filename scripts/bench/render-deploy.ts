// render-deploy figures against the local fake Render API, running the built bundle as the runner
// does: how long after a deploy's status changes on "Render" the step prints it, and how fast a
// misconfigured step fails. Run from the repository root (npm run bench).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startFakeRender } from '../../test/fakes/render.js'

const RUNS = 5
// Shorter than the 5s default so the bench takes seconds, not minutes; the bound it checks,
// poll-interval + 1 s, scales with the interval.
const POLL_INTERVAL_MS = 1000

function bundlePath(): string {
  const bundle = resolve(process.cwd(), 'dist', 'render-deploy', 'index.js')
  if (!existsSync(bundle))
    throw new Error(`${bundle} is missing: run the bench from the repository root after npm run build`)
  return bundle
}

interface Line {
  text: string
  at: number
}

/** Runs the bundle with the given inputs, timestamping each stdout line as it arrives. */
function runBundle(inputs: Record<string, string>): Promise<{ lines: Line[]; exitCode: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-render-'))
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'sum'),
  }
  writeFileSync(join(dir, 'out'), '')
  writeFileSync(join(dir, 'sum'), '')
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const started = Date.now()
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bundlePath()], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    const lines: Line[] = []
    let partial = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const at = Date.now()
      const parts = (partial + chunk).split('\n')
      partial = parts.pop() ?? ''
      for (const text of parts) lines.push({ text, at })
    })
    child.on('error', reject)
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true })
      resolvePromise({ lines, exitCode: code ?? 1, ms: Date.now() - started })
    })
  })
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** Lag between the fake turning a deploy live and the step printing it, over several runs. */
async function statusChangeLag(): Promise<number[]> {
  const lags: number[] = []
  for (let i = 0; i < RUNS; i++) {
    // Spread the moment of change across the poll interval so the runs sample every phase.
    const liveAfter = 1500 + Math.round((i / RUNS) * POLL_INTERVAL_MS)
    const fake = await startFakeRender({
      steps: [
        ['build_in_progress', 0],
        ['live', liveAfter],
      ],
    })
    try {
      const result = await runBundle({
        'service-id': 'srv-web',
        'api-key': fake.apiKey,
        'api-url': fake.apiUrl,
        'poll-interval': `${POLL_INTERVAL_MS}ms`,
        timeout: '60s',
      })
      // The only transition to live is the new deploy's: the seeded live deploy was created live.
      const change = fake.transitions.find((t) => t.status === 'live')
      const seen = result.lines.find((line) => line.text.startsWith(`Deploy ${change?.deployId}: live (`))
      if (result.exitCode !== 0 || change === undefined || seen === undefined)
        throw new Error(`bench run ${i + 1} did not see the deploy go live (exit ${result.exitCode})`)
      lags.push(seen.at - change.at)
    } finally {
      await fake.close()
    }
  }
  return lags
}

/** Wall time of a step with a bad input: from spawn to exit, including Node's start. */
async function failFast(): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const result = await runBundle({ 'service-id': 'srv-web', 'api-key': 'rnd_x', timeout: 'soon' })
    if (result.exitCode !== 1) throw new Error(`misconfigured run exited ${result.exitCode}, expected 1`)
    times.push(result.ms)
  }
  return times
}

export default async function bench(): Promise<{ metric: string; value: string; target?: string }[]> {
  const lags = await statusChangeLag()
  const fails = await failFast()
  return [
    {
      metric: `render-deploy: status change seen after (poll-interval ${POLL_INTERVAL_MS}ms, median of ${RUNS})`,
      value: `${Math.round(median(lags))} ms (max ${Math.max(...lags)} ms)`,
      target: `< ${POLL_INTERVAL_MS + 1000} ms (poll-interval + 1 s)`,
    },
    {
      metric: `render-deploy: misconfigured step fails after (median of ${RUNS}, incl. node start)`,
      value: `${Math.round(median(fails))} ms`,
      target: '< 500 ms',
    },
  ]
}
