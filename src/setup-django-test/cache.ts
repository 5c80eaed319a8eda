import {
  type CacheDeps,
  defaultCacheDeps,
  restoreCache,
  saveCache,
  serviceFromEnv,
} from '../lib/actions-cache.js'
import type { Exec } from '../lib/exec.js'

/** Restores and saves one folder through the GitHub Actions cache service. */
export interface CacheStore {
  /** The key that was restored (exact or by prefix), or undefined on a miss. */
  restore(dir: string, key: string, restoreKeys: string[]): Promise<string | undefined>
  save(dir: string, key: string): Promise<void>
}

/** Raised when the runner offers no cache service (act, a local run, an old GHES). */
export class CacheUnavailableError extends Error {
  override name = 'CacheUnavailableError'
}

/**
 * The suite's Actions cache client (src/lib/actions-cache.ts) for one folder. That client only
 * warns; the install phase must tell a miss from a cache it cannot use (it then skips the save
 * and says "cache unavailable"), so a warning comes back here as an error for it to report.
 */
export function actionsCacheStore(
  env: NodeJS.ProcessEnv,
  exec: Exec,
  options: Partial<CacheDeps> = {},
): CacheStore {
  const run = async <T>(fn: (deps: CacheDeps) => Promise<T>): Promise<T> => {
    const service = serviceFromEnv(env)
    if (typeof service === 'string') throw new CacheUnavailableError(service)
    const warnings: string[] = []
    const ports = defaultCacheDeps(
      () => undefined,
      (warning) => void warnings.push(warning),
    )
    const result = await fn({ ...ports, env, exec, ...options })
    if (warnings.length > 0) throw new Error(warnings.join('; '))
    return result
  }
  return {
    restore: (dir, key, restoreKeys) => run((deps) => restoreCache(deps, [dir], key, restoreKeys)),
    save: (dir, key) => run(async (deps) => void (await saveCache(deps, [dir], key))),
  }
}
