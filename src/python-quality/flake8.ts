import { OperationError } from '../lib/errors.js'
import { lineNumber, toolPath, type Finding, type ParsedOutput, type Severity } from './finding.js'

/** flake8's `--format`: one finding per line, tab-separated (a path or message may hold colons). */
export const FLAKE8_FORMAT = '%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s'

/**
 * pyflakes' F codes and pycodestyle's E9 (syntax, I/O) are bugs; C9 (complexity) is a smell;
 * the rest (style) is low. ruff uses the same codes.
 */
export function pycodeSeverity(code: string): Severity {
  if (/^(F|E9)/.test(code)) return 'high'
  if (/^(C9|S)/.test(code)) return 'medium'
  return 'low'
}

/** flake8's output in FLAKE8_FORMAT; a line that is not in it means flake8 failed (a crash, a bad config). */
export function parseFlake8(stdout: string, cwd: string): ParsedOutput {
  const findings: Finding[] = []
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === '') continue
    const [path, row, col, code, ...text] = line.split('\t')
    if (path === undefined || code === undefined || text.length === 0 || lineNumber(row) === undefined) {
      throw new OperationError(`flake8 printed a line that is not a finding: ${line.slice(0, 200)}`)
    }
    findings.push({
      source: 'flake8',
      file: toolPath(path, cwd),
      line: lineNumber(row),
      column: lineNumber(col),
      code,
      message: text.join('\t'),
      severity: pycodeSeverity(code),
    })
  }
  return { findings, diffs: [] }
}
