// The per-step file commands and the workflow commands on a step's output, as the runner
// processes them: src/Runner.Worker/FileCommandManager.cs and ActionCommandManager.cs.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface StepFiles {
  GITHUB_OUTPUT: string
  GITHUB_ENV: string
  GITHUB_PATH: string
  GITHUB_STATE: string
  GITHUB_STEP_SUMMARY: string
}

/** FileCommandManager.InitializeFiles: a fresh, empty file per command for every step. */
export function createStepFiles(dir: string): StepFiles {
  mkdirSync(dir, { recursive: true })
  const id = randomUUID()
  const files: StepFiles = {
    GITHUB_OUTPUT: join(dir, `set_output_${id}`),
    GITHUB_ENV: join(dir, `set_env_${id}`),
    GITHUB_PATH: join(dir, `add_path_${id}`),
    GITHUB_STATE: join(dir, `save_state_${id}`),
    GITHUB_STEP_SUMMARY: join(dir, `step_summary_${id}`),
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  return files
}

/** The github.* keys whose values are these files (GitHubContext exports them as GITHUB_*). */
export const fileContextKeys = (files: StepFiles): Record<string, string> => ({
  output: files.GITHUB_OUTPUT,
  env: files.GITHUB_ENV,
  path: files.GITHUB_PATH,
  state: files.GITHUB_STATE,
  step_summary: files.GITHUB_STEP_SUMMARY,
})

/**
 * EnvFileKeyValuePairs: `name=value` when '=' comes before any '<<', else `name<<DELIMITER` with
 * the value on the following lines up to a line that is exactly the delimiter.
 */
export function parseKeyValueFile(text: string): [string, string][] {
  const pairs: [string, string][] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line === '') continue
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals)
      if (name === '') throw new Error(`Invalid format '${line}'. Name must not be empty`)
      pairs.push([name, line.slice(equals + 1)])
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      if (name === '' || delimiter === '')
        throw new Error(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`)
      const body: string[] = []
      for (i += 1; ; i++) {
        if (i >= lines.length) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`)
        if (lines[i] === delimiter) break
        body.push(lines[i] ?? '')
      }
      pairs.push([name, body.join('\n')])
    } else {
      throw new Error(`Invalid format '${line}'`)
    }
  }
  return pairs
}

export interface ProcessedFiles {
  outputs: Record<string, string>
  state: Record<string, string>
  env: Record<string, string>
  path: string[]
  summary: string
  errors: string[]
}

/** FileCommandManager.ProcessFiles, run after every step whether it passed or not. */
export function processStepFiles(files: StepFiles): ProcessedFiles {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '')
  const result: ProcessedFiles = { outputs: {}, state: {}, env: {}, path: [], summary: '', errors: [] }
  const each = (name: string, file: string, apply: (pairs: [string, string][]) => void) => {
    try {
      apply(parseKeyValueFile(read(file)))
    } catch (error) {
      result.errors.push(`Unable to process file command '${name}' successfully.`, String(error))
    }
  }
  each('output', files.GITHUB_OUTPUT, (pairs) => pairs.forEach(([k, v]) => (result.outputs[k] = v)))
  each('state', files.GITHUB_STATE, (pairs) => pairs.forEach(([k, v]) => (result.state[k] = v)))
  each('env', files.GITHUB_ENV, (pairs) => {
    for (const [k, v] of pairs) {
      // SetEnvFileCommand blocks NODE_OPTIONS (it would reach the runner's own node).
      if (k.toUpperCase() === 'NODE_OPTIONS')
        result.errors.push(`Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.`)
      else result.env[k] = v
    }
  })
  // AddPathFileCommand: each non-empty line is prepended.
  result.path = read(files.GITHUB_PATH)
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
  result.summary = read(files.GITHUB_STEP_SUMMARY)
  return result
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  properties: Record<string, string>
}

export interface ParsedOutput {
  annotations: Annotation[]
  /** Lines as the log shows them: masked with what was registered so far, add-mask lines gone. */
  lines: string[]
}

// ActionCommand.Parse: data unescapes %25 %0D %0A; property values also %3A %2C.
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
const unescapeProperty = (s: string) =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')

/**
 * The workflow commands of one step's output, line by line as the runner's OutputManager sees
 * them: `::add-mask::` (AddMaskCommandExtension: the value and each of its lines, never echoed)
 * registers a secret in `masks` for every later line; annotations are masked like any line.
 */
export function parseWorkflowCommands(text: string, masks: string[]): ParsedOutput {
  const result: ParsedOutput = { annotations: [], lines: [] }
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '')
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line.trimStart())
    if (m?.[1] === 'add-mask') {
      const secret = unescapeData(m[3] ?? '')
      if (secret.trim() !== '')
        masks.push(
          secret,
          ...secret
            .split(/[\r\n]+/)
            .map((s) => s.trim())
            .filter(Boolean),
        )
      else result.lines.push("##[warning]Can't add secret mask for empty string in ##[add-mask] command.")
      continue
    }
    if (m && (m[1] === 'error' || m[1] === 'warning' || m[1] === 'notice')) {
      const properties: Record<string, string> = {}
      for (const part of (m[2] ?? '').split(',').filter(Boolean)) {
        const eq = part.indexOf('=')
        if (eq > 0) properties[part.slice(0, eq)] = unescapeProperty(part.slice(eq + 1))
      }
      result.annotations.push({ level: m[1], message: maskText(unescapeData(m[3] ?? ''), masks), properties })
    }
    result.lines.push(maskText(line, masks))
  }
  return result
}

/** The runner's secret masker: every registered value, longest first, becomes ***. */
export function maskText(text: string, masks: readonly string[]): string {
  let masked = text
  for (const secret of [...new Set(masks)].sort((a, b) => b.length - a.length)) {
    if (secret !== '') masked = masked.split(secret).join('***')
  }
  return masked
}
