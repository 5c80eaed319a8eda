import type { ActionIO, AnnotationProps } from '../../src/lib/runner/io.js'

export interface RecordedIO extends ActionIO {
  lines: string[]
  outputs: Record<string, string>
  secrets: string[]
  failures: string[]
  annotations: { level: 'notice' | 'warning' | 'error'; message: string; props?: AnnotationProps }[]
  summary: string
  state: Record<string, string>
  groups: string[]
  /** Everything that would have reached the log, for "secret never printed" assertions. */
  log(): string
}

/** An ActionIO that records instead of printing. */
export function recordingIO({ debug = false, state = {} as Record<string, string> } = {}): RecordedIO {
  const io: RecordedIO = {
    lines: [],
    outputs: {},
    secrets: [],
    failures: [],
    annotations: [],
    summary: '',
    state: { ...state },
    groups: [],
    info: (message) => void io.lines.push(message),
    debug: (message) => void io.lines.push(`::debug::${message}`),
    notice: (message, props) => void io.annotations.push({ level: 'notice', message, props }),
    warning: (message, props) => void io.annotations.push({ level: 'warning', message, props }),
    error: (message, props) => void io.annotations.push({ level: 'error', message, props }),
    isDebug: () => debug,
    group: async (name, fn) => {
      io.groups.push(name)
      return fn()
    },
    setOutput: (name, value) => void (io.outputs[name] = value),
    setSecret: (secret) => void io.secrets.push(secret),
    setFailed: (message) => void io.failures.push(message),
    saveState: (name, value) => void (io.state[name] = value),
    getState: (name) => io.state[name] ?? '',
    appendSummary: async (markdown) => void (io.summary += markdown),
    log: () =>
      [
        ...io.lines,
        ...io.failures,
        ...io.annotations.map((a) => a.message),
        ...Object.values(io.outputs),
        io.summary,
      ].join('\n'),
  }
  return io
}

/** A getInput over a plain record, as tests write inputs. */
export function inputsOf(values: Record<string, string>): (name: string) => string {
  return (name) => values[name] ?? ''
}
