import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  cacheDir,
  cacheFile,
  cleanVersion,
  downloadFile,
  extractTarArgs,
  findTool,
  toolCacheDirs,
  toolPath,
} from '../../../src/lib/tool-cache.js'
import { redactUrl, type Transfer, type TransferRequest } from '../../../src/lib/transfer.js'
import { fakeClock } from '../../helpers/clock.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tool-cache-unit-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('layout (the one @actions/tool-cache uses)', () => {
  test.each([
    ['0.67.2', '0.67.2'],
    ['v0.67.2', '0.67.2'],
    ['=v1.2.3', '1.2.3'],
    [' 1.2.3 ', '1.2.3'],
  ])('version %j is filed as %s', (given, cleaned) => {
    expect(cleanVersion(given)).toBe(cleaned)
    expect(toolPath('/cache', 'trivy', given, 'x64')).toBe(`/cache/trivy/${cleaned}/x64`)
  })

  test('runner directories, and the temp dir outside a runner', () => {
    expect(
      toolCacheDirs({ RUNNER_TOOL_CACHE: '/opt/hostedtoolcache', RUNNER_TEMP: '/home/runner/work/_temp' }),
    ).toEqual({
      root: '/opt/hostedtoolcache',
      temp: '/home/runner/work/_temp',
    })
    expect(toolCacheDirs({})).toEqual({ root: join(tmpdir(), 'devops-actions-tool-cache'), temp: tmpdir() })
  })

  test('a folder counts as cached only with its .complete marker', () => {
    mkdirSync(join(dir, 'trivy', '0.67.2', 'x64'), { recursive: true })
    expect(findTool(dir, 'trivy', '0.67.2', 'x64')).toBeUndefined()
    writeFileSync(join(dir, 'trivy', '0.67.2', 'x64.complete'), '')
    expect(findTool(dir, 'trivy', 'v0.67.2', 'x64')).toBe(join(dir, 'trivy', '0.67.2', 'x64'))
    expect(findTool(dir, 'trivy', '0.67.2', 'arm64')).toBeUndefined()
  })

  test('cacheFile and cacheDir replace a stale folder and write the marker', async () => {
    const stale = join(dir, 'cache', 'tool', '1.0.0', 'x64')
    mkdirSync(stale, { recursive: true })
    writeFileSync(join(stale, 'leftover'), 'old')
    writeFileSync(join(dir, 'source-bin'), 'binary')
    const folder = await cacheFile(
      join(dir, 'cache'),
      join(dir, 'source-bin'),
      'tool',
      'tool',
      '1.0.0',
      'x64',
    )
    expect(folder).toBe(stale)
    expect(readdirSync(folder)).toEqual(['tool'])
    expect(existsSync(`${folder}.complete`)).toBe(true)

    mkdirSync(join(dir, 'src', 'bin'), { recursive: true })
    writeFileSync(join(dir, 'src', 'bin', 'x'), 'x')
    const copied = await cacheDir(join(dir, 'cache'), join(dir, 'src'), 'other', '2.0.0', 'arm64')
    expect(readFileSync(join(copied, 'bin', 'x'), 'utf8')).toBe('x')
    expect(findTool(join(dir, 'cache'), 'other', '2.0.0', 'arm64')).toBe(copied)
  })
})

test.each([
  [false, ['xz', '-C', '/d', '-f', '/f.tgz']],
  [true, ['xz', '--warning=no-unknown-keyword', '--overwrite', '-C', '/d', '-f', '/f.tgz']],
])('tar arguments to extract (GNU tar: %s)', (gnu, args) => {
  expect(extractTarArgs('/f.tgz', '/d', gnu)).toEqual(args)
})

test.each([
  ['https://user:pass@github.com/a/b.tar.gz?token=abc#x', 'https://github.com/a/b.tar.gz'],
  ['http://127.0.0.1:8080/blob/1?sig=ok', 'http://127.0.0.1:8080/blob/1'],
  ['not a url', '(invalid URL)'],
])('redactUrl(%s)', (url, shown) => {
  expect(redactUrl(url)).toBe(shown)
})

describe('downloadFile', () => {
  // A transfer that answers from a script and writes the body of a 200 into the target file.
  const scripted = (answers: (Partial<{ status: number; location: string; body: string }> | Error)[]) => {
    const seen: TransferRequest[] = []
    const transfer: Transfer = async (request) => {
      seen.push(request)
      const next = answers.shift() ?? { status: 200 }
      if (next instanceof Error) throw next
      const status = next.status ?? 200
      if (status === 200 && request.toFile) writeFileSync(request.toFile, next.body ?? 'bytes')
      const headers: Record<string, string> = next.location ? { location: next.location } : {}
      return { status, headers, body: '' }
    }
    return { seen, transfer }
  }

  test('follows redirects (relative and absolute) to the file', async () => {
    const { seen, transfer } = scripted([
      { status: 302, location: 'https://objects.example/asset?X-Amz-Signature=s' },
      { status: 301, location: '/final' },
      { status: 200, body: 'tarball' },
    ])
    const file = await downloadFile('https://github.com/o/r/releases/download/v1/a.tgz', { transfer, dir })
    expect(readFileSync(file, 'utf8')).toBe('tarball')
    expect(seen.map((r) => r.url)).toEqual([
      'https://github.com/o/r/releases/download/v1/a.tgz',
      'https://objects.example/asset?X-Amz-Signature=s',
      'https://objects.example/final',
    ])
  })

  test('retries a 5xx and no answer, not a 404, and names the URL without its query', async () => {
    const clock = fakeClock()
    const flaky = scripted([{ status: 503 }, new Error('socket hang up'), { status: 200 }])
    await downloadFile('https://h/x', { transfer: flaky.transfer, dir, sleep: clock.sleep, retryDelayMs: 7 })
    expect(clock.sleeps).toEqual([7, 7])

    const missing = scripted([{ status: 404 }])
    await expect(
      downloadFile('https://h/x.tgz?token=secret', { transfer: missing.transfer, dir, sleep: clock.sleep }),
    ).rejects.toThrow(/^Download of https:\/\/h\/x\.tgz failed: HTTP 404$/)
    expect(missing.seen).toHaveLength(1)
    expect(readdirSync(dir)).toHaveLength(1)
  })

  test('gives up after the attempts, leaving no partial file', async () => {
    const clock = fakeClock()
    const down = scripted([{ status: 500 }, { status: 502 }, { status: 503 }])
    await expect(
      downloadFile('https://h/x', { transfer: down.transfer, dir, sleep: clock.sleep }),
    ).rejects.toThrow('Download of https://h/x failed: HTTP 503')
    expect(readdirSync(dir)).toEqual([])
  })

  test('stops a redirect loop', async () => {
    const loop = scripted(Array.from({ length: 20 }, () => ({ status: 302, location: '/again' })))
    await expect(
      downloadFile('https://h/x', { transfer: loop.transfer, dir, maxRedirects: 3, attempts: 1 }),
    ).rejects.toThrow('Download of https://h/x failed: more than 3 redirects')
  })
})
