import { createHash, randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RuntimeOptions } from './contexts.js'

interface Entry {
  key: string
  version: string
  /** Where each saved path's copy lives, by the absolute path it was saved from. */
  copies: Record<string, string>
  createdAt: number
}

/**
 * The Actions cache service, kept in a local folder: what the stand-in actions/cache saves to and
 * restores from. It answers only a caller holding the credentials the runner hands to node action
 * steps (ACTIONS_RUNTIME_TOKEN, and ACTIONS_RESULTS_URL for the v2 service), as the real service
 * answers only a valid runtime token. Matching follows GitHub's documented order (docs "Matching
 * a cache key"): exact key, then a prefix match of the key, then each restore key by prefix,
 * newest entry first, always within the same version (paths + compression). Branch scopes are
 * not modelled: every entry is visible to every run.
 */
export class LocalCacheStore {
  readonly dir: string
  readonly token = `runtime-${randomBytes(12).toString('hex')}`
  readonly resultsUrl: string
  /** One line per request the store answered, e.g. 'restore k -> k' or 'save k'. */
  readonly calls: string[] = []

  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'cache-store-'))
    this.resultsUrl = `http://127.0.0.1:9/local-cache-store/${randomBytes(4).toString('hex')}/`
  }

  /** The runner's connection data that makes this store the job's cache service. */
  runtime(): RuntimeOptions {
    return { token: this.token, resultsUrl: this.resultsUrl, cacheServiceV2: true }
  }

  get entries(): Entry[] {
    const index = join(this.dir, 'index.json')
    return existsSync(index) ? (JSON.parse(readFileSync(index, 'utf8')) as Entry[]) : []
  }

  /** Why a request with this environment would be refused, or undefined when it is authorized. */
  refusal(env: Record<string, string | undefined>): string | undefined {
    if (env.ACTIONS_RUNTIME_TOKEN !== this.token)
      return 'Cache service responded with 401 (no valid runtime token)'
    if (env.ACTIONS_RESULTS_URL !== this.resultsUrl)
      return `Cache service not reachable at ${env.ACTIONS_RESULTS_URL}`
    return undefined
  }

  find(version: string, key: string, restoreKeys: string[]): Entry | undefined {
    const same = this.entries.filter((e) => e.version === version).sort((a, b) => b.createdAt - a.createdAt)
    const exact = same.find((e) => e.key === key)
    if (exact) return exact
    for (const prefix of [key, ...restoreKeys]) {
      const match = same.find((e) => e.key.startsWith(prefix))
      if (match) return match
    }
    return undefined
  }

  restore(version: string, key: string, restoreKeys: string[], lookupOnly: boolean): string | undefined {
    const entry = this.find(version, key, restoreKeys)
    this.calls.push(`restore ${key} -> ${entry?.key ?? 'miss'}`)
    if (!entry || lookupOnly) return entry?.key
    for (const [target, copy] of Object.entries(entry.copies)) {
      rmSync(target, { recursive: true, force: true })
      cpSync(copy, target, { recursive: true })
    }
    return entry.key
  }

  /** Saves the given absolute paths (those that exist) under key; false when the key already exists. */
  save(version: string, key: string, paths: string[]): boolean {
    const entries = this.entries
    if (entries.some((e) => e.key === key && e.version === version)) {
      this.calls.push(`save ${key} -> exists`)
      return false
    }
    const folder = join(this.dir, String(entries.length + 1))
    mkdirSync(folder, { recursive: true })
    const copies: Record<string, string> = {}
    paths.forEach((path, i) => {
      copies[path] = join(folder, `p${i}`)
      cpSync(path, copies[path] as string, { recursive: true })
    })
    entries.push({ key, version, copies, createdAt: Date.now() + entries.length })
    writeFileSync(join(this.dir, 'index.json'), JSON.stringify(entries, null, 2))
    this.calls.push(`save ${key}`)
    return true
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** @actions/cache getCacheVersion: sha256 of the path patterns, the compression method and a salt. */
export function cacheVersion(patterns: string[]): string {
  return createHash('sha256')
    .update([...patterns, 'zstd-without-long', '1.0'].join('|'))
    .digest('hex')
}
