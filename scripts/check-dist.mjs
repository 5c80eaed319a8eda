// Fails when dist/ does not match a fresh build, or when a bundle cannot run.
//  1. Rebuilds every bundle, then `git status --porcelain -- dist` must be empty: a stale,
//     missing or uncommitted bundle all show up there (git diff would miss a new, untracked one).
//  2. Runs every dist/<name>/index.js with no inputs in an empty folder: it must exit 1 with a
//     clean `::error::` line and nothing on stderr. A bundle that "built" but cannot load its
//     modules (the classic ncc trap) crashes with a stack trace instead.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const skipBuild = process.argv.includes('--no-build')
let failed = false

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
    const run = spawnSync(process.execPath, [bundle], {
      cwd: empty,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      encoding: 'utf8',
      timeout: 20_000,
    })
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'))
    if (run.status === 1 && errors.length === 1 && run.stderr.trim() === '') {
      console.log(`✓ ${name}: ${errors[0]}`)
    } else {
      failed = true
      console.error(
        `✗ ${name}: expected exit 1 with one ::error:: line and a clean stderr, got exit ${run.status}`,
      )
      console.error(run.stdout.slice(-2000))
      console.error(run.stderr.slice(-2000))
    }
  }
} finally {
  rmSync(empty, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
