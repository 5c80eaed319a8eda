import {
  blockId,
  blockListXml,
  cacheVersion,
  createEntryRequest,
  downloadUrlRequest,
  finalizeRequest,
  keyProblem,
  lookupEntry,
  type ServiceConfig,
  twirp,
  uploadBlob,
  withQuery,
} from '../../../src/lib/cache-service.js'
import { HttpError, type HttpClient, type HttpRequest } from '../../../src/lib/http.js'
import type { Transfer, TransferRequest } from '../../../src/lib/transfer.js'
import { fakeClock } from '../../helpers/clock.js'

describe('cacheVersion', () => {
  // Expected values computed with @actions/cache 6.3.0's getCacheVersion(paths, method) on Linux:
  // the same hash means an entry is filed under the version @actions/cache would look up.
  test.each([
    [
      ['/home/runner/.cache/trivy/db'],
      'gzip',
      'efd4d5ea8dd9018563306532aba4c87394f72a8fd2cb8b8f6f3f920ecc0de7e0',
    ],
    [
      ['~/.cache/pip', 'node_modules'],
      'gzip',
      '7dd74d1839c69ce8afae46dc2810d5aa9f53a3339289fd0e6e157e60b3feab5f',
    ],
    [['a'], 'zstd-without-long', '379eb199616b82dd8e7e3047c96182a5b3f311c47ac4e2b9b4320528aa72f18d'],
  ] as const)('%j with %s', (paths, method, expected) => {
    expect(cacheVersion(paths, method, 'linux')).toBe(expected)
  })

  test('Windows entries are kept apart, as @actions/cache keeps them', () => {
    expect(cacheVersion(['a'], 'gzip', 'win32')).not.toBe(cacheVersion(['a'], 'gzip', 'linux'))
  })

  test('path order matters (the paths are joined as given)', () => {
    expect(cacheVersion(['a', 'b'], 'gzip', 'linux')).not.toBe(cacheVersion(['b', 'a'], 'gzip', 'linux'))
  })
})

describe('keyProblem', () => {
  test.each([
    ['trivy-db-linux-2026-03-10', undefined],
    ['a,b', "key 'a,b' contains a comma"],
    ['x'.repeat(513), expect.stringContaining('longer than 512 characters')],
    ['x'.repeat(512), undefined],
  ])('%s', (key, expected) => {
    expect(keyProblem(key)).toEqual(expected)
  })
})

describe('request bodies (proto field names, int64 as a string)', () => {
  test('GetCacheEntryDownloadURL', () => {
    expect(downloadUrlRequest('k-2', ['k-', 'x-'], 'v')).toEqual({
      key: 'k-2',
      restore_keys: ['k-', 'x-'],
      version: 'v',
    })
    expect(downloadUrlRequest('k-2', [], 'v')).toEqual({ key: 'k-2', version: 'v' })
  })
  test('CreateCacheEntry', () => {
    expect(createEntryRequest('k', 'v')).toEqual({ key: 'k', version: 'v' })
  })
  test('FinalizeCacheEntryUpload', () => {
    expect(finalizeRequest('k', 'v', 1234)).toEqual({ key: 'k', size_bytes: '1234', version: 'v' })
  })
})

describe('blob helpers', () => {
  test('block ids are base64 of equal-length strings', () => {
    const ids = [0, 9, 10, 49_999].map(blockId)
    expect(new Set(ids.map((id) => Buffer.from(id, 'base64').length)).size).toBe(1)
    expect(Buffer.from(blockId(7), 'base64').toString()).toBe('block-000007')
  })
  test('the block list commits the latest version of each block in order', () => {
    expect(blockListXml(['QQ==', 'Qg=='])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>QQ==</Latest><Latest>Qg==</Latest></BlockList>',
    )
  })
  test('query parameters are added without touching the signature', () => {
    const url = withQuery('https://acct.blob.core.windows.net/c/b?sv=2024&sig=a%2Fb%3D', {
      comp: 'block',
      blockid: 'QQ==',
    })
    const parsed = new URL(url)
    expect(parsed.searchParams.get('sig')).toBe('a/b=')
    expect(parsed.searchParams.get('blockid')).toBe('QQ==')
    expect(parsed.searchParams.get('comp')).toBe('block')
  })
})

function config(http: HttpClient, clock = fakeClock()): ServiceConfig {
  return {
    baseUrl: 'https://results.example/some/path/',
    token: 'runtime-token',
    http,
    timeoutMs: 1000,
    attempts: 3,
    retryDelayMs: 100,
    sleep: clock.sleep,
  }
}

describe('twirp', () => {
  test('POSTs JSON with the bearer token to the Twirp path at the root of the results URL', async () => {
    const seen: HttpRequest[] = []
    const http: HttpClient = async (request) => {
      seen.push(request)
      return { status: 200, headers: {}, body: '{"ok":true}', url: String(request.url) }
    }
    expect(await twirp(config(http), 'CreateCacheEntry', { key: 'k' })).toEqual({ ok: true })
    expect(String(seen[0]?.url)).toBe(
      'https://results.example/twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry',
    )
    expect(seen[0]).toMatchObject({
      method: 'POST',
      body: '{"key":"k"}',
      headers: { authorization: 'Bearer runtime-token', 'content-type': 'application/json' },
    })
  })

  test('retries 5xx and no answer with growing delays, then names the method and the last problem', async () => {
    const clock = fakeClock()
    const answers: (number | Error)[] = [503, new HttpError('timeout', 'no response within 1000ms'), 500]
    const http: HttpClient = async (request) => {
      const next = answers.shift()
      if (next instanceof Error) throw next
      return {
        status: next ?? 200,
        headers: {},
        body: '{"code":"internal","msg":"boom"}',
        url: String(request.url),
      }
    }
    await expect(twirp(config(http, clock), 'GetCacheEntryDownloadURL', {})).rejects.toThrow(
      'GetCacheEntryDownloadURL failed after 3 attempts: HTTP 500: boom',
    )
    expect(clock.sleeps).toEqual([100, 150])
  })

  test('does not retry a 4xx', async () => {
    const clock = fakeClock()
    let calls = 0
    const http: HttpClient = async (request) => {
      calls += 1
      return {
        status: 401,
        headers: {},
        body: '{"code":"unauthenticated","msg":"bad token"}',
        url: String(request.url),
      }
    }
    await expect(twirp(config(http, clock), 'CreateCacheEntry', {})).rejects.toThrow(
      'CreateCacheEntry failed: HTTP 401: bad token',
    )
    expect(calls).toBe(1)
  })
})

describe('lookupEntry', () => {
  const answering =
    (body: object): HttpClient =>
    async (request) => ({
      status: 200,
      headers: {},
      body: JSON.stringify(body),
      url: String(request.url),
    })
  test.each([
    [
      { ok: true, signed_download_url: 'https://blob/x?sig=s', matched_key: 'k-1' },
      { matchedKey: 'k-1', downloadUrl: 'https://blob/x?sig=s' },
    ],
    [
      { ok: true, signedDownloadUrl: 'https://blob/x?sig=s', matchedKey: 'k-1' },
      { matchedKey: 'k-1', downloadUrl: 'https://blob/x?sig=s' },
    ],
    [
      { ok: true, signed_download_url: 'https://blob/x' },
      { matchedKey: 'k-2', downloadUrl: 'https://blob/x' },
    ],
    [{ ok: false }, undefined],
    [{}, undefined],
  ])('%j', async (answer, expected) => {
    expect(await lookupEntry(config(answering(answer)), 'k-2', ['k-'], 'v')).toEqual(expected)
  })
})

describe('uploadBlob', () => {
  const recording = (status = 201) => {
    const seen: TransferRequest[] = []
    const transfer: Transfer = async (request) => {
      seen.push(request)
      return {
        status,
        headers: {},
        body: status === 201 ? '' : '<Error><Code>AuthenticationFailed</Code></Error>',
      }
    }
    return { seen, transfer }
  }

  test('one Put Blob up to the single-shot size', async () => {
    const { seen, transfer } = recording()
    await uploadBlob(transfer, 'https://blob/c/e?sig=s', '/runner-temp/a.tgz', 10, {
      idleTimeoutMs: 5,
      singleShotBytes: 10,
    })
    expect(seen).toEqual([
      expect.objectContaining({
        url: 'https://blob/c/e?sig=s',
        method: 'PUT',
        headers: expect.objectContaining({
          'x-ms-blob-type': 'BlockBlob',
          'x-ms-version': expect.any(String),
        }),
        body: { file: '/runner-temp/a.tgz', start: 0, end: 10 },
      }),
    ])
  })

  test('Put Block per block, then Put Block List naming them in order', async () => {
    const { seen, transfer } = recording()
    await uploadBlob(transfer, 'https://blob/c/e?sig=s', '/runner-temp/a.tgz', 25, {
      idleTimeoutMs: 5,
      singleShotBytes: 10,
      blockBytes: 10,
    })
    const queries = seen.map((r) => Object.fromEntries(new URL(r.url).searchParams))
    expect(queries).toEqual([
      { sig: 's', comp: 'block', blockid: blockId(0) },
      { sig: 's', comp: 'block', blockid: blockId(1) },
      { sig: 's', comp: 'block', blockid: blockId(2) },
      { sig: 's', comp: 'blocklist' },
    ])
    expect(seen.slice(0, 3).map((r) => r.body)).toEqual([
      { file: '/runner-temp/a.tgz', start: 0, end: 10 },
      { file: '/runner-temp/a.tgz', start: 10, end: 20 },
      { file: '/runner-temp/a.tgz', start: 20, end: 25 },
    ])
    expect(seen[3]?.body).toBe(blockListXml([0, 1, 2].map(blockId)))
  })

  test('a refused upload names the URL without its signature, and the storage error code', async () => {
    const { transfer } = recording(403)
    const upload = uploadBlob(transfer, 'https://blob/c/e?sig=secret', '/runner-temp/a.tgz', 1, {
      idleTimeoutMs: 5,
    })
    await expect(upload).rejects.toThrow('Upload to https://blob/c/e failed: HTTP 403 (AuthenticationFailed)')
    await expect(upload).rejects.not.toThrow(/secret/)
  })
})
