import { OperationError } from '../lib/errors.js'
import { lineNumber, toolPath, type Finding, type ParsedOutput, type Severity } from './finding.js'
import { parseJsonOutput, str } from './json-output.js'

interface RawBandit {
  filename?: unknown
  line_number?: unknown
  col_offset?: unknown
  issue_severity?: unknown
  issue_confidence?: unknown
  issue_text?: unknown
  test_id?: unknown
  test_name?: unknown
  more_info?: unknown
}

const SEVERITY: Record<string, Severity> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low' }

/** `bandit -f json`: `results` (the issues) and `errors` (files it could not scan). */
export function parseBandit(stdout: string, cwd: string): ParsedOutput {
  const raw = parseJsonOutput('bandit', stdout) as { results?: unknown; errors?: unknown } | null
  if (raw === null || typeof raw !== 'object' || !Array.isArray(raw.results)) {
    throw new OperationError("bandit printed JSON without a 'results' list")
  }
  const findings: Finding[] = (raw.results as RawBandit[]).map((item) => {
    const confidence = str(item.issue_confidence)
    const column = typeof item.col_offset === 'number' ? item.col_offset + 1 : undefined
    return {
      source: 'bandit',
      file: toolPath(str(item.filename) ?? '', cwd),
      line: lineNumber(item.line_number),
      column: lineNumber(column),
      code: str(item.test_id) ?? 'bandit',
      message: `${str(item.issue_text) ?? ''}${confidence ? ` (confidence ${confidence.toLowerCase()})` : ''}`,
      severity: SEVERITY[str(item.issue_severity)?.toUpperCase() ?? ''] ?? 'low',
      url: str(item.more_info),
    }
  })
  for (const error of Array.isArray(raw.errors)
    ? (raw.errors as { filename?: unknown; reason?: unknown }[])
    : []) {
    findings.push({
      source: 'bandit',
      file: toolPath(str(error.filename) ?? '', cwd),
      code: 'bandit-error',
      message: `bandit could not scan this file: ${str(error.reason) ?? 'no reason given'}`,
      severity: 'high',
    })
  }
  return { findings, diffs: [] }
}
