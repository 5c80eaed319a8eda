import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { constants } from 'node:os'
import { OperationError } from '../errors.js'

export interface ExecOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Written to the process's stdin, then closed (e.g. a password for `--password-stdin`). */
  input?: string
  /** Called with each chunk of output as it arrives, to stream a long build into the log. */
  onStdout?: (chunk: string) => void
  onStderr?: (chunk: string) => void
  /** Kills the process after this many milliseconds. */
  timeoutMs?: number
}

export interface ExecResult {
  /** The exit code; for a process ended by a signal, 128 + the signal's number, as a shell reports it. */
  exitCode: number
  stdout: string
  /** The last lines of stderr, enough to say why a tool failed. */
  stderrTail: string
  stderr: string
  /** The signal that ended the process, when one did (SIGKILL from the OOM killer, SIGTERM...). */
  signal?: NodeJS.Signals
  /** True when the process was killed because it outran `timeoutMs`. */
  timedOut?: boolean
}

/** Runs a program with an argument array: never through a shell, so inputs stay data. */
export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>

const TAIL_LINES = 20

/**
 * How long to wait for the process's stdout and stderr to close once it has exited. A
 * background grandchild (a daemon a tool started) inherits them and may hold them open for
 * ever; what the process itself wrote is already in the pipe when it exits, so a short grace
 * collects it. (@actions/exec waits the same way, 10 s by default.)
 */
export const STDIO_GRACE_MS = 1_000

/** The last `lines` non-empty lines of a text. */
export function tail(text: string, lines = TAIL_LINES): string {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .join('\n')
}

function startFailure(
  command: string,
  cwd: string | undefined,
  error: NodeJS.ErrnoException,
): OperationError {
  if (error.code === 'ENOENT' && cwd !== undefined && !existsSync(cwd)) {
    return new OperationError(`Cannot run '${command}': its working directory ${cwd} does not exist`)
  }
  if (error.code === 'ENOENT') {
    return new OperationError(
      command.includes('/')
        ? `Cannot run '${command}': no such file`
        : `Cannot run '${command}': it is not installed or not on PATH`,
    )
  }
  if (error.code === 'EACCES') {
    return new OperationError(
      `Cannot run '${command}': permission denied (the file is not executable, or a folder on its path cannot be entered)`,
    )
  }
  if (error.code === 'ENOTDIR' && cwd !== undefined) {
    return new OperationError(`Cannot run '${command}': its working directory ${cwd} is not a folder`)
  }
  return new OperationError(`Cannot run '${command}': ${error.message}`)
}

// Own code rather than @actions/exec 3.0.0, for defects of that library that
// test/integration/exec.test.ts shows against it with real processes:
//  - without `input` it leaves the child's stdin open, so a child that reads stdin hangs;
//  - with `input` it writes to stdin without an error handler, so a child that exits without
//    reading it (a tool rejecting its arguments) crashes the action with an uncaught EPIPE;
//  - a child ended by a signal comes back with exit code null, the signal lost;
//  - it cannot stop a child at a deadline (it never hands out the process).
export const exec: Exec = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    let child: ChildProcessWithoutNullStreams
    try {
      child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        shell: false,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      })
    } catch (error) {
      // Some failures (a working directory that is a file) are thrown, not emitted.
      reject(startFailure(command, options.cwd, error as NodeJS.ErrnoException))
      return
    }
    let stdout = ''
    let stderr = ''
    let settled = false
    let timedOut = false
    let timer: NodeJS.Timeout | undefined
    let grace: NodeJS.Timeout | undefined
    const settle = () => {
      settled = true
      if (timer) clearTimeout(timer)
      if (grace) clearTimeout(grace)
    }
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true
        child.kill('SIGKILL')
      }, options.timeoutMs)
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      options.onStdout?.(chunk)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      options.onStderr?.(chunk)
    })
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return
      settle()
      reject(startFailure(command, options.cwd, error))
    })
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return
      settle()
      const signalNumber = signal ? (constants.signals[signal] ?? 0) : 0
      resolve({
        exitCode: code ?? (signal ? 128 + signalNumber : 1),
        stdout,
        stderr,
        stderrTail: tail(stderr),
        ...(signal ? { signal } : {}),
        ...(timedOut ? { timedOut } : {}),
      })
    }
    child.on('exit', (code, signal) => {
      grace = setTimeout(() => {
        // A grandchild still holds the pipes: stop reading them and report the process's end.
        child.stdout.destroy()
        child.stderr.destroy()
        finish(code, signal)
      }, STDIO_GRACE_MS)
    })
    child.on('close', (code, signal) => finish(code, signal))
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? '')
  })

/** Why a finished process failed, in words: its exit code, or the signal that ended it. */
export function describeEnd(result: Pick<ExecResult, 'exitCode' | 'signal' | 'timedOut'>): string {
  if (result.timedOut) return `was stopped after its time limit (${result.signal ?? 'SIGKILL'})`
  if (result.signal === 'SIGKILL')
    return 'was killed by SIGKILL (the out-of-memory killer or a cancel sends it)'
  if (result.signal) return `was killed by ${result.signal}`
  return `failed with exit code ${result.exitCode}`
}

/** Runs a command and raises an OperationError naming it, with the last stderr line, when it fails. */
export async function execChecked(
  run: Exec,
  command: string,
  args: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  const result = await run(command, args, options)
  if (result.exitCode !== 0) {
    const last = tail(result.stderr || result.stdout, 1)
    throw new OperationError(`'${command} ${args[0] ?? ''}' ${describeEnd(result)}${last ? `: ${last}` : ''}`)
  }
  return result
}
