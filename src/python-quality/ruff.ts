import { OperationError } from '../lib/errors.js'
import { lineNumber, toolPath, type Finding, type ParsedOutput } from './finding.js'
import { pycodeSeverity } from './flake8.js'
import { parseJsonOutput, str } from './json-output.js'

interface RawRuff {
  code?: unknown
  message?: unknown
  filename?: unknown
  url?: unknown
  location?: { row?: unknown; column?: unknown }
}

/**
 * `ruff check --output-format json`: an array of `{ code, message, filename, location: { row,
 * column }, url, ... }` (ruff's JSON emitter, crates/ruff_linter/src/message/json.rs). A syntax
 * error has no code.
 */
export function parseRuff(stdout: string, cwd: string): ParsedOutput {
  const raw = parseJsonOutput('ruff', stdout)
  if (!Array.isArray(raw)) throw new OperationError('ruff printed JSON that is not a list of findings')
  const findings: Finding[] = (raw as RawRuff[]).map((item) => {
    const code = str(item.code) ?? 'syntax-error'
    return {
      source: 'ruff',
      file: toolPath(str(item.filename) ?? '', cwd),
      line: lineNumber(item.location?.row),
      column: lineNumber(item.location?.column),
      code,
      message: str(item.message) ?? '',
      severity: str(item.code) ? pycodeSeverity(code) : 'high',
      url: str(item.url),
    }
  })
  return { findings, diffs: [] }
}
