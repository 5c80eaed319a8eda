import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CacheDeps, defaultCacheDeps, restoreCache, saveCache } from '../../src/lib/actions-cache.js'
import { startFakeCacheService, type FakeCacheService } from '../fakes/actions-cache.js'

// src/lib/actions-cache.ts with its real ports (node:http, the system tar) against a local
// stand-in of the cache service v2 (Twirp + blob storage behind signed URLs).
let service: FakeCacheService
let work: string
let workspace: string
let lines: string[]
let warnings: string[]

beforeEach(async () => {
  service = await startFakeCacheService()
  work = mkdtempSync(join(tmpdir(), 'actions-cache-int-'))
  workspace = join(work, 'workspace')
  mkdirSync(workspace)
  lines = []
  warnings = []
})
afterEach(async () => {
  await service.close()
  rmSync(work, { recursive: true, force: true })
})

function deps(overrides: Partial<CacheDeps> = {}): CacheDeps {
  return {
    ...defaultCacheDeps(
      (line) => void lines.push(line),
      (line) => void warnings.push(line),
    ),
    env: { ...service.env(), RUNNER_TEMP: join(work, 'temp'), GITHUB_WORKSPACE: workspace },
    cwd: workspace,
    retryDelayMs: 1,
    ...overrides,
  }
}

/** A folder inside the workspace and one outside it (like ~/.cache/trivy/db). */
function writeData(): { inside: string; outside: string } {
  const inside = join(workspace, 'node_modules')
  const outside = join(work, 'home', '.cache', 'db')
  mkdirSync(join(inside, 'pkg'), { recursive: true })
  mkdirSync(outside, { recursive: true })
  writeFileSync(join(inside, 'pkg', 'index.js'), 'module.exports = 1')
  writeFileSync(join(outside, 'trivy.db'), 'vulnerabilities')
  return { inside, outside }
}

describe('actions-cache against the fake cache service', () => {
  it('misses, saves, then restores by exact key what was saved', async () => {
    const { inside, outside } = writeData()
    const paths = [inside, outside]
    expect(await restoreCache(deps(), paths, 'deps-linux-abc', ['deps-linux-'])).toBeUndefined()
    expect(lines).toContain('Cache not found for keys: deps-linux-abc, deps-linux-')

    expect(await saveCache(deps(), paths, 'deps-linux-abc')).toBe(true)
    expect(service.entries).toMatchObject([{ key: 'deps-linux-abc', finalized: true }])

    rmSync(inside, { recursive: true })
    rmSync(outside, { recursive: true })
    expect(await restoreCache(deps(), paths, 'deps-linux-abc', ['deps-linux-'])).toBe('deps-linux-abc')
    expect(readFileSync(join(inside, 'pkg', 'index.js'), 'utf8')).toBe('module.exports = 1')
    expect(readFileSync(join(outside, 'trivy.db'), 'utf8')).toBe('vulnerabilities')
    expect(lines).toContain('Cache hit for: deps-linux-abc')
    expect(warnings).toEqual([])
    expect(service.calls).toEqual([
      'POST GetCacheEntryDownloadURL',
      'POST CreateCacheEntry',
      'PUT /blob/1',
      'POST FinalizeCacheEntryUpload',
      'POST GetCacheEntryDownloadURL',
      'GET /blob/1',
    ])
    // The archive and its folder in RUNNER_TEMP are gone.
    expect(readdirSync(join(work, 'temp'))).toEqual([])
  })

  it('restores the newest entry a restore key prefixes, and only for the same paths', async () => {
    const { inside } = writeData()
    await saveCache(deps(), [inside], 'deps-linux-old')
    writeFileSync(join(inside, 'pkg', 'index.js'), 'module.exports = 2')
    await saveCache(deps(), [inside], 'deps-linux-new')
    rmSync(inside, { recursive: true })

    expect(await restoreCache(deps(), [inside], 'deps-linux-other', ['deps-linux-'])).toBe('deps-linux-new')
    expect(readFileSync(join(inside, 'pkg', 'index.js'), 'utf8')).toBe('module.exports = 2')
    expect(lines).toContain('Cache hit for restore-key: deps-linux-new')
    // Other paths are another version: the entries are not offered for them.
    expect(await restoreCache(deps(), [join(workspace, 'elsewhere')], 'deps-linux-new')).toBeUndefined()
  })

  it('uploads a large archive as blocks plus a block list, and restores it byte for byte', async () => {
    const data = join(workspace, 'big')
    mkdirSync(data)
    const bytes = randomBytes(300_000)
    writeFileSync(join(data, 'random.bin'), bytes)
    const small = deps({ uploadLimits: { singleShotBytes: 64 * 1024, blockBytes: 64 * 1024 } })
    expect(await saveCache(small, [data], 'big')).toBe(true)
    expect(service.calls.filter((c) => c.startsWith('PUT'))).toEqual([
      ...Array.from({ length: 5 }, () => 'PUT /blob/1?comp=block'),
      'PUT /blob/1?comp=blocklist',
    ])
    rmSync(data, { recursive: true })
    expect(await restoreCache(deps(), [data], 'big')).toBe('big')
    expect(readFileSync(join(data, 'random.bin')).equals(bytes)).toBe(true)
  })

  it('a key already saved by another job is a warning, not an error', async () => {
    const { inside } = writeData()
    expect(await saveCache(deps(), [inside], 'same')).toBe(true)
    expect(await saveCache(deps(), [inside], 'same')).toBe(false)
    expect(warnings).toEqual([
      'Cache not saved: the service refused key same: cache entry same already exists',
    ])
  })

  it('a service answering 500 is retried, then a warning; nothing throws', async () => {
    const { inside } = writeData()
    service.failWith = 500
    expect(await restoreCache(deps(), [inside], 'k')).toBeUndefined()
    expect(await saveCache(deps(), [inside], 'k')).toBe(false)
    expect(warnings).toEqual([
      'Failed to restore cache: GetCacheEntryDownloadURL failed after 3 attempts: HTTP 500: cache service is down',
      'Failed to save cache: CreateCacheEntry failed after 3 attempts: HTTP 500: cache service is down',
    ])
    expect(service.calls.filter((c) => c === 'POST GetCacheEntryDownloadURL')).toHaveLength(3)
  })

  it('a slow service times out into a warning', async () => {
    const { inside } = writeData()
    service.delayMs = 2_000
    expect(await restoreCache(deps({ timeoutMs: 100, attempts: 1 }), [inside], 'k')).toBeUndefined()
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Failed to restore cache: GetCacheEntryDownloadURL failed: no response from .* within 100ms$/,
      ),
    ])
  })

  it('a wrong token is refused without retrying', async () => {
    const { inside } = writeData()
    const env = { ...service.env(), ACTIONS_RUNTIME_TOKEN: 'wrong', GITHUB_WORKSPACE: workspace }
    expect(await restoreCache(deps({ env }), [inside], 'k')).toBeUndefined()
    expect(warnings).toEqual([
      'Failed to restore cache: GetCacheEntryDownloadURL failed: HTTP 401: bad token',
    ])
    expect(service.calls).toEqual(['POST GetCacheEntryDownloadURL'])
  })

  it('without the service variables: a warning and no request', async () => {
    const { inside } = writeData()
    expect(await restoreCache(deps({ env: {} }), [inside], 'k')).toBeUndefined()
    expect(await saveCache(deps({ env: {} }), [inside], 'k')).toBe(false)
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toContain('the cache service is not available on this runner')
    expect(service.calls).toEqual([])
  })
})
