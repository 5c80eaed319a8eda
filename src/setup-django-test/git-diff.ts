import type { Exec } from '../lib/process/exec.js'
import { tail } from '../lib/process/exec.js'
import type { ActionIO } from '../lib/runner/io.js'
import { parseUnifiedDiff, type ChangedLines } from './changed-lines.js'

export type DiffOutcome = { ok: true; changed: ChangedLines; from: string } | { ok: false; reason: string }

interface Git {
  exec: Exec
  io: Pick<ActionIO, 'info'>
  /** The repository checkout. */
  root: string
}

async function git(ctx: Git, args: string[]) {
  // -c core.quotePath=false: paths as they are; the diff options guard against a user's config
  // (diff.noprefix, diff.external, color.ui=always) changing what is parsed.
  return ctx.exec('git', ['-c', 'core.quotePath=false', ...args], { cwd: ctx.root, timeoutMs: 120_000 })
}

/**
 * The lines the pull request changes: `git diff` from the merge base of the event's base commit
 * and the checkout (HEAD: what the tests ran on, the pull request's merge commit or its head) to
 * HEAD. actions/checkout fetches one commit by default, so a missing base commit is fetched
 * first (one commit deep). In a shallow checkout the merge base cannot be found; the merge commit
 * actions/checkout makes has the base commit as a parent, so the diff from the base is then the
 * pull request's change.
 */
export async function changedLinesSince(ctx: Git, base: string): Promise<DiffOutcome> {
  const present = await git(ctx, ['cat-file', '-e', `${base}^{commit}`])
  if (present.exitCode !== 0) {
    ctx.io.info(`Fetching the base commit ${base.slice(0, 12)} (not in the checkout)`)
    const fetched = await git(ctx, [
      'fetch',
      '--no-tags',
      '--no-recurse-submodules',
      '--depth=1',
      'origin',
      base,
    ])
    if (fetched.exitCode !== 0)
      return {
        ok: false,
        reason: `the base commit ${base.slice(0, 12)} could not be fetched: ${tail(fetched.stderr, 1)}`,
      }
  }
  const mergeBase = await git(ctx, ['merge-base', base, 'HEAD'])
  const from = mergeBase.exitCode === 0 ? mergeBase.stdout.trim() : base
  const diff = await git(ctx, [
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--unified=0',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    '--diff-filter=AMR',
    from,
    'HEAD',
  ])
  if (diff.exitCode !== 0) return { ok: false, reason: `git diff failed: ${tail(diff.stderr, 1)}` }
  return { ok: true, changed: parseUnifiedDiff(diff.stdout), from }
}
