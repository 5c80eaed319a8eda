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
 * The GitHub Actions cache, loaded only when a scan runs. A cache service that is missing or
 * failing never fails the step (restoreCache / saveCache only log it): the scan just downloads
 * the database again.
 */
export function actionsDbCache(log: (line: string) => void): DbCache {
  const load = async () => {
    const cache = await import('../lib/actions-cache.js')
    return { cache, ports: cache.defaultCacheDeps(log, (line) => log(`Trivy database: ${line}`)) }
  }
  return {
    async restore(paths, key, restoreKeys) {
      const { cache, ports } = await load()
      return cache.restoreCache(ports, paths, key, restoreKeys)
    },
    async save(paths, key) {
      const { cache, ports } = await load()
      await cache.saveCache(ports, paths, key)
    },
  }
}
