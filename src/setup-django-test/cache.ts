/** Restores and saves one folder through the GitHub Actions cache service. */
export interface CacheStore {
  /** The key that was restored (exact or by prefix), or undefined on a miss. */
  restore(dir: string, key: string, restoreKeys: string[]): Promise<string | undefined>
  save(dir: string, key: string): Promise<void>
}

/** Raised when the runner offers no cache service to this step (act, a local run, a composite `run:` step). */
export class CacheUnavailableError extends Error {
  override name = 'CacheUnavailableError'
}

/**
 * @actions/cache for one folder, loaded only when the install runs. The library logs its own
 * failures and returns a miss (restore) or -1 (save); the install phase must tell a miss from
 * a cache it cannot use (it then skips the save and says "cache unavailable").
 */
export function actionsCacheStore(): CacheStore {
  const load = async () => {
    const cache = await import('@actions/cache')
    if (!cache.isFeatureAvailable()) {
      throw new CacheUnavailableError(
        'the cache service is not available to this step (the runner set no ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL)',
      )
    }
    return cache
  }
  return {
    restore: async (dir, key, restoreKeys) => (await load()).restoreCache([dir], key, restoreKeys),
    save: async (dir, key) => {
      const cache = await load()
      if ((await cache.saveCache([dir], key)) !== -1) return
      // -1 also means a parallel job saved this key first (the service's 409): that is a success.
      if ((await cache.restoreCache([dir], key, [], { lookupOnly: true })) === key) return
      throw new Error(`the cache service kept no entry for ${key} (@actions/cache logged why above)`)
    },
  }
}
