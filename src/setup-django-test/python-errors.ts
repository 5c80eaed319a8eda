/** What Python and Django print when something goes wrong, read into causes a person can act on. */

export interface Frame {
  file: string
  line: number
  func: string
  /** The source line Python shows under the frame, trimmed. */
  code?: string
}

export interface Traceback {
  frames: Frame[]
  /** The last line: `NameError: name 'x' is not defined`. */
  exception: string
}

const FRAME = /^\s*File "([^"]+)", line (\d+), in (.+)$/
const CHAIN = /^(During handling of the above exception|The above exception was the direct cause)/

/** Every Python traceback in a text, in order (a chained exception is one block per cause). */
export function parseTracebacks(text: string): Traceback[] {
  const lines = text.split(/\r?\n/)
  const found: Traceback[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*Traceback \(most recent call last\):\s*$/.test(lines[i] ?? '')) continue
    const frames: Frame[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const line = lines[j] ?? ''
      const frame = FRAME.exec(line)
      if (frame) {
        frames.push({ file: frame[1] as string, line: Number(frame[2]), func: (frame[3] as string).trim() })
        continue
      }
      // Source lines, carets and "[Previous line repeated N more times]" are indented.
      if (/^\s/.test(line) || line === '') {
        const last = frames[frames.length - 1]
        if (last && last.code === undefined && line.trim() !== '' && !/^[\s~^]+$/.test(line))
          last.code = line.trim()
        continue
      }
      break
    }
    const exception = (lines[j] ?? '').trim()
    if (frames.length > 0 && exception !== '' && !CHAIN.test(exception)) found.push({ frames, exception })
    i = j - 1
  }
  return found
}

export interface SettingsImportFailure {
  /** `ModuleNotFoundError: No module named 'environ'`. */
  exception: string
  /** The deepest frame in the project's own code (usually the settings file), when there is one. */
  frame?: Frame
}

/**
 * Whether the output shows the settings module failing to import: a traceback through
 * django.conf's `importlib.import_module(self.SETTINGS_MODULE)` (Django 3.2 to 5.x). The frame
 * is the deepest one `isProjectFile` accepts, after that import.
 */
export function settingsImportFailure(
  output: string,
  isProjectFile: (file: string) => boolean,
): SettingsImportFailure | undefined {
  for (const traceback of parseTracebacks(output)) {
    const index = traceback.frames.findIndex(
      (f) => /import_module\(self\.SETTINGS_MODULE\)/.test(f.code ?? '') || isSettingsSetup(f),
    )
    if (index < 0) continue
    const frame = traceback.frames
      .slice(index + 1)
      .filter((f) => isProjectFile(f.file))
      .pop()
    return { exception: traceback.exception, ...(frame ? { frame } : {}) }
  }
  return undefined
}

// Python before 3.11 shows no source for a frame whose file it cannot read; the function and
// file still identify django.conf's Settings.__init__.
function isSettingsSetup(frame: Frame): boolean {
  return (
    frame.code === undefined &&
    frame.func === '__init__' &&
    /django[\\/]conf[\\/]__init__\.py$/.test(frame.file)
  )
}

/** The last exception line of the last traceback, if the output has one. */
export function lastException(output: string): string | undefined {
  return parseTracebacks(output).pop()?.exception
}

/** Django's own line when the test database cannot be created (base/creation.py). */
export function testDatabaseError(output: string): string | undefined {
  return /Got an error creating the test database: (.+)/.exec(output)?.[1]?.trim()
}

export interface CheckIssue {
  /** `security.W004`, `models.W042`, `notes.E001`. */
  id: string
  level: 'critical' | 'error' | 'warning' | 'info' | 'debug'
  /** What it is about: `?` for the project, `notes.Note` for a model. */
  object: string
  message: string
}

const LEVELS: Record<string, CheckIssue['level']> = {
  C: 'critical',
  E: 'error',
  W: 'warning',
  I: 'info',
  D: 'debug',
}

/**
 * The system check messages of `manage.py check` (django.core.checks.messages.CheckMessage's
 * `obj: (id) msg`, then an indented HINT line).
 */
export function parseCheckIssues(output: string): CheckIssue[] {
  const issues: CheckIssue[] = []
  for (const line of output.split(/\r?\n/)) {
    const match = /^(\S.*?): \(([\w.-]+\.([CEWID])\d+)\) (.*)$/.exec(line)
    if (match) {
      issues.push({
        object: match[1] as string,
        id: match[2] as string,
        level: LEVELS[match[3] as string] ?? 'error',
        message: (match[4] as string).trim(),
      })
    }
  }
  return issues
}

// An exception line: a dotted name (`psycopg2.errors.InsufficientPrivilege`) or a name shaped
// like Python's own (`ValueError`, `SystemExit`), then the message; pytest prefixes it with `E`.
const EXCEPTION_LINE =
  /^(?:E\s+)?((?:(?:[A-Za-z_]\w*\.)+[A-Z]\w*|[A-Z]\w*(?:Error|Exception|Exit|Warning|Interrupt|Failure)): \S.*)$/

/**
 * The cause of a test error, as one line: the message, unless it is only a wrapper (pytest's
 * `failed on setup with "…"`, or a SystemExit from code that printed the reason and exited, as
 * Django's test database creation does); then the first exception of the chain in the detail,
 * where the real cause is (`psycopg2.errors.InsufficientPrivilege: permission denied to create
 * database`).
 */
export function causeOf(message: string, detail: string): string {
  const inner = /^failed on (?:setup|teardown|call) with "(.*)"$/s.exec(message)?.[1] ?? message
  if (inner !== '' && !/^SystemExit\b/.test(inner)) return inner
  for (const line of detail.split(/\r?\n/)) {
    const match = EXCEPTION_LINE.exec(line)
    if (match && !/^SystemExit\b/.test(match[1] as string)) return (match[1] as string).trim()
  }
  return inner
}
