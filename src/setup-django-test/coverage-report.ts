import { findAll, parseXml } from './xml.js'

export interface FileCoverage {
  file: string
  percent: number
  linesValid: number
  linesCovered: number
}

export interface CoverageReport {
  /** Line coverage in percent, 0-100, as coverage.py computes its total. */
  percent: number
  linesValid: number
  linesCovered: number
  files: FileCoverage[]
}

/** Parses coverage.py's Cobertura XML (`coverage xml`). */
export function parseCobertura(xml: string): CoverageReport {
  const root = parseXml(xml)
  if (root.name !== 'coverage') throw new Error(`expected a <coverage> root element, got <${root.name}>`)
  const files = findAll(root, 'class').map((element) => {
    const lines = findAll(element, 'line')
    const covered = lines.filter((line) => Number(line.attrs.hits ?? '0') > 0).length
    return {
      file: element.attrs.filename ?? element.attrs.name ?? '',
      linesValid: lines.length,
      linesCovered: covered,
      percent: lines.length === 0 ? 100 : (covered / lines.length) * 100,
    }
  })
  const linesValid = Number(root.attrs['lines-valid'])
  const linesCovered = Number(root.attrs['lines-covered'])
  if (
    Number.isFinite(linesValid) &&
    Number.isFinite(linesCovered) &&
    root.attrs['lines-valid'] !== undefined
  ) {
    return {
      percent: linesValid === 0 ? 100 : (linesCovered / linesValid) * 100,
      linesValid,
      linesCovered,
      files,
    }
  }
  const rate = Number(root.attrs['line-rate'] ?? 'NaN')
  if (!Number.isFinite(rate)) throw new Error('the report has neither lines-valid nor line-rate')
  return {
    percent: rate * 100,
    linesValid: files.reduce((sum, f) => sum + f.linesValid, 0),
    linesCovered: files.reduce((sum, f) => sum + f.linesCovered, 0),
    files,
  }
}

export interface ThresholdVerdict {
  ok: boolean
  /** Percentage points short of the threshold (0 when met). */
  shortBy: number
}

/**
 * Whether coverage meets the threshold. Compared at coverage.py's own display precision (one
 * decimal), so 79.96 % shown as "80.0%" is not reported as failing a threshold of 80.
 */
export function checkThreshold(percent: number, threshold: number): ThresholdVerdict {
  if (threshold <= 0) return { ok: true, shortBy: 0 }
  const shown = Math.round(percent * 10) / 10
  const shortBy = Math.round((threshold - shown) * 10) / 10
  return shortBy > 0 ? { ok: false, shortBy } : { ok: true, shortBy: 0 }
}

/** `87.5` style: one decimal, as the summary and the `coverage` output show it. */
export function formatPercent(percent: number): string {
  return (Math.round(percent * 10) / 10).toFixed(1)
}
