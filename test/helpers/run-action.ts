import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { runProcess } from './runner/process.js'

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** The `::error::` lines, unescaped. */
  errors: string[]
  durationMs: number
}

export interface RunOptions {
  /** Extra environment (e.g. AWS_ENDPOINT_URL_ECS, STATE_* for a post step). */
  env?: Record<string, string | undefined>
  cwd?: string
  timeoutMs?: number
  /** Run a different entry of the bundle folder, e.g. 'post.js'. */
  entry?: string
  /** Called with each complete stdout line as it arrives, with its arrival time (Date.now()). */
  onStdoutLine?: (line: string, at: number) => void
}

/** The repository root: the nearest folder above this file holding the suite's package.json (also
 * when this helper runs compiled from a cache folder, as `npm run bench` does). */
export function repoRoot(): string {
  let dir = dirname(new URL(import.meta.url).pathname)
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && /"name":\s*"devops-actions"/.test(readFileSync(manifest, 'utf8'))) return dir
    dir = dirname(dir)
  }
  throw new Error('repository root not found')
}

const root = repoRoot()

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file: both `name=value` and `name<<DELIM ... DELIM` forms. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name = '', delimiter = ''] = heredoc
      const body: string[] = []
      for (i += 1; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i] ?? '')
      result[name] = body.join('\n')
    } else if (line.includes('=')) {
      const eq = line.indexOf('=')
      result[line.slice(0, eq)] = line.slice(eq + 1)
    }
  }
  return result
}

const unescape = (text: string) => text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')

/**
 * Runs a committed bundle exactly as the runner does: `node dist/<action>/index.js` with each
 * input as INPUT_<NAME> (upper-cased, hyphens kept), fresh GITHUB_OUTPUT / GITHUB_STEP_SUMMARY /
 * GITHUB_STATE files, and nothing of the test's own environment that a runner would not set.
 */
export async function runAction(
  action: string,
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), `run-${action}-`))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_STATE: join(dir, 'state'),
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.cwd ?? root,
    ...files,
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  const bundle = join(root, 'dist', action, options.entry ?? 'index.js')
  const started = Date.now()
  try {
    const { exitCode, stdout, stderr } = await runProcess(process.execPath, [bundle], {
      env,
      cwd: options.cwd ?? root,
      timeoutMs: options.timeoutMs,
      onStdoutLine: options.onStdoutLine,
    })
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      errors: stdout
        .split('\n')
        .filter((line) => line.startsWith('::error'))
        .map((line) => unescape(line.slice(line.indexOf('::', 2) + 2))),
      durationMs: Date.now() - started,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
