/** Restores and saves a folder through the GitHub Actions cache service. */
export interface CacheStore {
  /** The key that was restored (exact or by prefix), or undefined on a miss. */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>
  save(paths: string[], key: string): Promise<void>
}

/** Raised when the runner offers no cache service (e.g. act, or a local run). */
export class CacheUnavailableError extends Error {
  override name = 'CacheUnavailableError'
}

// @actions/cache (and the Azure storage client behind it) is loaded only when a cache is used:
// a run with `cache: false` or nothing to install never pays for it.
async function actionsCache() {
  const cache = await import('@actions/cache')
  if (!cache.isFeatureAvailable()) {
    throw new CacheUnavailableError(
      'the cache service is not available on this runner (no ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL)',
    )
  }
  return cache
}

export const actionsCacheStore: CacheStore = {
  restore: async (paths, key, restoreKeys) => (await actionsCache()).restoreCache(paths, key, restoreKeys),
  save: async (paths, key) => {
    await (await actionsCache()).saveCache(paths, key)
  },
}
