import { jest } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as cache from '@actions/cache'
import { startFakeCacheService, type FakeCacheService } from '../fakes/actions-cache.js'

// The fake cache service's own tests: @actions/cache 6.3.0 itself (what the actions cache
// through) against it. The fake is right when GitHub's own client works against it, and these
// are the scenarios a pipeline meets: a miss, a hit, a hit by restore key in GitHub's documented
// matching order, a lookup without download, a 503 the client retries, a 429 it does not, a
// 409 from a parallel job that saved first, and the same save run twice.
let service: FakeCacheService
let work: string
let workspace: string
let stdout: string[]
let saved: NodeJS.ProcessEnv

beforeEach(async () => {
  service = await startFakeCacheService()
  work = mkdtempSync(join(tmpdir(), 'actions-cache-int-'))
  workspace = join(work, 'workspace')
  mkdirSync(join(work, 'temp'), { recursive: true })
  mkdirSync(workspace)
  saved = { ...process.env }
  Object.assign(process.env, service.env(), {
    RUNNER_TEMP: join(work, 'temp'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: 'https://github.com',
  })
  delete process.env.ACTIONS_CACHE_MODE
  delete process.env.RUNNER_DEBUG
  stdout = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk))
    return true
  })
})
afterEach(async () => {
  jest.restoreAllMocks()
  process.env = saved
  await service.close()
  rmSync(work, { recursive: true, force: true })
})

/** A folder inside the workspace and one outside it (like ~/.cache/trivy/db). */
function writeData(): string[] {
  const inside = join(workspace, 'node_modules')
  const outside = join(work, 'home', '.cache', 'db')
  mkdirSync(join(inside, 'pkg'), { recursive: true })
  mkdirSync(outside, { recursive: true })
  writeFileSync(join(inside, 'pkg', 'index.js'), 'module.exports = 1')
  writeFileSync(join(outside, 'trivy.db'), 'vulnerabilities')
  return [inside, outside]
}

const annotations = () => stdout.filter((line) => /^::(warning|error)/.test(line))
const log = () => stdout.join('')

describe('@actions/cache against the fake cache service', () => {
  it('misses, saves, then restores by exact key and by restore key what was saved', async () => {
    const paths = writeData()
    expect(await cache.restoreCache(paths, 'deps-linux-abc', ['deps-linux-'])).toBeUndefined()

    expect(await cache.saveCache(paths, 'deps-linux-abc')).toBe(1)
    expect(service.entries).toMatchObject([{ key: 'deps-linux-abc', finalized: true }])

    rmSync(join(workspace, 'node_modules'), { recursive: true })
    rmSync(join(work, 'home'), { recursive: true })
    expect(await cache.restoreCache(paths, 'deps-linux-abc', ['deps-linux-'])).toBe('deps-linux-abc')
    expect(readFileSync(join(workspace, 'node_modules', 'pkg', 'index.js'), 'utf8')).toBe(
      'module.exports = 1',
    )
    expect(readFileSync(join(work, 'home', '.cache', 'db', 'trivy.db'), 'utf8')).toBe('vulnerabilities')
    expect(log()).toContain('Cache hit for: deps-linux-abc')

    rmSync(join(workspace, 'node_modules'), { recursive: true })
    expect(await cache.restoreCache(paths, 'deps-linux-def', ['deps-linux-'])).toBe('deps-linux-abc')
    expect(readFileSync(join(workspace, 'node_modules', 'pkg', 'index.js'), 'utf8')).toBe(
      'module.exports = 1',
    )
    expect(log()).toContain('Cache hit for restore-key: deps-linux-abc')

    // Other paths are another version: never restored into the wrong place.
    expect(await cache.restoreCache([join(work, 'other')], 'deps-linux-abc')).toBeUndefined()
    expect(annotations()).toEqual([])
    expect(service.calls).toEqual([
      'POST GetCacheEntryDownloadURL',
      'POST CreateCacheEntry',
      'PUT /devstoreaccount1/actions-cache/1',
      'POST FinalizeCacheEntryUpload',
      'POST GetCacheEntryDownloadURL',
      'GET /devstoreaccount1/actions-cache/1',
      'POST GetCacheEntryDownloadURL',
      'GET /devstoreaccount1/actions-cache/1',
      'POST GetCacheEntryDownloadURL',
    ])
  })

  it('retries an upload the blob store answers with 503, and saves', async () => {
    const paths = writeData()
    service.uploadFailures = 1
    expect(await cache.saveCache(paths, 'retried')).toBe(1)
    expect(service.calls.filter((c) => c.startsWith('PUT'))).toHaveLength(2)
    expect(service.entries).toMatchObject([{ key: 'retried', finalized: true }])
    expect(annotations()).toEqual([])
  })

  it('retries a Twirp call the service answers with 503', async () => {
    const paths = writeData()
    service.twirpFailures = 1
    expect(await cache.restoreCache(paths, 'blip')).toBeUndefined()
    expect(service.calls).toEqual(['POST GetCacheEntryDownloadURL', 'POST GetCacheEntryDownloadURL'])
    expect(log()).toContain('Attempt 1 of 5 failed with error: Failed request: (503)')
    expect(annotations()).toEqual([])
  }, 20_000)

  it('lets a parallel job that saved first win, without a warning (409 already exists)', async () => {
    const paths = writeData()
    const results = await Promise.all([cache.saveCache(paths, 'matrix'), cache.saveCache(paths, 'matrix')])
    expect(results.sort()).toEqual([-1, 1])
    expect(service.entries).toHaveLength(1)
    expect(log()).toContain(
      'Failed to save: Unable to reserve cache with key matrix, another job may be creating this cache.',
    )
    expect(annotations()).toEqual([])
  })

  it('saves the same key twice: the second run stores nothing and does not warn', async () => {
    const paths = writeData()
    expect(await cache.saveCache(paths, 'twice')).toBe(1)
    expect(await cache.saveCache(paths, 'twice')).toBe(-1)
    expect(service.entries).toMatchObject([{ key: 'twice', finalized: true }])
    expect(service.calls.filter((c) => c === 'POST CreateCacheEntry')).toHaveLength(2)
    expect(service.calls.filter((c) => c.startsWith('PUT'))).toHaveLength(1)
    expect(annotations()).toEqual([])
  })

  it("matches the key itself as a prefix before the restore keys, the newest entry first (GitHub's documented order)", async () => {
    const paths = writeData()
    for (const key of ['deps-linux-abc-1', 'deps-linux-abc-2', 'deps-other'])
      expect(await cache.saveCache(paths, key)).toBeGreaterThan(0)
    expect(await cache.restoreCache(paths, 'deps-linux-abc', ['deps-other'])).toBe('deps-linux-abc-2')
    expect(await cache.restoreCache(paths, 'deps-linux-xyz', ['deps-other', 'deps-linux-'])).toBe(
      'deps-other',
    )
    expect(await cache.restoreCache(paths, 'deps-linux-xyz', ['deps-linux-'])).toBe('deps-linux-abc-2')
    expect(annotations()).toEqual([])
  })

  it('looks up without downloading when asked to (lookupOnly)', async () => {
    const paths = writeData()
    expect(await cache.saveCache(paths, 'look')).toBe(1)
    rmSync(join(workspace, 'node_modules'), { recursive: true })
    const start = service.calls.length
    expect(await cache.restoreCache(paths, 'look', [], { lookupOnly: true })).toBe('look')
    expect(service.calls.slice(start)).toEqual(['POST GetCacheEntryDownloadURL'])
    expect(existsSync(join(workspace, 'node_modules'))).toBe(false)
    expect(log()).toContain('Lookup only - skipping download')
  })

  it('a rate-limited lookup (429) is one request and a warning, not retried', async () => {
    const paths = writeData()
    service.failWith = 429
    expect(await cache.restoreCache(paths, 'limited')).toBeUndefined()
    expect(service.calls).toEqual(['POST GetCacheEntryDownloadURL'])
    expect(annotations()).toEqual([
      expect.stringMatching(/^::warning::Failed to restore: .*Rate limited: .*\(429\)/),
    ])
  })

  it('a service that stays down is a warning, never an exception', async () => {
    const paths = writeData()
    service.failWith = 401
    expect(await cache.restoreCache(paths, 'k')).toBeUndefined()
    expect(annotations()).toEqual([expect.stringMatching(/^::warning::Failed to restore: .*\(401\)/)])
  })
})
