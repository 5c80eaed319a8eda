import http from 'node:http'
import type { AddressInfo } from 'node:net'

interface Entry {
  id: number
  key: string
  version: string
  data?: Buffer
  /** Blocks staged by Put Block, by block id, until a Put Block List commits them. */
  blocks: Map<string, Buffer>
  size?: number
  finalized: boolean
  created: number
}

export interface FakeCacheService {
  /** For ACTIONS_RESULTS_URL. */
  url: string
  token: string
  entries: Entry[]
  /** Every request, as `METHOD path` (Twirp method names for service calls). */
  calls: string[]
  /** Answer every Twirp call with this HTTP status instead (e.g. 503). */
  failWith?: number
  /** Answer this many of the next Twirp calls with 503, then normally (a blip the client retries). */
  twirpFailures?: number
  /** Answer this many of the next blob uploads with Azure's 503 ServerBusy, then normally. */
  uploadFailures?: number
  /** Answer Twirp calls only after this many milliseconds (a slow or hung service). */
  delayMs?: number
  /** Environment variables a runner would set to reach this service. */
  env(): Record<string, string>
  close(): Promise<void>
}

const PREFIX = '/twirp/github.actions.results.api.v1.CacheService/'

/** The Twirp error code an HTTP status stands for (the Twirp spec's mapping). */
function twirpCode(status: number): string {
  const codes: Record<number, string> = {
    401: 'unauthenticated',
    403: 'permission_denied',
    429: 'resource_exhausted',
  }
  return codes[status] ?? (status >= 500 ? 'unavailable' : 'invalid_argument')
}

/** Where the signed URLs point: Azure's path style (account, container, blob), as Azurite serves it. */
const BLOB_PATH = /^\/devstoreaccount1\/actions-cache\/(\d+)$/

/**
 * A local stand-in for the Actions cache service v2, speaking what @actions/cache 6.x sends
 * (read in its source: internal/shared/cacheTwirpClient.ts, generated/results/api/v1, and
 * uploadUtils.ts): the three Twirp JSON calls (proto field names, `size_bytes` as a string), and
 * the blob storage behind the signed URLs the Azure storage SDK uploads to (Put Blob with
 * `x-ms-blob-type: BlockBlob`, or Put Block + Put Block List above 128 MiB) and the archive is
 * downloaded from (GET). Like Azure, a PUT without Content-Length is refused (411). Lookup
 * follows the service as GitHub documents it (docs.github.com, dependency caching reference,
 * "Cache key matching"): the exact key first, then the newest finalized entry whose key starts
 * with the key, then with each restore key in turn; same version only. Creating an entry that
 * exists answers what the real service answers: HTTP 409, Twirp code `already_exists`
 * (actions/cache#1541 quotes it).
 */
export async function startFakeCacheService(token = 'fake-runtime-token'): Promise<FakeCacheService> {
  let nextId = 1
  let clock = 0
  const delayed = new Set<NodeJS.Timeout>()
  const state: FakeCacheService = {
    url: '',
    token,
    entries: [],
    calls: [],
    env: () => ({
      ACTIONS_RESULTS_URL: `${state.url}/`,
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_CACHE_SERVICE_V2: 'True',
    }),
    close: () => {
      for (const timer of delayed) clearTimeout(timer)
      server.closeAllConnections()
      return new Promise((done) => server.close(() => done()))
    },
  }
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', state.url)
      const body = Buffer.concat(chunks)
      if (url.pathname.startsWith(PREFIX)) {
        const method = url.pathname.slice(PREFIX.length)
        state.calls.push(`POST ${method}`)
        if (req.headers.authorization !== `Bearer ${token}`)
          return json(res, 401, { code: 'unauthenticated', msg: 'bad token' })
        const answer = () => {
          if (state.failWith)
            return json(res, state.failWith, {
              code: twirpCode(state.failWith),
              msg: 'cache service refused',
            })
          if (state.twirpFailures) {
            state.twirpFailures -= 1
            return json(res, 503, { code: 'unavailable', msg: 'cache service is briefly down' })
          }
          const request = JSON.parse(body.toString('utf8')) as Record<string, unknown>
          return twirp(method, request, res)
        }
        if (state.delayMs) {
          const timer = setTimeout(() => {
            delayed.delete(timer)
            if (!res.destroyed) answer()
          }, state.delayMs)
          delayed.add(timer)
        } else answer()
        return
      }
      const blob = BLOB_PATH.exec(url.pathname)
      const entry = blob ? state.entries.find((e) => e.id === Number(blob[1])) : undefined
      const comp = url.searchParams.get('comp')
      state.calls.push(`${req.method} ${url.pathname}${comp ? `?comp=${comp}` : ''}`)
      if (!entry || url.searchParams.get('sig') !== 'ok')
        return json(res, 403, { error: 'AuthenticationFailed' })
      if (req.method === 'PUT') {
        if (state.uploadFailures) {
          state.uploadFailures -= 1
          res.writeHead(503, { 'Content-Type': 'application/xml', 'x-ms-error-code': 'ServerBusy' })
          res.end(
            '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>The server is busy.</Message></Error>',
          )
          return
        }
        if (req.headers['content-length'] === undefined)
          return json(res, 411, { error: 'MissingContentLength' })
        if (comp === 'block') {
          entry.blocks.set(url.searchParams.get('blockid') ?? '', body)
        } else if (comp === 'blocklist') {
          const ids = [...body.toString('utf8').matchAll(/<Latest>([^<]*)<\/Latest>/g)].map((m) => m[1] ?? '')
          const parts = ids.map((id) => entry.blocks.get(id))
          if (ids.length === 0 || parts.some((part) => part === undefined))
            return json(res, 400, { error: 'InvalidBlockList' })
          entry.data = Buffer.concat(parts as Buffer[])
          entry.blocks.clear()
        } else if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
          return json(res, 400, { error: 'MissingRequiredHeader' })
        } else {
          entry.data = body
        }
        res.writeHead(201).end()
        return
      }
      if (req.method === 'GET' && entry.finalized && entry.data) {
        res.writeHead(200, { 'Content-Length': entry.data.length }).end(entry.data)
        return
      }
      json(res, 404, { error: 'BlobNotFound' })
    })
  })

  function twirp(method: string, request: Record<string, unknown>, res: http.ServerResponse) {
    const key = String(request.key ?? '')
    const version = String(request.version ?? '')
    const signed = (entry: Entry) =>
      `${state.url}/devstoreaccount1/actions-cache/${entry.id}?sv=2025-01-05&sig=ok`
    switch (method) {
      case 'GetCacheEntryDownloadURL': {
        const ready = state.entries.filter((e) => e.finalized && e.version === version)
        const exact = ready.find((e) => e.key === key)
        const restoreKeys = (request.restore_keys as string[] | undefined) ?? []
        const newest = (prefix: string) =>
          ready.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.created - a.created)[0]
        // GitHub's order ("Cache key matching"): the exact key, then the key as a prefix, then
        // each restore key as a prefix, the newest entry of a partial match winning.
        const byPrefix = [key, ...restoreKeys].map(newest).find(Boolean)
        const match = exact ?? byPrefix
        return json(
          res,
          200,
          match ? { ok: true, signed_download_url: signed(match), matched_key: match.key } : { ok: false },
        )
      }
      case 'CreateCacheEntry': {
        if (state.entries.some((e) => e.key === key && e.version === version))
          return json(res, 409, {
            code: 'already_exists',
            msg: 'cache entry with the same key, version, and scope already exists',
          })
        const entry: Entry = {
          id: nextId++,
          key,
          version,
          finalized: false,
          created: clock++,
          blocks: new Map(),
        }
        state.entries.push(entry)
        return json(res, 200, { ok: true, signed_upload_url: signed(entry) })
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = state.entries.find((e) => e.key === key && e.version === version && !e.finalized)
        if (!entry?.data || String(entry.data.length) !== String(request.size_bytes))
          return json(res, 200, { ok: false, message: 'upload incomplete' })
        entry.finalized = true
        entry.size = entry.data.length
        return json(res, 200, { ok: true, entry_id: String(entry.id) })
      }
      default:
        return json(res, 404, { code: 'bad_route', msg: `no method ${method}` })
    }
  }

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}
