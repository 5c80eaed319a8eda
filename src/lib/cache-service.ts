import { createHash } from 'node:crypto'
import { errorMessage, OperationError } from './errors.js'
import { type HttpClient, isTransientHttp } from './http.js'
import { redactUrl, type Transfer } from './transfer.js'

// The GitHub Actions cache service v2 as @actions/cache 6 speaks it: three Twirp JSON calls to
// the results service, and the archive itself moved straight to and from Azure Blob Storage
// through the signed URLs those calls return. Written here because @actions/cache brings the
// Azure storage SDK and undici: about 2.4 MB of bundle for three POSTs, a PUT and a GET.

const SERVICE = 'github.actions.results.api.v1.CacheService'

/** Compression methods as @actions/cache names them in the version hash. This code writes gzip. */
export type CompressionMethod = 'gzip' | 'zstd-without-long' | 'zstd'

/**
 * The `version` the service files an entry under: it keeps entries of different paths or
 * compression apart under one key. Computed exactly as @actions/cache computes it (same paths,
 * same salt), so an entry saved here is the entry @actions/cache would look up for gzip.
 */
export function cacheVersion(
  paths: readonly string[],
  compression: CompressionMethod,
  platform: string,
): string {
  const components = [...paths, compression]
  if (platform === 'win32') components.push('windows-only')
  components.push('1.0')
  return createHash('sha256').update(components.join('|')).digest('hex')
}

/** Why a key would be refused by the service, or undefined; the same checks as @actions/cache. */
export function keyProblem(key: string): string | undefined {
  if (key.length > 512) return `key '${key.slice(0, 40)}…' is longer than 512 characters`
  if (key.includes(',')) return `key '${key}' contains a comma`
  return undefined
}

// Request bodies as the generated client serialises them: proto field names (snake_case),
// int64 as a string, empty repeated fields left out.

export function downloadUrlRequest(key: string, restoreKeys: readonly string[], version: string) {
  return { key, ...(restoreKeys.length > 0 ? { restore_keys: [...restoreKeys] } : {}), version }
}

export function createEntryRequest(key: string, version: string) {
  return { key, version }
}

export function finalizeRequest(key: string, version: string, sizeBytes: number) {
  return { key, size_bytes: String(sizeBytes), version }
}

/** A response field under its proto name or its JSON name: protobuf JSON readers accept both. */
function field(body: Record<string, unknown>, proto: string): unknown {
  const camel = proto.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
  return body[proto] ?? body[camel]
}

export interface ServiceConfig {
  /** ACTIONS_RESULTS_URL; the Twirp path replaces any path it has, as in @actions/cache. */
  baseUrl: string
  token: string
  http: HttpClient
  timeoutMs: number
  attempts: number
  retryDelayMs: number
  sleep: (ms: number) => Promise<void>
}

/** One Twirp call, retried on 5xx / 429 / no answer; the error names the method and the service's message. */
export async function twirp(
  config: ServiceConfig,
  method: string,
  body: object,
): Promise<Record<string, unknown>> {
  const url = new URL(`/twirp/${SERVICE}/${method}`, config.baseUrl)
  for (let attempt = 1; ; attempt += 1) {
    let problem: string
    let transient: boolean
    try {
      const response = await config.http({
        url,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${config.token}`,
          'user-agent': 'devops-actions-cache',
        },
        body: JSON.stringify(body),
        timeoutMs: config.timeoutMs,
      })
      if (response.status >= 200 && response.status < 300) {
        const parsed: unknown = JSON.parse(response.body || '{}')
        if (typeof parsed !== 'object' || parsed === null)
          throw new OperationError('the answer is not a JSON object')
        return parsed as Record<string, unknown>
      }
      let message = ''
      try {
        message = String((JSON.parse(response.body) as { msg?: unknown }).msg ?? '')
      } catch {
        message = response.body.slice(0, 200)
      }
      problem = `HTTP ${response.status}${message ? `: ${message}` : ''}`
      transient = isTransientHttp(response.status)
    } catch (error) {
      problem = errorMessage(error)
      transient = error instanceof SyntaxError ? false : isTransientHttp(error)
    }
    if (!transient || attempt >= config.attempts) {
      throw new OperationError(
        `${method} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${problem}`,
      )
    }
    await config.sleep(config.retryDelayMs * 1.5 ** (attempt - 1))
  }
}

export interface CacheHit {
  matchedKey: string
  downloadUrl: string
}

/** The entry for the first key (exact, then by prefix) the service has, or undefined for a miss. */
export async function lookupEntry(
  config: ServiceConfig,
  key: string,
  restoreKeys: readonly string[],
  version: string,
): Promise<CacheHit | undefined> {
  const answer = await twirp(
    config,
    'GetCacheEntryDownloadURL',
    downloadUrlRequest(key, restoreKeys, version),
  )
  const url = field(answer, 'signed_download_url')
  if (field(answer, 'ok') !== true || typeof url !== 'string' || url === '') return undefined
  const matched = field(answer, 'matched_key')
  return { matchedKey: typeof matched === 'string' && matched !== '' ? matched : key, downloadUrl: url }
}

/** Reserves a key; returns the signed URL to upload to, or the service's reason for refusing. */
export async function createEntry(
  config: ServiceConfig,
  key: string,
  version: string,
): Promise<{ uploadUrl: string } | { refused: string }> {
  const answer = await twirp(config, 'CreateCacheEntry', createEntryRequest(key, version))
  const url = field(answer, 'signed_upload_url')
  if (field(answer, 'ok') === true && typeof url === 'string' && url !== '') return { uploadUrl: url }
  const message = field(answer, 'message')
  return {
    refused: typeof message === 'string' && message ? message : 'another job may be creating this cache',
  }
}

export async function finalizeEntry(
  config: ServiceConfig,
  key: string,
  version: string,
  size: number,
): Promise<void> {
  const answer = await twirp(config, 'FinalizeCacheEntryUpload', finalizeRequest(key, version, size))
  if (field(answer, 'ok') !== true) {
    const message = field(answer, 'message')
    throw new OperationError(
      `FinalizeCacheEntryUpload refused: ${typeof message === 'string' && message ? message : 'another job may be finalizing this cache'}`,
    )
  }
}

/** The Blob service version the requests are written against (the one @azure/storage-blob 12.31 sends). */
export const AZURE_VERSION = '2026-02-06'

/**
 * Archives up to this size go up in one Put Blob, as the Azure SDK does for @actions/cache
 * (maxSingleShotSize 128 MiB); larger ones as 64 MiB blocks committed by one Put Block List.
 */
export const SINGLE_SHOT_BYTES = 128 * 1024 * 1024
export const BLOCK_BYTES = 64 * 1024 * 1024

/** Block ids must all have the same length before base64; a zero-padded index gives that. */
export function blockId(index: number): string {
  return Buffer.from(`block-${String(index).padStart(6, '0')}`).toString('base64')
}

export function blockListXml(ids: readonly string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`
}

/** The signed URL with extra query parameters appended (the SAS stays as it is). */
export function withQuery(url: string, params: Record<string, string>): string {
  const parsed = new URL(url)
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, value)
  return parsed.href
}

export interface UploadLimits {
  singleShotBytes?: number
  blockBytes?: number
}

/** Uploads a file to a signed blob URL. */
export async function uploadBlob(
  transfer: Transfer,
  url: string,
  file: string,
  size: number,
  options: UploadLimits & { idleTimeoutMs: number },
): Promise<void> {
  const { idleTimeoutMs, singleShotBytes = SINGLE_SHOT_BYTES, blockBytes = BLOCK_BYTES } = options
  const put = async (
    target: string,
    headers: Record<string, string>,
    body: Parameters<Transfer>[0]['body'],
  ) => {
    const response = await transfer({
      url: target,
      method: 'PUT',
      headers: { 'x-ms-version': AZURE_VERSION, ...headers },
      body,
      idleTimeoutMs,
    })
    if (response.status !== 201) {
      const code = /<Code>([^<]+)<\/Code>/.exec(response.body)?.[1]
      throw new OperationError(
        `Upload to ${redactUrl(url)} failed: HTTP ${response.status}${code ? ` (${code})` : ''}`,
      )
    }
  }
  if (size <= singleShotBytes) {
    await put(
      url,
      { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/octet-stream' },
      {
        file,
        start: 0,
        end: size,
      },
    )
    return
  }
  const ids: string[] = []
  for (let start = 0, index = 0; start < size; start += blockBytes, index += 1) {
    const id = blockId(index)
    ids.push(id)
    await put(
      withQuery(url, { comp: 'block', blockid: id }),
      {},
      { file, start, end: Math.min(size, start + blockBytes) },
    )
  }
  await put(withQuery(url, { comp: 'blocklist' }), { 'content-type': 'application/xml' }, blockListXml(ids))
}

/** Downloads a signed blob URL to a file. */
export async function downloadBlob(
  transfer: Transfer,
  url: string,
  file: string,
  idleTimeoutMs: number,
): Promise<void> {
  const response = await transfer({
    url,
    toFile: file,
    idleTimeoutMs,
    headers: { 'x-ms-version': AZURE_VERSION },
  })
  if (response.status !== 200)
    throw new OperationError(`Download of ${redactUrl(url)} failed: HTTP ${response.status}`)
}
