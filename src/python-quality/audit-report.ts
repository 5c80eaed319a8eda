import { trivyTargets, type TrivySeverity, type TrivyVulnerability } from '../lib/trivy/report.js'
import type { Finding, Severity } from './finding.js'
import { parseJsonOutput } from './json-output.js'

const SEVERITY: Record<TrivySeverity, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  UNKNOWN: 'low',
}

/** One finding's message: the package, its installed and fixed versions, the advisory's title. */
function advisory(v: TrivyVulnerability): string {
  const pkg = `${v.pkg ?? '?'} ${v.installed ?? ''}`.trim()
  return `${pkg}: ${v.fixed ? `fixed in ${v.fixed}` : 'no fixed version yet'}${v.title ? ` — ${v.title}` : ''}`
}

/**
 * The vulnerabilities of a `trivy fs --scanners vuln --format json` report (schema 2, read by
 * lib/trivy/report.ts as build-and-scan-image's image reports are) in the files audited: Trivy
 * also reports any other manifest it walks past, which is not ours to judge.
 */
export function parseAuditReport(text: string, files: readonly string[]): Finding[] {
  return trivyTargets(parseJsonOutput('Trivy', text)).flatMap(({ target, vulnerabilities }) => {
    const file = target.replace(/^\.\//, '')
    if (!files.includes(file)) return []
    return vulnerabilities.map((v): Finding => ({
      source: 'audit',
      file,
      code: v.id,
      message: advisory(v),
      severity: SEVERITY[v.severity],
      url: v.url,
    }))
  })
}
