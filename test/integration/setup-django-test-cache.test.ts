import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exec } from '../../src/lib/exec.js'
import { actionsCacheStore, CacheUnavailableError } from '../../src/setup-django-test/cache.js'
import { startFakeCacheService, type FakeCacheService } from '../fakes/actions-cache.js'

// The cache client against a local stand-in of the Actions cache service (Twirp + blob PUT/GET),
// with the real tar: a save, an exact hit, a restore-key hit, a miss and a service outage.
let service: FakeCacheService
let work: string

beforeEach(async () => {
  service = await startFakeCacheService()
  work = mkdtempSync(join(tmpdir(), 'django-cache-test-'))
})
afterEach(async () => {
  await service.close()
  rmSync(work, { recursive: true, force: true })
})

const envFor = (s: FakeCacheService) => ({
  ACTIONS_RESULTS_URL: `${s.url}/`,
  ACTIONS_RUNTIME_TOKEN: s.token,
  ACTIONS_CACHE_SERVICE_V2: 'True',
  RUNNER_TEMP: work,
})

describe('actionsCacheStore', () => {
  it('saves a folder and restores it by exact key and by restore key', async () => {
    const store = actionsCacheStore(envFor(service), exec)
    const dir = join(work, 'pip')
    mkdirSync(join(dir, 'http'), { recursive: true })
    writeFileSync(join(dir, 'http', 'wheel.bin'), 'cached bytes')

    expect(await store.restore(dir, 'k-linux-abc', ['k-linux-'])).toBeUndefined()
    await store.save(dir, 'k-linux-abc')
    expect(service.entries).toMatchObject([{ key: 'k-linux-abc', finalized: true }])

    rmSync(dir, { recursive: true })
    expect(await store.restore(dir, 'k-linux-abc', ['k-linux-'])).toBe('k-linux-abc')
    expect(readFileSync(join(dir, 'http', 'wheel.bin'), 'utf8')).toBe('cached bytes')

    rmSync(dir, { recursive: true })
    expect(await store.restore(dir, 'k-linux-def', ['k-linux-'])).toBe('k-linux-abc')
    expect(readFileSync(join(dir, 'http', 'wheel.bin'), 'utf8')).toBe('cached bytes')
    // Another folder is another version: never restored into the wrong place.
    expect(await store.restore(join(work, 'uv'), 'k-linux-abc', [])).toBeUndefined()

    expect(service.calls).toEqual([
      'POST GetCacheEntryDownloadURL',
      'POST CreateCacheEntry',
      'PUT /blob/1',
      'POST FinalizeCacheEntryUpload',
      'POST GetCacheEntryDownloadURL',
      'GET /blob/1',
      'POST GetCacheEntryDownloadURL',
      'GET /blob/1',
      'POST GetCacheEntryDownloadURL',
    ])
  })

  it('reports a key another job already saved', async () => {
    const store = actionsCacheStore(envFor(service), exec)
    const dir = join(work, 'pip')
    mkdirSync(dir)
    await store.save(dir, 'same')
    await expect(store.save(dir, 'same')).rejects.toThrow('cache entry same already exists')
  })

  it('surfaces service errors and a missing service as errors the caller turns into warnings', async () => {
    service.failWith = 503
    const store = actionsCacheStore(envFor(service), exec, { retryDelayMs: 1 })
    await expect(store.restore(join(work, 'x'), 'k', [])).rejects.toThrow(
      'GetCacheEntryDownloadURL failed after 3 attempts: HTTP 503: cache service is down',
    )
    await expect(actionsCacheStore({}, exec).restore(work, 'k', [])).rejects.toThrow(CacheUnavailableError)
  })
})
