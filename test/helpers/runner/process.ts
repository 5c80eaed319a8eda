import { spawn } from 'node:child_process'

export interface ProcessResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv
  cwd: string
  timeoutMs?: number
  /** Called with each complete stdout line as it arrives, with its arrival time (Date.now()). */
  onStdoutLine?: (line: string, at: number) => void
}

/**
 * Runs one step's process the way the runner's StepHost does: stdin closed (the node handler
 * passes no standard input), stdout and stderr collected; killed when it outlives the timeout.
 */
export function runProcess(command: string, args: string[], options: SpawnOptions): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let partial = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      if (!options.onStdoutLine) return
      const at = Date.now()
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) options.onStdoutLine(line, at)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({ exitCode: code ?? 137, stdout, stderr })
    })
  })
}
