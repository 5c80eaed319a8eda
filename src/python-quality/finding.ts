/** The tools python-quality runs, in the order it runs them (formatters first). */
export const TOOLS = ['black', 'isort', 'flake8', 'ruff', 'pylint', 'bandit'] as const
export type Tool = (typeof TOOLS)[number]
/** What reports findings: a tool, or the dependency audit. */
export type Source = Tool | 'audit'
export const SOURCES: readonly Source[] = [...TOOLS, 'audit']

/** One scale for every tool, highest first: what `fail-on` thresholds name. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const
export type Severity = (typeof SEVERITIES)[number]

/** How severe, as a number: critical 3 … low 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity)
}

/** One finding of one tool, where it is (the path as the tool printed it, relative to where it ran). */
export interface Finding {
  source: Source
  file: string
  line?: number
  column?: number
  /** The tool's rule: F401, B602, C0116, a CVE ID; `black`/`isort` for a file they would change. */
  code: string
  message: string
  severity: Severity
  url?: string
}

/** A formatter's diff for one file. */
export interface FileDiff {
  file: string
  diff: string
}

/** What a parser reads out of one tool run. */
export interface ParsedOutput {
  findings: Finding[]
  diffs: FileDiff[]
}

/** A path as a tool printed it (`./shop/x.py`, or absolute under the folder it ran in), made relative. */
export function toolPath(path: string, cwd: string): string {
  const trimmed = path.trim()
  const base = cwd.replace(/\/+$/, '')
  if (trimmed.startsWith(`${base}/`)) return trimmed.slice(base.length + 1)
  return trimmed.replace(/^\.\//, '')
}

/** A positive whole number from a tool's output, else undefined. */
export function lineNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined
}
