import { errorMessage } from '../errors.js'

/** Trivy's vulnerability database is rebuilt every few hours; one cache entry a day is fresh enough. */
export function trivyDbCacheKey(now: Date, platform: string): string {
  return `trivy-db-${platform}-${now.toISOString().slice(0, 10)}`
}

export interface DbCache {
  /** Restores the database; returns the key it restored (undefined for a miss or no cache service). */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>
  save(paths: string[], key: string): Promise<void>
}

/**
 * The GitHub Actions cache through @actions/cache (the Azure storage SDK with it), loaded only
 * when a scan runs. A cache service that is missing or failing never fails the step: the
 * library logs what went wrong and the scan downloads the database again.
 */
export function actionsDbCache(log: (line: string) => void): DbCache {
  const load = async () => {
    const cache = await import('@actions/cache')
    if (cache.isFeatureAvailable()) return cache
    log('Trivy database: the Actions cache service is not available to this step; not cached')
    return undefined
  }
  return {
    async restore(paths, key, restoreKeys) {
      const cache = await load()
      try {
        return await cache?.restoreCache(paths, key, restoreKeys)
      } catch (error) {
        log(`Trivy database: not restored: ${errorMessage(error)}`)
        return undefined
      }
    },
    async save(paths, key) {
      const cache = await load()
      try {
        await cache?.saveCache(paths, key)
      } catch (error) {
        log(`Trivy database: not saved: ${errorMessage(error)}`)
      }
    },
  }
}
