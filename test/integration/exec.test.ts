// The Exec port with real processes, side by side with @actions/exec 3.0.0 (the toolkit's own
// process runner, the reference): each case that keeps src/lib/process/exec.ts its own code shows the
// library's defect first, then that our implementation does not have it. When a release of
// @actions/exec fixes one, its test here fails: the moment to drop the matching own code.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getExecOutput } from '@actions/exec'
import { exec, execChecked, STDIO_GRACE_MS } from '../../src/lib/process/exec.js'
import { repoRoot } from '../helpers/run-action.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exec-int-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

// `timeout 2 cat` ends with 124 when its stdin is still open after 2 s, with 0 once stdin closes.
const READS_STDIN = ['-c', 'timeout 2 cat; echo "cat exited $?"']

describe('a child that reads stdin, given no input', () => {
  test('@actions/exec leaves stdin open: the child waits until something kills it', async () => {
    const result = await getExecOutput('sh', READS_STDIN, { silent: true })
    expect(result.stdout).toBe('cat exited 124\n')
  })

  test('ours closes stdin: the child sees end of file at once', async () => {
    const started = Date.now()
    const result = await exec('sh', READS_STDIN)
    expect(result.stdout).toBe('cat exited 0\n')
    expect(Date.now() - started).toBeLessThan(1_500)
  })
})

describe('input for a child that exits without reading it', () => {
  // 1 MiB cannot fit in the pipe, so the write is still going when `true` exits.
  const script = (module: string, call: string) =>
    `import(${JSON.stringify(module)}).then(async (m) => { const r = await ${call}; console.log('exit', r.exitCode) })`

  test('@actions/exec crashes the whole process with an uncaught EPIPE', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        script(
          '@actions/exec',
          "m.getExecOutput('true', [], { silent: true, input: Buffer.alloc(1 << 20, 120) })",
        ),
      ],
      { cwd: repoRoot(), encoding: 'utf8', timeout: 20_000 },
    )
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain('EPIPE')
  })

  test('ours reports the exit code and carries on', async () => {
    const result = await exec('true', [], { input: 'x'.repeat(1 << 20) })
    expect(result.exitCode).toBe(0)
  })
})

describe('a child ended by a signal', () => {
  test('@actions/exec reports exit code null and loses the signal', async () => {
    const result = await getExecOutput('sh', ['-c', 'kill -TERM $$'], {
      silent: true,
      ignoreReturnCode: true,
    })
    expect(result.exitCode).toBeNull()
  })

  test.each([
    ['TERM', 'SIGTERM', 143],
    ['KILL', 'SIGKILL', 137],
    ['INT', 'SIGINT', 130],
    ['SEGV', 'SIGSEGV', 139],
  ])('ours reports SIG%s as that signal and 128 + its number', async (name, signal, code) => {
    const result = await exec('sh', ['-c', `kill -${name} $$`])
    expect(result).toMatchObject({ exitCode: code, signal })
    expect(result.timedOut).toBeUndefined()
    await expect(execChecked(exec, 'sh', ['-c', `kill -${name} $$`])).rejects.toThrow(
      `'sh -c' was killed by ${signal}`,
    )
  })

  test('a deadline kills the child and says so', async () => {
    const started = Date.now()
    const result = await exec('sleep', ['30'], { timeoutMs: 200 })
    expect(result).toMatchObject({ exitCode: 137, signal: 'SIGKILL', timedOut: true })
    expect(Date.now() - started).toBeLessThan(5_000)
    await expect(execChecked(exec, 'sleep', ['30'], { timeoutMs: 200 })).rejects.toThrow(
      "'sleep 30' was stopped after its time limit (SIGKILL)",
    )
  })
})

describe('a program that cannot start', () => {
  test('a missing working directory is named as such, not as a missing program', async () => {
    const missing = join(dir, 'no-such-folder')
    await expect(exec('true', [], { cwd: missing })).rejects.toThrow(
      `Cannot run 'true': its working directory ${missing} does not exist`,
    )
    // The reference says the same in its words.
    await expect(getExecOutput('true', [], { silent: true, cwd: missing })).rejects.toThrow(
      `The cwd: ${missing} does not exist!`,
    )
  })

  test('a file without the execute bit is a permission problem, not a missing program', async () => {
    const script = join(dir, 'tool.sh')
    writeFileSync(script, '#!/bin/sh\necho hi\n')
    chmodSync(script, 0o644)
    await expect(exec(script, [])).rejects.toThrow(
      `Cannot run '${script}': permission denied (the file is not executable, or a folder on its path cannot be entered)`,
    )
    // @actions/exec (through @actions/io's which) calls a file that is there "Unable to locate".
    await expect(getExecOutput(script, [], { silent: true })).rejects.toThrow(
      `Unable to locate executable file: ${script}`,
    )
  })

  test('a program not on PATH, and a path to nothing', async () => {
    await expect(exec('no-such-program-here', [])).rejects.toThrow(
      "Cannot run 'no-such-program-here': it is not installed or not on PATH",
    )
    await expect(exec(join(dir, 'nothing'), [])).rejects.toThrow(
      `Cannot run '${join(dir, 'nothing')}': no such file`,
    )
  })

  test('a working directory that is a file', async () => {
    const file = join(dir, 'file')
    writeFileSync(file, '')
    await expect(exec('true', [], { cwd: file })).rejects.toThrow(
      /Cannot run 'true': its working directory .* is not a folder/,
    )
  })
})

describe('a background grandchild that keeps stdout open', () => {
  test('the step goes on once the child exits, with what the child wrote', async () => {
    const started = Date.now()
    const result = await exec('sh', ['-c', 'sleep 30 & echo started; echo done >&2; exit 4'])
    const took = Date.now() - started
    expect(result).toMatchObject({ exitCode: 4, stdout: 'started\n', stderr: 'done\n' })
    expect(took).toBeGreaterThanOrEqual(STDIO_GRACE_MS - 50)
    expect(took).toBeLessThan(STDIO_GRACE_MS + 4_000)
  })

  test('a child whose pipes close with it is not kept waiting for the grace', async () => {
    const started = Date.now()
    await exec('sh', ['-c', 'echo quick'])
    expect(Date.now() - started).toBeLessThan(STDIO_GRACE_MS)
  })
})
