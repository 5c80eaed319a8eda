import { join } from 'node:path'
import type { ProjectFs } from './project-fs.js'
import type { BaseCoveragePlan } from './pull-request-options.js'

// The total coverage of the base branch, for the change a pull request makes to it. A run on a
// push (or any event without a pull request) leaves its figure in a folder the composite saves
// with actions/cache/save under a key naming the workflow job and the commit; a pull request's
// run restores the key of its base commit (actions/cache/restore; pull requests may read the
// base branch's cache entries). The composite's steps do it because the runner gives a `run:`
// step no cache-service credentials (cache-state.ts). No figure saved for the base commit (its
// run has not happened, ran in another job, or its entry was evicted): the change is unknown.

/** The figure a run saves for its commit. */
export interface SavedCoverage {
  commit: string
  percent: number
  display: string
}

const FILE = 'coverage.json'

/** The base commit's figure, when the composite restored the one saved for exactly that commit. */
export function readBaseCoverage(
  fs: ProjectFs,
  plan: BaseCoveragePlan,
  baseSha: string | undefined,
): SavedCoverage | undefined {
  if (!plan.dir || !plan.restoreKey || !baseSha) return undefined
  const text = fs.readText(join(plan.dir, FILE))
  if (text === undefined) return undefined
  try {
    const saved = JSON.parse(text) as Partial<SavedCoverage>
    if (saved.commit !== baseSha || typeof saved.percent !== 'number' || typeof saved.display !== 'string')
      return undefined
    return { commit: saved.commit, percent: saved.percent, display: saved.display }
  } catch {
    return undefined
  }
}

/** Writes this commit's figure for the composite's save step; false when there is nothing to save. */
export function writeOwnCoverage(
  fs: ProjectFs,
  plan: BaseCoveragePlan,
  coverage: { percent: number; display: string } | undefined,
): boolean {
  if (!plan.dir || !plan.saveKey || !coverage) return false
  const saved: SavedCoverage = { commit: plan.sha, percent: coverage.percent, display: coverage.display }
  fs.writeText(join(plan.dir, FILE), `${JSON.stringify(saved)}\n`)
  return true
}
