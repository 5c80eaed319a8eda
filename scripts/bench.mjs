// `npm run bench`: what each action costs and how fast its wait loops react.
//  - size of every dist/<name>/ folder (all files, ncc's split chunks included) against its budget
//    (scripts/budgets.mjs; check-dist fails on it too);
//  - cold start of a bad input: median of interleaved runs of `node dist/<name>/index.js` (no
//    inputs, to the validation error) minus the median of bare `node -e 0` runs in the same loop;
//  - peak RSS of such a run;
//  - then each scripts/bench/<name>.ts module's own figures (wait-loop lag, overheads...), run
//    after compiling them with tsc (tsconfig.scripts.json).
// Pass action names to limit the per-action modules: `npm run bench -- smoke-test`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ANCHORS, BAD_INPUT_BUDGET_MS, FOLDER_BUDGET_BYTES } from './budgets.mjs'
import { compileScripts } from './compile-scripts.mjs'

const root = new URL('..', import.meta.url).pathname
const only = process.argv.slice(2)
const RUNS = 15
const MB = 1_000_000

const folderSize = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name)
    return sum + (entry.isDirectory() ? folderSize(path) : statSync(path).size)
  }, 0)
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const empty = mkdtempSync(join(tmpdir(), 'bench-'))
const env = { PATH: process.env.PATH, HOME: process.env.HOME }
const timeRun = (args) => {
  const started = process.hrtime.bigint()
  spawnSync(process.execPath, args, { cwd: empty, env, stdio: 'ignore' })
  return Number(process.hrtime.bigint() - started) / 1e6
}
// Peak RSS from inside the child, reported at exit (runs separate from the timed ones).
const RSS_HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nRSS '+process.resourceUsage().maxRSS+'\\n'))`
const peakRss = (args) => {
  const run = spawnSync(process.execPath, ['--import', RSS_HOOK, ...args], {
    cwd: empty,
    env,
    encoding: 'utf8',
  })
  const match = /RSS (\d+)/.exec(run.stderr)
  return match ? Number(match[1]) / 1024 : NaN
}

const actions = readdirSync(join(root, 'dist'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'dist', d.name, 'index.js')))
  .map((d) => d.name)
  .sort()

console.log(
  `Bundles (Node ${process.version}; bad-input cold start = median of ${RUNS} runs above bare node, interleaved; ${ANCHORS})\n`,
)
console.log('| action | dist size | budget | bad-input cold start | target | peak RSS | target |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
const over = []
for (const name of actions) {
  const bundle = join(root, 'dist', name, 'index.js')
  const size = folderSize(join(root, 'dist', name))
  const budget = FOLDER_BUDGET_BYTES
  const bare = []
  const action = []
  timeRun([bundle])
  for (let i = 0; i < RUNS; i++) {
    bare.push(timeRun(['-e', '0']))
    action.push(timeRun([bundle]))
  }
  const above = median(action) - median(bare)
  const rss = median([peakRss([bundle]), peakRss([bundle]), peakRss([bundle])])
  const ok = (good, what) => {
    if (!good) over.push(`${name} ${what}`)
    return good ? '✓' : '✗'
  }
  console.log(
    `| ${name} | ${(size / MB).toFixed(3)} MB ${ok(size <= budget, 'size')} | ${budget / MB} MB | +${above.toFixed(1)} ms ${ok(above <= BAD_INPUT_BUDGET_MS, 'cold start')} | ≤ +${BAD_INPUT_BUDGET_MS} ms | ${rss.toFixed(1)} MiB ${ok(rss <= 55, 'peak RSS')} | ≤ 55 MiB |`,
  )
}
if (over.length > 0) {
  console.log(`\nOver budget: ${over.join(', ')}`)
  process.exitCode = 1
}
rmSync(empty, { recursive: true, force: true })

const modulesDir = join(root, 'scripts', 'bench')
const modules = existsSync(modulesDir)
  ? readdirSync(modulesDir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .filter((name) => only.length === 0 || only.includes(name))
  : []
if (modules.length > 0) {
  const compiled = compileScripts()
  for (const name of modules.sort()) {
    const { default: bench } = await import(pathToFileURL(compiled(`scripts/bench/${name}.ts`)).href)
    console.log(`\n${name}\n`)
    console.log('| metric | value | target |')
    console.log('| --- | ---: | ---: |')
    for (const row of await bench()) console.log(`| ${row.metric} | ${row.value} | ${row.target ?? ''} |`)
  }
}
