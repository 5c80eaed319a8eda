import { isAbsolute, join, relative } from 'node:path'

/** Lines a diff adds or changes, by repository path (forward slashes), 1-based. */
export type ChangedLines = Map<string, Set<number>>

/**
 * The new-side lines of a unified diff (`git diff --unified=0`): every `+c,d` hunk header gives
 * lines c .. c+d-1 of the file named by the `+++ b/<path>` line before it (d defaults to 1; 0 is
 * a pure deletion). Deleted files (`+++ /dev/null`) have no lines to cover.
 */
export function parseUnifiedDiff(diff: string): ChangedLines {
  const changed: ChangedLines = new Map()
  let file: string | undefined
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = line.slice(4).replace(/\t.*$/, '')
      file = path === '/dev/null' ? undefined : unquoteGitPath(path).replace(/^b\//, '')
      continue
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line)
    if (!hunk || file === undefined) continue
    const start = Number(hunk[1])
    const count = hunk[2] === undefined ? 1 : Number(hunk[2])
    if (count === 0) continue
    const lines = changed.get(file) ?? new Set<number>()
    for (let n = start; n < start + count; n++) lines.add(n)
    changed.set(file, lines)
  }
  return changed
}

/** git's C-style quoting of a path with unusual characters ("b/caf\303\251.py"). */
function unquoteGitPath(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path
  const bytes: number[] = []
  const body = path.slice(1, -1)
  const escapes: Record<string, number> = { n: 10, t: 9, '"': 34, '\\': 92, a: 7, b: 8, f: 12, r: 13, v: 11 }
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? ''
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'))
      continue
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1))
    if (octal) {
      bytes.push(parseInt(octal[0], 8))
      i += 3
    } else {
      bytes.push(escapes[body[i + 1] ?? ''] ?? 92)
      i += 1
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

/** coverage.py's per-line data of one file: the statements it ran and those it did not. */
export interface LineData {
  executed: Set<number>
  missing: Set<number>
}

/**
 * Per-line data from coverage.py's JSON report (`files.<name>.executed_lines` and
 * `missing_lines`), keyed by repository path. coverage.py names a file relative to the folder it
 * ran in (`cwd`) when inside it, else absolute; files outside the repository are dropped.
 */
export function lineDataFromCoverageJson(text: string, cwd: string, root: string): Map<string, LineData> {
  const data = JSON.parse(text) as {
    files?: Record<string, { executed_lines?: number[]; missing_lines?: number[] }>
  }
  const result = new Map<string, LineData>()
  for (const [name, entry] of Object.entries(data.files ?? {})) {
    const rel = relative(root, isAbsolute(name) ? name : join(cwd, name))
      .split('\\')
      .join('/')
    if (rel.startsWith('../') || isAbsolute(rel)) continue
    result.set(rel, {
      executed: new Set(entry.executed_lines ?? []),
      missing: new Set(entry.missing_lines ?? []),
    })
  }
  return result
}

export interface UncoveredFile {
  file: string
  lines: number[]
}

export interface ChangedLineCoverage {
  /** Changed lines that are statements coverage.py measured. */
  statements: number
  covered: number
  /** covered / statements in percent; undefined when no changed line is a measured statement. */
  percent?: number
  /** Changed statements that did not run, by file and line, in path order. */
  uncovered: UncoveredFile[]
}

/**
 * The coverage of the changed lines: of the changed lines coverage.py counts as statements
 * (blank lines, comments and files it does not measure are not), how many ran.
 */
export function changedLineCoverage(changed: ChangedLines, data: Map<string, LineData>): ChangedLineCoverage {
  let statements = 0
  let covered = 0
  const uncovered: UncoveredFile[] = []
  for (const file of [...changed.keys()].sort()) {
    const lines = data.get(file)
    if (!lines) continue
    const missed: number[] = []
    for (const line of [...(changed.get(file) ?? [])].sort((a, b) => a - b)) {
      if (lines.executed.has(line)) {
        statements += 1
        covered += 1
      } else if (lines.missing.has(line)) {
        statements += 1
        missed.push(line)
      }
    }
    if (missed.length > 0) uncovered.push({ file, lines: missed })
  }
  return {
    statements,
    covered,
    percent: statements > 0 ? (covered / statements) * 100 : undefined,
    uncovered,
  }
}

/** `3-5, 9` for lines 3, 4, 5 and 9. */
export function lineRanges(lines: readonly number[]): string {
  const ranges: string[] = []
  let start: number | undefined
  let previous: number | undefined
  for (const line of [...lines, Number.NaN]) {
    if (previous !== undefined && line === previous + 1) {
      previous = line
      continue
    }
    if (start !== undefined && previous !== undefined)
      ranges.push(start === previous ? `${start}` : `${start}-${previous}`)
    start = line
    previous = line
  }
  return ranges.join(', ')
}

/** The figure as outputs and comments show it: one decimal, never 100.0 for less than all. */
export function formatPercent(percent: number): string {
  if (percent < 100 && percent > 99.95) return '99.9'
  return percent.toFixed(1)
}
