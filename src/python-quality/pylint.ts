import { OperationError } from '../lib/errors.js'
import { lineNumber, toolPath, type Finding, type ParsedOutput, type Severity } from './finding.js'
import { parseJsonOutput, str } from './json-output.js'

interface RawPylint {
  type?: unknown
  path?: unknown
  line?: unknown
  column?: unknown
  symbol?: unknown
  message?: unknown
  'message-id'?: unknown
}

const SEVERITY: Record<string, Severity> = {
  fatal: 'high',
  error: 'high',
  warning: 'medium',
  refactor: 'low',
  convention: 'low',
  info: 'low',
}

/** `pylint --output-format=json`: an array of messages; pylint's columns count from 0. */
export function parsePylint(stdout: string, cwd: string): ParsedOutput {
  const raw = parseJsonOutput('pylint', stdout.trim() === '' ? '[]' : stdout)
  if (!Array.isArray(raw)) throw new OperationError('pylint printed JSON that is not a list of messages')
  const findings: Finding[] = (raw as RawPylint[]).map((item) => {
    const column = typeof item.column === 'number' ? item.column + 1 : undefined
    const symbol = str(item.symbol)
    return {
      source: 'pylint',
      file: toolPath(str(item.path) ?? '', cwd),
      line: lineNumber(item.line),
      column: lineNumber(column),
      code: str(item['message-id']) ?? symbol ?? 'pylint',
      message: symbol ? `${str(item.message) ?? ''} (${symbol})` : (str(item.message) ?? ''),
      severity: SEVERITY[str(item.type) ?? ''] ?? 'low',
    }
  })
  return { findings, diffs: [] }
}

/** pylint's exit status is a bit field; 32 is a usage error (a bad option or configuration). */
export function pylintFailed(exitCode: number): boolean {
  return exitCode < 0 || exitCode >= 64 || (exitCode & 32) !== 0
}
