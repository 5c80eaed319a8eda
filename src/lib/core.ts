import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'

/** Where an annotation points: a file and line in the repository. */
export interface AnnotationProps {
  title?: string
  file?: string
  startLine?: number
  endLine?: number
  startColumn?: number
}

/**
 * Everything an action says to the runner: log lines, annotations, groups, outputs, state, the
 * job summary and secret masking. `actionsCore()` is the real one; tests pass a recorder.
 */
export interface ActionIO {
  info(message: string): void
  debug(message: string): void
  notice(message: string, props?: AnnotationProps): void
  warning(message: string, props?: AnnotationProps): void
  error(message: string, props?: AnnotationProps): void
  isDebug(): boolean
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
  setOutput(name: string, value: string): void
  setSecret(secret: string): void
  setFailed(message: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  /** Appends markdown to the job summary (no-op when the runner gives no summary file). */
  appendSummary(markdown: string): Promise<void>
}

// The runner's workflow-command and file-command protocol, as @actions/core speaks it. It is
// written out here because importing @actions/core pulls its HTTP client and undici into every
// bundle: about 490 KB and 50 ms of cold start that a step which fails on a bad input never uses.
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

function command(
  name: string,
  message: string,
  props: Record<string, string | number | undefined> = {},
): void {
  const properties = Object.entries(props)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',')
  process.stdout.write(`::${name}${properties ? ` ${properties}` : ''}::${escapeData(message)}${EOL}`)
}

function annotation(props?: AnnotationProps): Record<string, string | number | undefined> {
  if (!props) return {}
  return {
    title: props.title,
    file: props.file,
    line: props.startLine,
    endLine: props.endLine,
    col: props.startColumn,
  }
}

function fileCommand(variable: string, name: string, value: string): boolean {
  const file = process.env[variable]
  if (!file) return false
  const delimiter = `ghadelimiter_${randomUUID()}`
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
  return true
}

export function actionsCore(): ActionIO {
  const io: ActionIO = {
    info: (message) => process.stdout.write(`${message}${EOL}`),
    debug: (message) => command('debug', message),
    notice: (message, props) => command('notice', message, annotation(props)),
    warning: (message, props) => command('warning', message, annotation(props)),
    error: (message, props) => command('error', message, annotation(props)),
    isDebug: () => process.env.RUNNER_DEBUG === '1',
    group: async (name, fn) => {
      command('group', name)
      try {
        return await fn()
      } finally {
        command('endgroup', '')
      }
    },
    setOutput: (name, value) => {
      if (!fileCommand('GITHUB_OUTPUT', name, value)) {
        process.stdout.write(EOL)
        command('set-output', value, { name })
      }
    },
    setSecret: (secret) => command('add-mask', secret),
    setFailed: (message) => {
      process.exitCode = 1
      command('error', message)
    },
    saveState: (name, value) => {
      if (!fileCommand('GITHUB_STATE', name, value)) command('save-state', value, { name })
    },
    getState: (name) => process.env[`STATE_${name}`] ?? '',
    appendSummary: async (markdown) => {
      const file = process.env.GITHUB_STEP_SUMMARY
      if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8')
    },
  }
  return io
}
