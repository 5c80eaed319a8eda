import { relative, resolve } from 'node:path'
import type { AnnotationProps } from '../lib/runner/io.js'
import { SOURCES, severityRank, type Finding } from './finding.js'
import { failsGate, type GateRule } from './gate.js'

/** A finding with its path from the repository root and its verdict, as annotations and reports show it. */
export interface Located extends Finding {
  /** The path relative to the workspace (what annotations and SARIF name). */
  path: string
  failsGate: boolean
}

export function locate(
  findings: readonly Finding[],
  where: { workspace: string; workingDirectory: string },
  rules: readonly GateRule[],
): Located[] {
  return findings.map((finding) => ({
    ...finding,
    path: relative(where.workspace, resolve(where.workingDirectory, finding.file)).split('\\').join('/'),
    failsGate: failsGate(finding, rules),
  }))
}

/** Most important first: what fails the gate, then by severity, then tool order, file and line. */
export function byImportance(a: Located, b: Located): number {
  return (
    Number(b.failsGate) - Number(a.failsGate) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source) ||
    a.path.localeCompare(b.path) ||
    (a.line ?? 0) - (b.line ?? 0)
  )
}

export function annotationOf(finding: Located): { message: string; props: AnnotationProps } {
  return {
    message: `${finding.code}: ${finding.message}`,
    props: {
      title: `${finding.source} (${finding.severity})`,
      file: finding.path,
      startLine: finding.line,
      startColumn: finding.line === undefined ? undefined : finding.column,
    },
  }
}

/** Where a finding is, for a table: `shop/x.py:12`. */
export function where(finding: Located): string {
  return finding.line === undefined ? finding.path : `${finding.path}:${finding.line}`
}
