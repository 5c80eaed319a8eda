import { OperationError } from '../lib/errors.js'
import type { Finding, Severity } from './finding.js'
import { parseJsonOutput, str } from './json-output.js'

interface RawVulnerability {
  VulnerabilityID?: unknown
  PkgName?: unknown
  InstalledVersion?: unknown
  FixedVersion?: unknown
  Severity?: unknown
  Title?: unknown
  PrimaryURL?: unknown
}

const SEVERITY: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  UNKNOWN: 'low',
}

/** One finding's message: the package, its installed and fixed versions, the advisory's title. */
function advisory(raw: RawVulnerability): string {
  const pkg = `${str(raw.PkgName) ?? '?'} ${str(raw.InstalledVersion) ?? ''}`.trim()
  const fixed = str(raw.FixedVersion)
  const title = str(raw.Title)
  return `${pkg}: ${fixed ? `fixed in ${fixed}` : 'no fixed version yet'}${title ? ` — ${title}` : ''}`
}

/**
 * The vulnerabilities of a `trivy fs --scanners vuln --format json` report (schema 2) in the
 * files audited: Trivy also reports any other manifest it walks past, which is not ours to judge.
 * (build-and-scan-image has a fuller parser for image reports, with CVSS scores and ignore
 * rules; this one reads what a dependency finding shows.)
 */
export function parseAuditReport(text: string, files: readonly string[]): Finding[] {
  const report = parseJsonOutput('Trivy', text) as { SchemaVersion?: unknown; Results?: unknown } | null
  if (report === null || typeof report !== 'object' || Array.isArray(report)) {
    throw new OperationError("Trivy's report is not a JSON object; expected the output of --format json")
  }
  if (report.SchemaVersion !== undefined && report.SchemaVersion !== 2) {
    throw new OperationError(
      `Trivy's report has schema version ${String(report.SchemaVersion)}; this action reads version 2`,
    )
  }
  const results = Array.isArray(report.Results)
    ? (report.Results as { Target?: unknown; Vulnerabilities?: unknown }[])
    : []
  const findings: Finding[] = []
  for (const result of results) {
    const target = (str(result.Target) ?? '').replace(/^\.\//, '')
    if (!files.includes(target)) continue
    for (const raw of Array.isArray(result.Vulnerabilities)
      ? (result.Vulnerabilities as RawVulnerability[])
      : []) {
      const id = str(raw.VulnerabilityID)
      if (id === undefined) continue
      findings.push({
        source: 'audit',
        file: target,
        code: id,
        message: advisory(raw),
        severity: SEVERITY[str(raw.Severity)?.toUpperCase() ?? ''] ?? 'low',
        url: str(raw.PrimaryURL),
      })
    }
  }
  return findings
}
