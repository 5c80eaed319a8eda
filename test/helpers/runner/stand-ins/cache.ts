// Stand-ins for actions/cache v5.0.5 (action.yml, restore/action.yml, save/action.yml and
// src/restoreImpl.ts, src/saveImpl.ts, src/utils/actionUtils.ts at that tag) over the
// @actions/cache calls they make (packages/cache/src/cache.ts in actions/toolkit), with the
// service replaced by a LocalCacheStore.
import { existsSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { cacheVersion, type LocalCacheStore } from '../cache-store.js'
import type { NodeRuns } from '../manifest.js'
import type { StandIn, StandInIO, StandInRun } from './types.js'

const SHA = '27d5ce7f107fe9357f9df03efb73ab90386fccae'
const VERSION = 'v5.0.5'

const input = (description: string, extra: { default?: string; required?: boolean } = {}) => ({
  description,
  ...extra,
})

const restoreInputs = {
  path: input('A list of files, directories, and wildcard patterns to restore', { required: true }),
  key: input('An explicit key for restoring the cache', { required: true }),
  'restore-keys': input('An ordered multiline string listing the prefix-matched keys'),
  enableCrossOsArchive: input('Allow caches saved on other platforms', { default: 'false' }),
  'fail-on-cache-miss': input('Fail the workflow if cache entry is not found', { default: 'false' }),
  'lookup-only': input('Check if a cache entry exists without downloading it', { default: 'false' }),
}

/** utils/actionUtils.ts logWarning: an info line with a [warning] prefix, not an annotation. */
const logWarning = (io: StandInIO, message: string) => io.info(`[warning]${message}`)

/** getInputAsArray: lines, `! ` folded to `!`, trimmed, empty dropped. */
const inputArray = (io: StandInIO, name: string, required = false) =>
  io
    .getInput(name, { required })
    .split('\n')
    .map((s) => s.replace(/^!\s+/, '!').trim())
    .filter((x) => x !== '')

/** isCacheFeatureAvailable with @actions/cache isFeatureAvailable: v2 needs ACTIONS_RESULTS_URL, v1 ACTIONS_CACHE_URL. */
function featureAvailable(run: StandInRun): boolean {
  const available = run.env.ACTIONS_CACHE_SERVICE_V2
    ? !!run.env.ACTIONS_RESULTS_URL
    : !!run.env.ACTIONS_CACHE_URL
  if (!available)
    logWarning(
      run.io,
      'An internal error has occurred in cache backend. Please check https://www.githubstatus.com/ for any ongoing issue in actions.',
    )
  return available
}

/** @actions/glob as cacheUtils.resolvePaths uses it: `~` is the home folder, relative is from the workspace. */
function resolvePath(run: StandInRun, pattern: string): string {
  if (/[*?[\]]/.test(pattern))
    throw new Error(`the actions/cache stand-in does not expand globs (path '${pattern}')`)
  if (pattern === '~' || pattern.startsWith('~/')) return join(run.env.HOME ?? '', pattern.slice(1))
  return isAbsolute(pattern) ? pattern : resolve(run.job.workspace, pattern)
}

function store(run: StandInRun): LocalCacheStore {
  if (!run.job.cacheStore) throw new Error('the actions/cache stand-in needs a cacheStore in the run options')
  return run.job.cacheStore
}

async function restore(run: StandInRun, state: 'state' | 'outputs'): Promise<void> {
  const { io } = run
  const setState = (name: 'CACHE_KEY' | 'CACHE_RESULT', value: string) =>
    state === 'state'
      ? io.saveState(name, value)
      : io.setOutput(name === 'CACHE_KEY' ? 'cache-primary-key' : 'cache-matched-key', value)
  try {
    if (!featureAvailable(run)) {
      io.setOutput('cache-hit', 'false')
      return
    }
    if (!run.env.GITHUB_REF) {
      logWarning(
        io,
        `Event Validation Error: The event type ${run.env.GITHUB_EVENT_NAME} is not supported because it's not tied to a branch or tag ref.`,
      )
      return
    }
    const primaryKey = io.getInput('key', { required: true })
    setState('CACHE_KEY', primaryKey)
    const restoreKeys = inputArray(io, 'restore-keys')
    const patterns = inputArray(io, 'path', true)
    const failOnCacheMiss = io.getInput('fail-on-cache-miss') === 'true'
    const lookupOnly = io.getInput('lookup-only') === 'true'
    const refused = store(run).refusal(run.env)
    let cacheKey: string | undefined
    if (refused) io.warning(`Failed to restore: ${refused}`)
    else {
      cacheKey = store(run).restore(cacheVersion(patterns), primaryKey, restoreKeys, lookupOnly)
      if (cacheKey) {
        io.info(
          cacheKey === primaryKey ? `Cache hit for: ${cacheKey}` : `Cache hit for restore-key: ${cacheKey}`,
        )
        if (!lookupOnly) io.info('Cache restored successfully')
      }
    }
    if (!cacheKey) {
      // `cache-hit` is intentionally not set to `false` here (actions/cache#1466).
      if (failOnCacheMiss)
        throw new Error(
          `Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: ${primaryKey}`,
        )
      io.info(`Cache not found for input keys: ${[primaryKey, ...restoreKeys].join(', ')}`)
      return
    }
    setState('CACHE_RESULT', cacheKey)
    io.setOutput('cache-hit', String(cacheKey === primaryKey))
    io.info(
      lookupOnly
        ? `Cache found and can be restored from key: ${cacheKey}`
        : `Cache restored from key: ${cacheKey}`,
    )
  } catch (error) {
    io.setFailed((error as Error).message)
  }
}

/** saveImpl: returns the cache id, -1 when nothing was saved. */
async function save(run: StandInRun, fromState: boolean): Promise<number | undefined> {
  const { io } = run
  try {
    if (!featureAvailable(run)) return undefined
    if (!run.env.GITHUB_REF) {
      logWarning(
        io,
        `Event Validation Error: The event type ${run.env.GITHUB_EVENT_NAME} is not supported because it's not tied to a branch or tag ref.`,
      )
      return undefined
    }
    const primaryKey = (fromState ? io.getState('CACHE_KEY') : '') || io.getInput('key')
    if (!primaryKey) {
      logWarning(io, 'Key is not specified.')
      return undefined
    }
    const restoredKey = fromState ? io.getState('CACHE_RESULT') : ''
    if (restoredKey && restoredKey.localeCompare(primaryKey, undefined, { sensitivity: 'accent' }) === 0) {
      io.info(`Cache hit occurred on the primary key ${primaryKey}, not saving cache.`)
      return undefined
    }
    const patterns = inputArray(io, 'path', true)
    const paths = patterns.map((p) => resolvePath(run, p)).filter((p) => existsSync(p))
    if (paths.length === 0)
      throw new Error(
        'Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.',
      )
    const refused = store(run).refusal(run.env)
    if (refused) {
      io.warning(`Failed to save: ${refused}`)
      return -1
    }
    if (!store(run).save(cacheVersion(patterns), primaryKey, paths)) {
      // CreateCacheEntry is refused for a key that exists: @actions/cache reports the service's
      // message, then a ReserveCacheError as info.
      io.warning('Cache reservation failed: cache entry with the same key, version, and scope already exists')
      io.info(
        `Failed to save: Unable to reserve cache with key ${primaryKey}, another job may be creating this cache.`,
      )
      return -1
    }
    io.info(`Cache saved with key: ${primaryKey}`)
    return 1
  } catch (error) {
    logWarning(io, (error as Error).message)
    return -1
  }
}

const node = (main: string, extra: Partial<NodeRuns> = {}): NodeRuns => ({ using: 'node24', main, ...extra })

export const cacheStandIns: StandIn[] = [
  {
    action: 'actions/cache',
    sha: SHA,
    version: VERSION,
    manifest: {
      name: 'Cache',
      inputs: {
        ...restoreInputs,
        'upload-chunk-size': input('The chunk size used to split up large files during upload, in bytes'),
        'save-always': {
          description: 'Run the post step to save the cache even if another step before fails',
          default: 'false',
          deprecationMessage:
            'save-always does not work as intended and will be removed in a future release.\nA separate `actions/cache/restore` step should be used instead.\nSee https://github.com/actions/cache/tree/main/save#always-save-cache for more details.\n',
        },
      },
      outputs: {
        'cache-hit': {
          description: 'A boolean value to indicate an exact match was found for the primary key',
        },
      },
      runs: node('dist/restore/index.js', { post: 'dist/save/index.js', 'post-if': 'success()' }),
    },
    main: (run) => restore(run, 'state'),
    post: async (run) => void (await save(run, true)),
  },
  {
    action: 'actions/cache/restore',
    sha: SHA,
    version: VERSION,
    manifest: {
      name: 'Restore Cache',
      inputs: restoreInputs,
      outputs: {
        'cache-hit': {
          description: 'A boolean value to indicate an exact match was found for the primary key',
        },
        'cache-primary-key': { description: 'A resolved cache key for which cache match was attempted' },
        'cache-matched-key': { description: 'Key of the cache that was restored' },
      },
      runs: node('../dist/restore-only/index.js'),
    },
    main: (run) => restore(run, 'outputs'),
  },
  {
    action: 'actions/cache/save',
    sha: SHA,
    version: VERSION,
    manifest: {
      name: 'Save a cache',
      inputs: {
        path: restoreInputs.path,
        key: input('An explicit key for saving the cache', { required: true }),
        'upload-chunk-size': input('The chunk size used to split up large files during upload, in bytes'),
        enableCrossOsArchive: restoreInputs.enableCrossOsArchive,
      },
      outputs: {},
      runs: node('../dist/save-only/index.js'),
    },
    // saveOnlyRun: -1 (not undefined) is "Cache save failed."
    main: async (run) => {
      if ((await save(run, false)) === -1) run.io.warning('Cache save failed.')
    },
  },
]
