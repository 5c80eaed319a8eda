export interface CoverageFigures {
  /** coverage.py's total in percent, 0-100: statements, plus branches when it measured them. */
  percent: number
  /** The total as coverage.py prints it, at the project's `[report] precision` (`86`, `35.5`). */
  display: string
  statements: number
  coveredStatements: number
  /** Present when the data has branch measurement (`branch = True`). */
  branches?: number
  coveredBranches?: number
}

export interface FileCoverage extends CoverageFigures {
  /** As coverage.py names it: relative to the folder it ran in when inside it. */
  file: string
}

export interface CoverageReport extends CoverageFigures {
  /** The `precision` the figures are shown with (decimals of `display`). */
  precision: number
  files: FileCoverage[]
}

interface JsonSummary {
  percent_covered?: number
  percent_covered_display?: string
  num_statements?: number
  covered_lines?: number
  num_branches?: number
  covered_branches?: number
}

/**
 * Reads coverage.py's JSON report (`coverage json`): its `totals.percent_covered_display` is the
 * figure `coverage report` prints, branch coverage and the project's `precision` included
 * (coverage.py's results.Numbers.pc_covered_str). Older coverage.py (before 6.0) has no display
 * field: the figure is formatted as coverage.py does, at its default precision.
 */
export function parseCoverageJson(text: string): CoverageReport {
  const data = JSON.parse(text) as {
    meta?: { branch_coverage?: boolean }
    totals?: JsonSummary
    files?: Record<string, { summary?: JsonSummary }>
  }
  if (!data.totals || typeof data.totals.percent_covered !== 'number')
    throw new Error('the report has no totals.percent_covered')
  const branch = data.meta?.branch_coverage === true
  const totals = figures(data.totals, branch, undefined)
  const precision = decimals(totals.display)
  return {
    ...totals,
    precision,
    files: Object.entries(data.files ?? {}).map(([file, entry]) => ({
      file,
      ...figures(entry.summary ?? {}, branch, precision),
    })),
  }
}

function figures(summary: JsonSummary, branch: boolean, precision: number | undefined): CoverageFigures {
  const percent = summary.percent_covered ?? 100
  return {
    percent,
    display: summary.percent_covered_display ?? displayCovered(percent, precision ?? 0),
    statements: summary.num_statements ?? 0,
    coveredStatements: summary.covered_lines ?? 0,
    ...(branch
      ? { branches: summary.num_branches ?? 0, coveredBranches: summary.covered_branches ?? 0 }
      : {}),
  }
}

function decimals(display: string): number {
  const dot = display.indexOf('.')
  return dot < 0 ? 0 : display.length - dot - 1
}

/**
 * coverage.py's display rule (results.display_covered): never 0 for some coverage nor 100 for
 * less than all, else rounded to `precision` decimals.
 */
export function displayCovered(percent: number, precision: number): string {
  const near0 = 1 / 10 ** precision
  const shown =
    percent > 0 && percent < near0
      ? near0
      : percent > 100 - near0 && percent < 100
        ? 100 - near0
        : roundTo(percent, precision)
  return shown.toFixed(precision)
}

function roundTo(value: number, precision: number): number {
  const factor = 10 ** precision
  return Math.round(value * factor) / factor
}

export interface ThresholdVerdict {
  ok: boolean
  /** Percentage points short of the threshold (0 when met), at the report's precision. */
  shortBy: number
}

/**
 * Whether coverage meets the threshold, judged as coverage.py judges `fail_under`
 * (results.should_fail_under): the total rounded to the report's precision must not be below
 * it, and 100 means all of it.
 */
export function checkThreshold(
  report: Pick<CoverageReport, 'percent' | 'precision'>,
  threshold: number,
): ThresholdVerdict {
  if (threshold <= 0) return { ok: true, shortBy: 0 }
  const shown = roundTo(report.percent, report.precision)
  const failed = threshold === 100 ? report.percent !== 100 : shown < threshold
  if (!failed) return { ok: true, shortBy: 0 }
  const shortBy = roundTo(threshold - shown, Math.max(report.precision, 1))
  return { ok: false, shortBy: shortBy > 0 ? shortBy : 1 / 10 ** Math.max(report.precision, 1) }
}

/** `82 of 95 statements and 7 of 10 branches covered`. */
export function describeCovered(figures: CoverageFigures): string {
  const lines = `${figures.coveredStatements} of ${figures.statements} statements`
  return figures.branches === undefined
    ? `${lines} covered`
    : `${lines} and ${figures.coveredBranches ?? 0} of ${figures.branches} branches covered`
}
