import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  absolutePath,
  type CacheDeps,
  cacheModeAllows,
  createTarArgs,
  extractTarArgs,
  manifestLines,
  restoreCache,
  saveCache,
  serviceFromEnv,
} from '../../../src/lib/actions-cache.js'
import type { Exec } from '../../../src/lib/exec.js'
import type { HttpClient, HttpRequest } from '../../../src/lib/http.js'
import type { Transfer, TransferRequest } from '../../../src/lib/transfer.js'
import { fakeClock } from '../../helpers/clock.js'

const SERVICE = {
  ACTIONS_RESULTS_URL: 'https://results/',
  ACTIONS_RUNTIME_TOKEN: 't',
  ACTIONS_CACHE_SERVICE_V2: 'True',
}

describe('serviceFromEnv', () => {
  test('the v2 service on github.com and GHE.com', () => {
    expect(serviceFromEnv(SERVICE)).toEqual({ baseUrl: 'https://results/', token: 't' })
    expect(serviceFromEnv({ ...SERVICE, GITHUB_SERVER_URL: 'https://acme.ghe.com' })).toEqual({
      baseUrl: 'https://results/',
      token: 't',
    })
  })
  test.each([
    [{}, 'ACTIONS_RESULTS_URL or ACTIONS_RUNTIME_TOKEN is not set'],
    [{ ...SERVICE, ACTIONS_RUNTIME_TOKEN: '' }, 'ACTIONS_RESULTS_URL or ACTIONS_RUNTIME_TOKEN is not set'],
    [{ ...SERVICE, ACTIONS_CACHE_SERVICE_V2: '' }, 'ACTIONS_CACHE_SERVICE_V2 is not set'],
    [{ ...SERVICE, GITHUB_SERVER_URL: 'https://git.acme.internal' }, 'GitHub Enterprise Server'],
  ])('none usable: %j', (env, reason) => {
    expect(serviceFromEnv(env)).toEqual(
      expect.stringContaining('the cache service is not available on this runner'),
    )
    expect(serviceFromEnv(env)).toEqual(expect.stringContaining(reason))
  })
})

test.each([
  ['', true, true],
  ['read', true, false],
  ['write', true, true],
  ['write-only', false, true],
  ['none', false, false],
  [' WRITE ', true, true],
  ['something-new', true, true],
])('ACTIONS_CACHE_MODE %j: read %s, write %s', (mode, read, write) => {
  expect(cacheModeAllows({ ACTIONS_CACHE_MODE: mode }, 'read')).toBe(read)
  expect(cacheModeAllows({ ACTIONS_CACHE_MODE: mode }, 'write')).toBe(write)
})

test.each([
  ['~', '/home/r'],
  ['~/.cache/pip', '/home/r/.cache/pip'],
  ['node_modules', '/w/node_modules'],
  ['/abs/x', '/abs/x'],
  ['../up', '/up'],
])('absolutePath(%s)', (path, absolute) => {
  expect(absolutePath(path, '/w', '/home/r')).toBe(absolute)
})

test('manifest lines are relative to the workspace, as @actions/cache writes them', () => {
  expect(manifestLines(['/w', '/w/node_modules', '/home/r/.cache/trivy/db'], '/w')).toEqual([
    '.',
    'node_modules',
    '../home/r/.cache/trivy/db',
  ])
})

test('tar arguments: an absolute-path gzip archive made from the workspace, extracted there', () => {
  expect(createTarArgs('/w')).toEqual([
    '--posix',
    '-cf',
    'cache.tgz',
    '--exclude',
    'cache.tgz',
    '-P',
    '-C',
    '/w',
    '--files-from',
    'manifest.txt',
    '-z',
  ])
  expect(extractTarArgs('/t/cache.tgz', '/w')).toEqual(['-xf', '/t/cache.tgz', '-P', '-C', '/w', '-z'])
})

describe('restoreCache / saveCache with fake ports', () => {
  let temp: string
  beforeEach(() => {
    temp = mkdtempSync(join(tmpdir(), 'actions-cache-unit-'))
  })
  afterEach(() => rmSync(temp, { recursive: true, force: true }))

  function ports(answers: Record<string, object | number>, overrides: Partial<CacheDeps> = {}) {
    const calls: { method: string; body: unknown }[] = []
    const transfers: TransferRequest[] = []
    const tar: string[][] = []
    const lines: string[] = []
    const warnings: string[] = []
    const http: HttpClient = async (request: HttpRequest) => {
      const method = String(request.url).split('/').pop() ?? ''
      calls.push({ method, body: JSON.parse(request.body ?? '{}') })
      const answer = answers[method] ?? 404
      return typeof answer === 'number'
        ? { status: answer, headers: {}, body: '{"msg":"nope"}', url: String(request.url) }
        : { status: 200, headers: {}, body: JSON.stringify(answer), url: String(request.url) }
    }
    const transfer: Transfer = async (request) => {
      transfers.push(request)
      if (request.toFile) writeFileSync(request.toFile, 'archive')
      return { status: request.method === 'PUT' ? 201 : 200, headers: {}, body: '' }
    }
    const exec: Exec = async (command, args, options) => {
      tar.push([...args])
      if (args.includes('-cf') && options?.cwd) writeFileSync(join(options.cwd, 'cache.tgz'), 'twelve bytes')
      return { exitCode: 0, stdout: '', stderr: '', stderrTail: '' }
    }
    const deps: CacheDeps = {
      env: { ...SERVICE, RUNNER_TEMP: temp, GITHUB_WORKSPACE: '/w' },
      http,
      transfer,
      exec,
      info: (line) => void lines.push(line),
      warn: (line) => void warnings.push(line),
      sleep: fakeClock().sleep,
      platform: 'linux',
      cwd: '/w',
      ...overrides,
    }
    return { deps, calls, transfers, tar, lines, warnings }
  }

  test('a miss asks once and downloads nothing', async () => {
    const { deps, calls, transfers, lines, warnings } = ports({ GetCacheEntryDownloadURL: { ok: false } })
    expect(await restoreCache(deps, ['/p'], 'k-2', ['k-'])).toBeUndefined()
    expect(calls).toEqual([
      {
        method: 'GetCacheEntryDownloadURL',
        body: { key: 'k-2', restore_keys: ['k-'], version: expect.any(String) },
      },
    ])
    expect(transfers).toEqual([])
    expect(lines).toEqual(['Cache not found for keys: k-2, k-'])
    expect(warnings).toEqual([])
  })

  test('a restore-key hit downloads the blob and extracts it into the workspace', async () => {
    const { deps, transfers, tar, lines } = ports({
      GetCacheEntryDownloadURL: { ok: true, signed_download_url: 'https://blob/e?sig=s', matched_key: 'k-1' },
    })
    expect(await restoreCache(deps, ['/p'], 'k-2', ['k-'])).toBe('k-1')
    expect(transfers).toEqual([
      expect.objectContaining({ url: 'https://blob/e?sig=s', toFile: expect.stringMatching(/cache\.tgz$/) }),
    ])
    expect(tar).toEqual([['-xf', transfers[0]?.toFile, '-P', '-C', '/w', '-z']])
    expect(lines).toContain('Cache hit for restore-key: k-1')
  })

  test('save: archive, reserve, upload, finalize with the size', async () => {
    const dir = join(temp, 'data')
    mkdirSync(dir)
    const { deps, calls, transfers, tar } = ports(
      {
        CreateCacheEntry: { ok: true, signed_upload_url: 'https://blob/new?sig=s' },
        FinalizeCacheEntryUpload: { ok: true, entry_id: '7' },
      },
      { cwd: temp },
    )
    expect(await saveCache(deps, [dir, join(temp, 'absent')], 'k-2')).toBe(true)
    expect(calls.map((c) => c.method)).toEqual(['CreateCacheEntry', 'FinalizeCacheEntryUpload'])
    expect(calls[1]?.body).toEqual({
      key: 'k-2',
      version: (calls[0]?.body as { version: string }).version,
      size_bytes: '12',
    })
    expect(tar[0]).toContain('--files-from')
    expect(transfers).toEqual([expect.objectContaining({ url: 'https://blob/new?sig=s', method: 'PUT' })])
  })

  test('a refused reservation, a failing service and invalid keys warn and never throw', async () => {
    const dir = join(temp, 'data')
    mkdirSync(dir)
    const refused = ports({ CreateCacheEntry: { ok: false, message: 'already exists' } }, { cwd: temp })
    expect(await saveCache(refused.deps, [dir], 'k')).toBe(false)
    expect(refused.warnings).toEqual(['Cache not saved: the service refused key k: already exists'])

    const failing = ports({ GetCacheEntryDownloadURL: 500 })
    expect(await restoreCache(failing.deps, ['/p'], 'k')).toBeUndefined()
    expect(failing.calls).toHaveLength(3)
    expect(failing.warnings).toEqual([
      'Failed to restore cache: GetCacheEntryDownloadURL failed after 3 attempts: HTTP 500: nope',
    ])

    const invalid = ports({})
    expect(await restoreCache(invalid.deps, ['/p'], 'a,b')).toBeUndefined()
    expect(await saveCache(invalid.deps, [], 'k')).toBe(false)
    expect(
      await restoreCache(
        invalid.deps,
        ['/p'],
        'k',
        Array.from({ length: 10 }, (_, i) => `r${i}`),
      ),
    ).toBeUndefined()
    expect(invalid.warnings).toEqual([
      "Cache not restored: key 'a,b' contains a comma",
      'Cache not saved: no path to cache was given',
      'Cache not restored: 11 keys given; the cache service takes at most 10',
    ])
    expect(invalid.calls).toEqual([])
  })

  test('nothing to save, no service, or a read-only cache mode: no call at all', async () => {
    const none = ports({}, { env: {} })
    expect(await restoreCache(none.deps, ['/p'], 'k')).toBeUndefined()
    expect(none.warnings).toEqual([
      expect.stringContaining('the cache service is not available on this runner'),
    ])

    const missing = ports({}, { cwd: temp })
    expect(await saveCache(missing.deps, ['absent'], 'k')).toBe(false)
    expect(missing.warnings).toEqual(['Cache not saved: none of the paths exist (absent)'])

    const readOnly = ports({}, { env: { ...SERVICE, ACTIONS_CACHE_MODE: 'read' } })
    expect(await saveCache(readOnly.deps, ['/p'], 'k')).toBe(false)
    expect(readOnly.lines).toEqual(["Cache save skipped: ACTIONS_CACHE_MODE 'read' does not permit writes"])
    expect([...none.calls, ...missing.calls, ...readOnly.calls]).toEqual([])
  })
})
