import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
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

/**
 * Runs a scan with Trivy's database (`<cacheDir>/db`) restored from the Actions cache first, and
 * saved after unless today's entry was the one restored: build-and-scan-image's scan and
 * python-quality's audit both run Trivy through it.
 */
export async function withCachedTrivyDb<T>(
  cache: DbCache,
  where: { cacheDir: string; today: Date; platform: string },
  log: (line: string) => void,
  scan: () => Promise<T>,
): Promise<T> {
  const paths = [join(where.cacheDir, 'db')]
  const key = trivyDbCacheKey(where.today, where.platform)
  await mkdir(where.cacheDir, { recursive: true })
  const restored = await cache.restore(paths, key, [key.replace(/\d{4}-\d{2}-\d{2}$/, '')])
  if (restored) log(`Trivy database restored from cache ${restored}`)
  const result = await scan()
  if (restored !== key) await cache.save(paths, key)
  return result
}
