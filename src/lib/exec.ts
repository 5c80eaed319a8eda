import { spawn } from 'node:child_process'
import { OperationError } from './errors.js'

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
  exitCode: number
  stdout: string
  /** The last lines of stderr, enough to say why a tool failed. */
  stderrTail: string
  stderr: string
}

/** Runs a program with an argument array: never through a shell, so inputs stay data. */
export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>

const TAIL_LINES = 20

/** The last `lines` non-empty lines of a text. */
export function tail(text: string, lines = TAIL_LINES): string {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .join('\n')
}

export const exec: Exec = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    })
    let stdout = ''
    let stderr = ''
    let timer: NodeJS.Timeout | undefined
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
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
      if (timer) clearTimeout(timer)
      reject(
        new OperationError(
          error.code === 'ENOENT'
            ? `Cannot run '${command}': it is not installed or not on PATH`
            : `Cannot run '${command}': ${error.message}`,
        ),
      )
    })
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      resolve({
        exitCode: code ?? (signal ? 128 + 9 : 1),
        stdout,
        stderr,
        stderrTail: tail(stderr),
      })
    })
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? '')
  })

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
    throw new OperationError(
      `'${command} ${args[0] ?? ''}' failed with exit code ${result.exitCode}${last ? `: ${last}` : ''}`,
    )
  }
  return result
}
