import { jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionsCacheStore, CacheUnavailableError } from '../../src/setup-django-test/cache.js'
import { startFakeCacheService, type FakeCacheService } from '../fakes/actions-cache.js'

// setup-django-test's cache store (@actions/cache underneath) against the local stand-in of the
// cache service: a miss, a save, an exact hit, a restore-key hit, a key another job saved first,
// and a step the runner gives no cache service.
let service: FakeCacheService
let work: string
let saved: NodeJS.ProcessEnv

beforeEach(async () => {
  service = await startFakeCacheService()
  work = mkdtempSync(join(tmpdir(), 'django-cache-test-'))
  saved = { ...process.env }
  Object.assign(process.env, service.env(), { RUNNER_TEMP: work, GITHUB_WORKSPACE: work })
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterEach(async () => {
  jest.restoreAllMocks()
  process.env = saved
  await service.close()
  rmSync(work, { recursive: true, force: true })
})

describe('actionsCacheStore', () => {
  it('saves a folder and restores it by exact key and by restore key', async () => {
    const store = actionsCacheStore()
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
  })

  it('takes a key another job already saved as saved', async () => {
    const store = actionsCacheStore()
    const dir = join(work, 'pip')
    mkdirSync(dir)
    writeFileSync(join(dir, 'f'), 'x')
    await store.save(dir, 'same')
    await expect(store.save(dir, 'same')).resolves.toBeUndefined()
    expect(service.entries).toHaveLength(1)
  })

  it('says when a save kept nothing', async () => {
    const store = actionsCacheStore()
    service.failWith = 400
    await expect(store.save(work, 'k')).rejects.toThrow('the cache service kept no entry for k')
  })

  it('tells a step without a cache service apart from a miss', async () => {
    delete process.env.ACTIONS_RESULTS_URL
    delete process.env.ACTIONS_CACHE_URL
    await expect(actionsCacheStore().restore(work, 'k', [])).rejects.toThrow(CacheUnavailableError)
  })
})
