import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'
import {
  cacheVersion,
  createEntry,
  downloadBlob,
  finalizeEntry,
  keyProblem,
  lookupEntry,
  type ServiceConfig,
  uploadBlob,
  type UploadLimits,
} from './cache-service.js'
import { errorMessage } from './errors.js'
import { exec as realExec, execChecked, type Exec } from './exec.js'
import { type HttpClient, nodeHttpClient } from './http.js'
import { nodeTransfer, type Transfer } from './transfer.js'

// restoreCache / saveCache with the meaning @actions/cache gives them, for callers to whom a
// cache is an optimisation: a miss, a missing or failing cache service, or a refused key is a
// warning and an undefined / false result, never an exception that fails the step.
// Paths are literal files or folders (`~` and relative paths allowed), not glob patterns.

export interface CacheDeps {
  env: NodeJS.ProcessEnv
  /** Twirp calls to the cache service. */
  http: HttpClient
  /** The archive to and from blob storage. */
  transfer: Transfer
  /** `tar`. */
  exec: Exec
  info: (message: string) => void
  warn: (message: string) => void
  sleep: (ms: number) => Promise<void>
  platform?: string
  cwd?: string
  /** Per Twirp call. */
  timeoutMs?: number
  /** Blob transfers fail when no byte moves for this long. */
  idleTimeoutMs?: number
  /** Tries per Twirp call when the service answers 5xx / 429 or not at all. */
  attempts?: number
  retryDelayMs?: number
  /** Where uploads switch from one Put Blob to blocks, and the block size (tests make them small). */
  uploadLimits?: UploadLimits
}

/** The real ports, logging through the caller's functions. */
export function defaultCacheDeps(info: (m: string) => void, warn: (m: string) => void): CacheDeps {
  return {
    env: process.env,
    http: nodeHttpClient,
    transfer: nodeTransfer,
    exec: realExec,
    info,
    warn,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  }
}

const ARCHIVE = 'cache.tgz'
const MANIFEST = 'manifest.txt'

function isGhes(env: NodeJS.ProcessEnv): boolean {
  const host = new URL(env.GITHUB_SERVER_URL || 'https://github.com').hostname.toUpperCase()
  return host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST')
}

/** The cache service's URL and token, or why there is none this code can use. */
export function serviceFromEnv(env: NodeJS.ProcessEnv): { baseUrl: string; token: string } | string {
  const unavailable = 'the cache service is not available on this runner'
  if (!env.ACTIONS_RESULTS_URL || !env.ACTIONS_RUNTIME_TOKEN) {
    return `${unavailable} (ACTIONS_RESULTS_URL or ACTIONS_RUNTIME_TOKEN is not set)`
  }
  if (isGhes(env))
    return `${unavailable}: the legacy (v1) service of GitHub Enterprise Server is not supported`
  if (!env.ACTIONS_CACHE_SERVICE_V2) {
    return `${unavailable}: only the legacy (v1) service is offered (ACTIONS_CACHE_SERVICE_V2 is not set)`
  }
  return { baseUrl: env.ACTIONS_RESULTS_URL, token: env.ACTIONS_RUNTIME_TOKEN }
}

/** ACTIONS_CACHE_MODE as @actions/cache reads it: an unknown or empty mode allows both. */
export function cacheModeAllows(env: NodeJS.ProcessEnv, access: 'read' | 'write'): boolean {
  const mode = (env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase()
  if (!['none', 'read', 'write', 'write-only'].includes(mode)) return true
  return access === 'read' ? mode === 'read' || mode === 'write' : mode === 'write' || mode === 'write-only'
}

/** A path as the user wrote it, made absolute: `~` is the home folder, relative is from `cwd`. */
export function absolutePath(path: string, cwd: string, home = homedir()): string {
  const expanded = path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path
  return resolve(cwd, expanded)
}

/**
 * The manifest tar reads the paths from: each relative to the workspace with `/` separators,
 * `.` for the workspace itself, as @actions/cache writes them (tar runs with `-C workspace -P`).
 */
export function manifestLines(absolute: readonly string[], workspace: string): string[] {
  return absolute.map((p) => relative(workspace, p).split(sep).join('/') || '.')
}

export function createTarArgs(workspace: string): string[] {
  return [
    '--posix',
    '-cf',
    ARCHIVE,
    '--exclude',
    ARCHIVE,
    '-P',
    '-C',
    workspace,
    '--files-from',
    MANIFEST,
    '-z',
  ]
}

export function extractTarArgs(archive: string, workspace: string): string[] {
  return ['-xf', archive, '-P', '-C', workspace, '-z']
}

interface Prepared {
  config: ServiceConfig
  version: string
  workspace: string
  cwd: string
  deps: CacheDeps
}

function prepare(deps: CacheDeps, paths: readonly string[], keys: readonly string[]): Prepared | string {
  if (paths.length === 0) return 'no path to cache was given'
  if (keys.length > 10) return `${keys.length} keys given; the cache service takes at most 10`
  for (const key of keys) {
    const problem = keyProblem(key)
    if (problem) return problem
  }
  const service = serviceFromEnv(deps.env)
  if (typeof service === 'string') return service
  const cwd = deps.cwd ?? process.cwd()
  return {
    config: {
      ...service,
      http: deps.http,
      timeoutMs: deps.timeoutMs ?? 30_000,
      attempts: deps.attempts ?? 3,
      retryDelayMs: deps.retryDelayMs ?? 2_000,
      sleep: deps.sleep,
    },
    version: cacheVersion(paths, 'gzip', deps.platform ?? process.platform),
    workspace: deps.env.GITHUB_WORKSPACE || cwd,
    cwd,
    deps,
  }
}

async function withTempDir<T>(env: NodeJS.ProcessEnv, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(env.RUNNER_TEMP || tmpdir(), randomUUID())
  await mkdir(dir, { recursive: true })
  try {
    return await fn(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const mb = (bytes: number) => `~${Math.round(bytes / (1024 * 1024))} MB (${bytes} B)`

/**
 * Restores `paths` from the first entry found for `key`, else for the first restore key that
 * prefixes an entry's key; returns the key restored, or undefined for a miss or any failure.
 */
export async function restoreCache(
  deps: CacheDeps,
  paths: readonly string[],
  key: string,
  restoreKeys: readonly string[] = [],
): Promise<string | undefined> {
  const prepared = prepare(deps, paths, [key, ...restoreKeys])
  if (typeof prepared === 'string') {
    deps.warn(`Cache not restored: ${prepared}`)
    return undefined
  }
  if (!cacheModeAllows(deps.env, 'read')) {
    deps.info(
      `Cache restore skipped: ACTIONS_CACHE_MODE '${deps.env.ACTIONS_CACHE_MODE}' does not permit reads`,
    )
    return undefined
  }
  const { config, version, workspace } = prepared
  try {
    const hit = await lookupEntry(config, key, restoreKeys, version)
    if (hit === undefined) {
      deps.info(`Cache not found for keys: ${[key, ...restoreKeys].join(', ')}`)
      return undefined
    }
    deps.info(
      hit.matchedKey === key ? `Cache hit for: ${key}` : `Cache hit for restore-key: ${hit.matchedKey}`,
    )
    return await withTempDir(deps.env, async (dir) => {
      const archive = join(dir, ARCHIVE)
      await downloadBlob(deps.transfer, hit.downloadUrl, archive, deps.idleTimeoutMs ?? 60_000)
      deps.info(`Cache Size: ${mb((await stat(archive)).size)}`)
      await execChecked(deps.exec, 'tar', extractTarArgs(archive, workspace))
      deps.info('Cache restored successfully')
      return hit.matchedKey
    })
  } catch (error) {
    deps.warn(`Failed to restore cache: ${errorMessage(error)}`)
    return undefined
  }
}

/** Saves `paths` under `key`; returns whether an entry was saved. Never throws. */
export async function saveCache(deps: CacheDeps, paths: readonly string[], key: string): Promise<boolean> {
  const prepared = prepare(deps, paths, [key])
  if (typeof prepared === 'string') {
    deps.warn(`Cache not saved: ${prepared}`)
    return false
  }
  if (!cacheModeAllows(deps.env, 'write')) {
    deps.info(
      `Cache save skipped: ACTIONS_CACHE_MODE '${deps.env.ACTIONS_CACHE_MODE}' does not permit writes`,
    )
    return false
  }
  const { config, version, workspace, cwd } = prepared
  const existing = paths.map((p) => absolutePath(p, cwd)).filter((p) => existsSync(p))
  if (existing.length === 0) {
    deps.warn(`Cache not saved: none of the paths exist (${paths.join(', ')})`)
    return false
  }
  try {
    return await withTempDir(deps.env, async (dir) => {
      await writeFile(join(dir, MANIFEST), manifestLines(existing, workspace).join('\n'))
      await execChecked(deps.exec, 'tar', createTarArgs(workspace), { cwd: dir })
      const size = (await stat(join(dir, ARCHIVE))).size
      const entry = await createEntry(config, key, version)
      if ('refused' in entry) {
        deps.warn(`Cache not saved: the service refused key ${key}: ${entry.refused}`)
        return false
      }
      await uploadBlob(deps.transfer, entry.uploadUrl, join(dir, ARCHIVE), size, {
        idleTimeoutMs: deps.idleTimeoutMs ?? 60_000,
        ...deps.uploadLimits,
      })
      await finalizeEntry(config, key, version, size)
      deps.info(`Cache saved with key ${key}, size ${mb(size)}`)
      return true
    })
  } catch (error) {
    deps.warn(`Failed to save cache: ${errorMessage(error)}`)
    return false
  }
}
