import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { execChecked, type Exec } from '../lib/exec.js'

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

const SERVICE = 'github.actions.results.api.v1.CacheService'

interface Transfer {
  method: string
  headers?: Record<string, string>
  body?: string | { file: string; size: number }
  /** Stream the response body into this file instead of returning it. */
  toFile?: string
  timeoutMs: number
}

/** One HTTP(S) exchange with streamed file bodies (archives can be hundreds of megabytes). */
function transfer(url: string, options: Transfer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const client = target.protocol === 'https:' ? https : http
    const body = options.body
    const headers: Record<string, string | number> = { ...options.headers }
    if (typeof body === 'string') headers['Content-Length'] = Buffer.byteLength(body)
    else if (body) headers['Content-Length'] = body.size
    const req = client.request(
      target,
      { method: options.method, headers, timeout: options.timeoutMs },
      (res) => {
        const status = res.statusCode ?? 0
        if (options.toFile && status >= 200 && status < 300) {
          pipeline(res, createWriteStream(options.toFile)).then(() => resolve({ status, body: '' }), reject)
          return
        }
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      },
    )
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from ${target.host} within ${options.timeoutMs}ms`)),
    )
    req.on('error', reject)
    if (typeof body === 'string' || body === undefined) req.end(body)
    else pipeline(createReadStream(body.file), req).catch(reject)
  })
}

/**
 * A client for the Actions cache service (v2: Twirp JSON calls on ACTIONS_RESULTS_URL, archives
 * in blob storage behind signed URLs), written out here instead of bundling @actions/cache,
 * whose Azure storage SDK alone is several times this action's size budget. Archives are
 * gzipped tarballs made by the system `tar`; entries are only ever read back by this action.
 */
export function actionsCacheStore(env: NodeJS.ProcessEnv, exec: Exec): CacheStore {
  const service = () => {
    const base = env.ACTIONS_RESULTS_URL
    const token = env.ACTIONS_RUNTIME_TOKEN
    if (!base || !token || !env.ACTIONS_CACHE_SERVICE_V2) {
      throw new CacheUnavailableError(
        'the cache service is not available on this runner (no ACTIONS_RESULTS_URL / ACTIONS_RUNTIME_TOKEN / ACTIONS_CACHE_SERVICE_V2)',
      )
    }
    return async <T>(method: string, request: object): Promise<T> => {
      const url = new URL(`twirp/${SERVICE}/${method}`, base.endsWith('/') ? base : `${base}/`).href
      const response = await transfer(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(request),
        timeoutMs: 30_000,
      })
      if (response.status < 200 || response.status >= 300) {
        const detail = /"msg"\s*:\s*"([^"]*)"/.exec(response.body)?.[1] ?? response.body.slice(0, 200)
        throw new Error(
          `cache service answered ${method} with HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
        )
      }
      return JSON.parse(response.body) as T
    }
  }
  // The service matches entries by key and version; the version names the folder and format.
  const version = (dir: string) =>
    createHash('sha256').update([dir, 'gzip', 'setup-django-test', '1'].join('|')).digest('hex')
  const withArchive = async <T>(fn: (archive: string) => Promise<T>): Promise<T> => {
    const dir = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'django-cache-'))
    try {
      return await fn(join(dir, 'cache.tgz'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  return {
    restore: async (dir, key, restoreKeys) => {
      const call = service()
      const found = await call<{ ok?: boolean; signed_download_url?: string; matched_key?: string }>(
        'GetCacheEntryDownloadURL',
        { key, restore_keys: restoreKeys, version: version(dir) },
      )
      if (!found.ok || !found.signed_download_url) return undefined
      const url = found.signed_download_url
      return withArchive(async (archive) => {
        const download = await transfer(url, { method: 'GET', toFile: archive, timeoutMs: 600_000 })
        if (download.status < 200 || download.status >= 300)
          throw new Error(`downloading the cache archive failed with HTTP ${download.status}`)
        mkdirSync(dir, { recursive: true })
        await execChecked(exec, 'tar', ['-xzf', archive, '-C', dir])
        return found.matched_key || key
      })
    },
    save: async (dir, key) => {
      const call = service()
      await withArchive(async (archive) => {
        await execChecked(exec, 'tar', ['-czf', archive, '-C', dir, '.'])
        const created = await call<{ ok?: boolean; signed_upload_url?: string; message?: string }>(
          'CreateCacheEntry',
          {
            key,
            version: version(dir),
          },
        )
        if (!created.ok || !created.signed_upload_url) {
          throw new Error(
            created.message || `the cache service did not reserve ${key} (another job may be saving it)`,
          )
        }
        const size = statSync(archive).size
        const upload = await transfer(created.signed_upload_url, {
          method: 'PUT',
          headers: { 'x-ms-blob-type': 'BlockBlob', 'Content-Type': 'application/octet-stream' },
          body: { file: archive, size },
          timeoutMs: 600_000,
        })
        if (upload.status < 200 || upload.status >= 300)
          throw new Error(`uploading the cache archive failed with HTTP ${upload.status}`)
        const finalized = await call<{ ok?: boolean; message?: string }>('FinalizeCacheEntryUpload', {
          key,
          version: version(dir),
          size_bytes: String(size),
        })
        if (!finalized.ok) throw new Error(finalized.message || `the cache service did not finalize ${key}`)
      })
    },
  }
}
