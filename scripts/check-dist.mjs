// Fails when dist/ does not match a fresh build, or when a bundle cannot run.
//  1. Rebuilds every bundle, then `git status --porcelain -- dist` must be empty: a stale,
//     missing or uncommitted bundle all show up there (git diff would miss a new, untracked one).
//  2. Runs every dist/<name>/index.js with no inputs in an empty folder: it must exit 1 with a
//     clean `::error::` line and nothing on stderr. A bundle that "built" but cannot load its
//     modules (the classic ncc trap) crashes with a stack trace instead.
//  3. Runs it again from a copy of index.js alone, without the chunks ncc split off for dynamic
//     imports: a bad input must fail the same way, so no heavy module (the AWS SDK,
//     @actions/cache with the Azure SDK, Octokit, the tool cache) loads before the inputs are valid.
//  4. Each dist/<name>/ folder, split-off chunks included, stays within 4 MB.
// `--node <path>` runs the bundles with another Node binary (e.g. Node 24 next to the default 20).
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FOLDER_BUDGET_BYTES } from './budgets.mjs'

const root = new URL('..', import.meta.url).pathname
const skipBuild = process.argv.includes('--no-build')
const nodeAt = process.argv.indexOf('--node')
const node = nodeAt >= 0 ? process.argv[nodeAt + 1] : process.execPath
let failed = false

const folderSize = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name)
    return sum + (entry.isDirectory() ? folderSize(path) : statSync(path).size)
  }, 0)

/** Runs a bundle with no inputs; returns a problem, or undefined when it failed cleanly. */
function badInputRun(bundle, cwd) {
  const run = spawnSync(node, [bundle], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    encoding: 'utf8',
    timeout: 20_000,
  })
  const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'))
  if (run.status === 1 && errors.length === 1 && run.stderr.trim() === '') return { line: errors[0] }
  return {
    problem: `expected exit 1 with one ::error:: line and a clean stderr, got exit ${run.status}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`,
  }
}

if (!skipBuild)
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' })
const status = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { cwd: root, encoding: 'utf8' })
if (status.trim() !== '') {
  failed = true
  console.error('dist/ is out of date with src/ (rebuild with `npm run build` and commit dist/):')
  console.error(status)
}

const sources = readdirSync(join(root, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'src', d.name, 'index.ts')))
  .map((d) => d.name)
const empty = mkdtempSync(join(tmpdir(), 'check-dist-'))
try {
  for (const name of sources) {
    const bundle = join(root, 'dist', name, 'index.js')
    if (!existsSync(bundle)) {
      failed = true
      console.error(`✗ ${name}: dist/${name}/index.js is missing`)
      continue
    }
    const size = folderSize(join(root, 'dist', name))
    if (size > FOLDER_BUDGET_BYTES) {
      failed = true
      console.error(`✗ ${name}: dist/${name}/ is ${size} bytes, over the ${FOLDER_BUDGET_BYTES}-byte budget`)
    }
    const full = badInputRun(bundle, empty)
    const alone = join(empty, `${name}-index-only`)
    mkdirSync(alone)
    copyFileSync(bundle, join(alone, 'index.js'))
    copyFileSync(join(root, 'dist', name, 'package.json'), join(alone, 'package.json'))
    const indexOnly = badInputRun(join(alone, 'index.js'), empty)
    if (full.problem || indexOnly.problem) {
      failed = true
      if (full.problem) console.error(`✗ ${name}: ${full.problem}`)
      if (indexOnly.problem)
        console.error(
          `✗ ${name}: without its split-off chunks (a heavy module loads before the inputs are valid): ${indexOnly.problem}`,
        )
    } else {
      console.log(`✓ ${name} (${(size / 1e6).toFixed(2)} MB): ${full.line}`)
    }
  }
} finally {
  rmSync(empty, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
