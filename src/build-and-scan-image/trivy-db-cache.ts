import { errorMessage } from '../lib/errors.js'

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
 * The GitHub Actions cache, imported only when a scan runs. A cache service that is missing or
 * failing never fails the step: the scan just downloads the database again.
 */
export function actionsDbCache(log: (line: string) => void): DbCache {
  return {
    async restore(paths, key, restoreKeys) {
      try {
        const cache = await import('@actions/cache')
        if (!cache.isFeatureAvailable()) return undefined
        return await cache.restoreCache(paths, key, restoreKeys)
      } catch (error) {
        log(`Trivy database cache not restored: ${errorMessage(error)}`)
        return undefined
      }
    },
    async save(paths, key) {
      try {
        const cache = await import('@actions/cache')
        if (!cache.isFeatureAvailable()) return
        await cache.saveCache(paths, key)
      } catch (error) {
        log(`Trivy database cache not saved: ${errorMessage(error)}`)
      }
    },
  }
}
