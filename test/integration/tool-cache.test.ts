import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import type http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exec } from '../../src/lib/exec.js'
import { cacheDir, downloadFile, extractTarGz, findTool } from '../../src/lib/tool-cache.js'
import { nodeTransfer } from '../../src/lib/transfer.js'
import { startHttpServer, type Server } from '../helpers/servers.js'

// src/lib/tool-cache.ts with its real ports: node:http against a local server that redirects
// like GitHub release downloads do, and the system tar.
let work: string
let server: Server
let tarball: Buffer
let big: Buffer
const seen: string[] = []

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? ''
  seen.push(url)
  if (url === '/releases/download/v1.0.0/tool.tar.gz') {
    res.writeHead(302, { location: `${server.url}/objects/tool.tar.gz?X-Amz-Signature=secret` }).end()
  } else if (url === '/objects/tool.tar.gz?X-Amz-Signature=secret') {
    res.writeHead(200, { 'content-length': tarball.length }).end(tarball)
  } else if (url === '/big') {
    res.writeHead(200).end(big)
  } else if (url === '/stall') {
    res.writeHead(200, { 'content-length': 100 })
    res.write('only part of it')
  } else {
    res.writeHead(404).end('not found')
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tool-cache-int-'))
  const content = join(work, 'content')
  mkdirSync(join(content, 'bin'), { recursive: true })
  writeFileSync(join(content, 'bin', 'tool'), '#!/bin/sh\necho tool 1.0.0\n')
  chmodSync(join(content, 'bin', 'tool'), 0o755)
  writeFileSync(join(content, 'LICENSE'), 'MIT')
  execFileSync('tar', ['-czf', join(work, 'tool.tar.gz'), '-C', content, 'bin', 'LICENSE'])
  tarball = readFileSync(join(work, 'tool.tar.gz'))
  big = randomBytes(5 * 1024 * 1024)
  server = await startHttpServer(handler)
})
afterAll(async () => {
  await server.close()
  rmSync(work, { recursive: true, force: true })
})

describe('tool-cache with node:http and tar', () => {
  it('downloads through a redirect, extracts, caches, and finds the tool next time', async () => {
    const temp = join(work, 'temp')
    const root = join(work, 'toolcache')
    expect(findTool(root, 'tool', '1.0.0', 'x64')).toBeUndefined()

    const file = await downloadFile(`${server.url}/releases/download/v1.0.0/tool.tar.gz`, {
      transfer: nodeTransfer,
      dir: temp,
    })
    expect(readFileSync(file).equals(tarball)).toBe(true)
    const extracted = await extractTarGz(exec, file, temp)
    const cached = await cacheDir(root, extracted, 'tool', 'v1.0.0', 'x64')

    expect(cached).toBe(join(root, 'tool', '1.0.0', 'x64'))
    expect(findTool(root, 'tool', '1.0.0', 'x64')).toBe(cached)
    expect(readdirSync(join(root, 'tool', '1.0.0')).sort()).toEqual(['x64', 'x64.complete'])
    expect(execFileSync(join(cached, 'bin', 'tool'), { encoding: 'utf8' })).toBe('tool 1.0.0\n')
    expect(statSync(join(cached, 'bin', 'tool')).mode & 0o111).not.toBe(0)
  })

  it('streams a large body to disk intact', async () => {
    const file = await downloadFile(`${server.url}/big`, { transfer: nodeTransfer, dir: join(work, 'temp') })
    expect(readFileSync(file).equals(big)).toBe(true)
  })

  it('a 404 fails at once with the URL, never its query string', async () => {
    const download = downloadFile(`${server.url}/missing.tar.gz?token=ghp_secret`, {
      transfer: nodeTransfer,
      dir: join(work, 'temp-404'),
    })
    await expect(download).rejects.toThrow(`Download of ${server.url}/missing.tar.gz failed: HTTP 404`)
    await expect(download).rejects.not.toThrow(/ghp_secret/)
    expect(readdirSync(join(work, 'temp-404'))).toEqual([])
  })

  it('a download that stalls times out and leaves no partial file', async () => {
    const dir = join(work, 'temp-stall')
    const download = downloadFile(`${server.url}/stall`, {
      transfer: nodeTransfer,
      dir,
      idleTimeoutMs: 200,
      attempts: 2,
      retryDelayMs: 1,
    })
    await expect(download).rejects.toThrow(
      new RegExp(
        `^Download of ${server.url}/stall failed: GET ${server.url}/stall: the answer stalled for 200ms$`,
      ),
    )
    expect(seen.filter((url) => url === '/stall')).toHaveLength(2)
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([])
  })

  it('a refused connection names the URL', async () => {
    const closed = await startHttpServer(handler)
    await closed.close()
    await expect(
      downloadFile(`${closed.url}/x?sig=s`, { transfer: nodeTransfer, dir: join(work, 'temp'), attempts: 1 }),
    ).rejects.toThrow(
      new RegExp(`^Download of ${closed.url}/x failed: GET ${closed.url}/x failed: .*ECONNREFUSED`),
    )
  })
})
