// The real implementations behind the ports: processes, HTTP, and the runner protocol.
import { jest } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exec } from '../../src/lib/process/exec.js'
import { HttpError, nodeHttpClient } from '../../src/lib/http/client.js'
import { actionsCore } from '../../src/lib/runner/io.js'
import { parseFileCommands, runAction } from '../helpers/run-action.js'
import { freePort, startHttpServer, startHttpsServer } from '../helpers/servers.js'

describe('exec', () => {
  test('arguments are data, never shell syntax', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exec-'))
    try {
      const hostile = `$(touch ${join(dir, 'pwned')}); rm -rf ~ \`id\``
      const result = await exec('printf', ['%s', hostile])
      expect(result).toMatchObject({ exitCode: 0, stdout: hostile })
      expect(existsSync(join(dir, 'pwned'))).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('stdin input, exit code and stderr tail', async () => {
    const result = await exec(
      'sh',
      ['-c', 'read secret; echo "got $secret"; for i in $(seq 1 30); do echo "line $i" >&2; done; exit 3'],
      {
        input: 'hunter2\n',
      },
    )
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toBe('got hunter2\n')
    expect(result.stderrTail.split('\n')).toHaveLength(20)
    expect(result.stderrTail.split('\n').at(-1)).toBe('line 30')
  })
})

// The same contract one-shot and on pooled keep-alive connections (keep-alive.ts; its own edges
// in http-keep-alive.test.ts).
describe.each([false, true])('nodeHttpClient (keepAlive: %s)', (keepAlive) => {
  test('returns status, lower-cased headers and body', async () => {
    const server = await startHttpServer((req, res) => {
      res.setHeader('X-Echo', req.method ?? '')
      res.end(`body:${req.headers['x-in']}`)
    })
    try {
      const response = await nodeHttpClient({
        url: server.url,
        headers: { 'X-In': 'a' },
        method: 'POST',
        body: 'x',
        timeoutMs: 2000,
        keepAlive,
      })
      expect(response).toMatchObject({ status: 200, body: 'body:a', headers: { 'x-echo': 'POST' } })
    } finally {
      await server.close()
    }
  })

  test('classifies refused, timed-out, reset and TLS failures', async () => {
    const port = await freePort()
    await expect(
      nodeHttpClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 2000, keepAlive }),
    ).rejects.toMatchObject({
      code: 'refused',
    })

    const hang = await startHttpServer(() => undefined)
    await expect(nodeHttpClient({ url: hang.url, timeoutMs: 200, keepAlive })).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringContaining('within 200ms'),
    })
    await hang.close()

    const raw = net.createServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', () => resolve()))
    const rawPort = (raw.address() as net.AddressInfo).port
    await expect(
      nodeHttpClient({ url: `http://127.0.0.1:${rawPort}`, timeoutMs: 2000, keepAlive }),
    ).rejects.toMatchObject({ code: 'reset' })
    raw.close()

    const tls = await startHttpsServer((_req, res) => res.end('ok'))
    try {
      const error = await nodeHttpClient({ url: tls.url, timeoutMs: 2000, keepAlive }).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(HttpError)
      expect((error as HttpError).code).toBe('tls')
      await expect(
        nodeHttpClient({ url: tls.url, timeoutMs: 2000, keepAlive, insecure: true }),
      ).resolves.toMatchObject({
        body: 'ok',
      })
    } finally {
      await tls.close()
    }
  })

  test('cuts bodies past the limit', async () => {
    const server = await startHttpServer((_req, res) => res.end('x'.repeat(5000)))
    try {
      const response = await nodeHttpClient({
        url: server.url,
        timeoutMs: 2000,
        keepAlive,
        maxBodyBytes: 100,
      })
      expect(response.body).toHaveLength(100)
    } finally {
      await server.close()
    }
  })
})

describe('runner protocol (src/lib/runner/io.ts)', () => {
  test('outputs use the heredoc form; annotations and masks are escaped workflow commands', () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-'))
    const output = join(dir, 'output')
    writeFileSync(output, '')
    const saved = process.env.GITHUB_OUTPUT
    process.env.GITHUB_OUTPUT = output
    const writes: string[] = []
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk))
      return true
    })
    try {
      const io = actionsCore()
      io.setOutput('results', 'line one\nname=value')
      io.error('bad\nthing 100%', { title: 'a,b:c', file: 'Dockerfile', startLine: 3 })
      io.setSecret('s3cret')
      io.setFailed('it broke')
    } finally {
      spy.mockRestore()
      if (saved === undefined) delete process.env.GITHUB_OUTPUT
      else process.env.GITHUB_OUTPUT = saved
    }
    expect(process.exitCode).toBe(1)
    process.exitCode = 0
    expect(parseFileCommands(readFileSync(output, 'utf8'))).toEqual({ results: 'line one\nname=value' })
    expect(writes).toEqual([
      '::error title=a%2Cb%3Ac,file=Dockerfile,line=3::bad%0Athing 100%25\n',
      '::add-mask::s3cret\n',
      '::error::it broke\n',
    ])
    rmSync(dir, { recursive: true, force: true })
  })
})

describe('runAction (test helper)', () => {
  test('streams complete stdout lines with their arrival time', async () => {
    const lines: { line: string; at: number }[] = []
    const before = Date.now()
    const run = await runAction('smoke-test', {}, { onStdoutLine: (line, at) => lines.push({ line, at }) })
    expect(run.exitCode).toBe(1)
    expect(lines.map((l) => l.line)).toEqual(run.stdout.split('\n').slice(0, -1))
    expect(lines.every((l) => l.at >= before)).toBe(true)
  })
})
