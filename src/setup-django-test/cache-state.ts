// The dependency cache lives in the composite's own steps, not in this program: the program runs
// as a `run:` step, and the runner gives `run:` steps no ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL
// or ACTIONS_CACHE_URL (actions/runner src/Runner.Worker/Handlers/ScriptHandler.cs; only
// NodeScriptActionHandler and ContainerActionHandler add them; actions/runner#3046,
// actions/toolkit#852). So action.yml restores the installer's folder with actions/cache/restore
// before this program installs and saves it with actions/cache/save after; the plan step
// (plan-phase.ts) says which folder and hash, and the restore step's outputs arrive here as
// SETUP_DJANGO_TEST_CACHE_* variables.

export interface DependencyCache {
  /** For the log and the summary: cache hit, cache miss, cache restored from an older key, ... */
  note: string
  key?: string
  /** An exact hit: the restore step's `cache-hit` (the action's output of that name). */
  hit: boolean
  /** Whether the folder should be saved after a successful install (not an exact hit). */
  save: boolean
}

/**
 * Reads what actions/cache/restore reported. It sets `cache-hit` to 'true' or 'false' on a match
 * (false for a restore-key match), leaves it unset on a miss (actions/cache#1466), and sets
 * 'false' with no primary key when the cache service is not available to it.
 */
export function dependencyCache(env: NodeJS.ProcessEnv, enabled: boolean): DependencyCache {
  const off = { note: 'cache off', hit: false, save: false }
  if (!enabled) return off
  const hit = env.SETUP_DJANGO_TEST_CACHE_HIT ?? ''
  const key = env.SETUP_DJANGO_TEST_CACHE_KEY ?? ''
  const matched = env.SETUP_DJANGO_TEST_CACHE_MATCHED_KEY ?? ''
  if (key === '') return hit === 'false' ? { ...off, note: 'cache unavailable' } : off
  if (hit === 'true') return { note: 'cache hit', key, hit: true, save: false }
  if (matched !== '') return { note: 'cache restored from an older key', key, hit: false, save: true }
  return { note: 'cache miss', key, hit: false, save: true }
}
