import { OperationError } from '../lib/errors.js'
import { TRIVY_SEVERITIES, trivyTargets, type TrivySecret, type TrivySeverity } from '../lib/trivy/report.js'
import type { IgnoreRules } from './trivyignore.js'

export const SEVERITIES = TRIVY_SEVERITIES
export type Severity = TrivySeverity
export type Counts = Record<Severity, number>

/** One vulnerable package in one target of the image. */
export interface Vulnerability {
  id: string
  pkg: string
  installed: string
  fixed?: string
  severity: Severity
  title?: string
  description?: string
  url?: string
  target: string
  /** The CVSS v3 base score, from NVD, else the vendor that rated it, else any. */
  score?: number
  /** 'secret': a secret Trivy's secret scanner found in a file of the image (`pkg` is the file). */
  kind?: 'secret'
  /** The line of a secret in its file. */
  line?: number
  /** Set by assess(): shown, but not counted, because it has no fix and ignore-unfixed is on. */
  unfixed?: boolean
}

/** Every secret and vulnerability, target by target, of a `trivy image --format json` report (schema version 2). */
export function parseTrivyReport(text: string): Vulnerability[] {
  let report: unknown
  try {
    report = JSON.parse(text)
  } catch (error) {
    throw new OperationError(`Trivy's report is not valid JSON: ${(error as Error).message}`)
  }
  return trivyTargets(report).flatMap(({ target, vulnerabilities, secrets }) => [
    ...secrets.map((secret) => secretFinding(target, secret)),
    ...vulnerabilities.map((v): Vulnerability => ({
      id: v.id,
      pkg: v.pkg ?? '',
      installed: v.installed ?? '',
      fixed: v.fixed,
      severity: v.severity,
      title: v.title,
      description: v.description,
      url: v.url,
      target,
      score: v.score,
    })),
  ])
}

/** A secret in a file of the image, shown as a finding whose package is the file. */
function secretFinding(target: string, secret: TrivySecret): Vulnerability {
  const { id, severity, category, line } = secret
  return {
    id,
    pkg: target,
    installed: '',
    severity,
    title: secret.title ?? (category ? `${category} secret` : 'Secret'),
    target,
    kind: 'secret',
    ...(line === undefined ? {} : { line }),
  }
}

export interface Assessment {
  /**
   * What is shown (SARIF, summary): everything but the ignore file's IDs. Unfixed vulnerabilities
   * under ignore-unfixed are here too, marked `unfixed`, but not in `counts`.
   */
  findings: Vulnerability[]
  counts: Counts
  /** How many findings are shown but not counted: unfixed, under ignore-unfixed. */
  unfixedIgnored: number
  /** IDs dropped by the ignore file. */
  ignored: number
}

export function emptyCounts(): Counts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }
}

/**
 * Applies the ignore file (those IDs are dropped) and `ignore-unfixed` (a vulnerability without a
 * fixed version is kept, marked unfixed, but not counted: it does not gate), then counts by
 * severity. A secret has no fix to wait for: it always counts.
 */
export function assess(
  vulnerabilities: readonly Vulnerability[],
  { ignoreUnfixed, ignore }: { ignoreUnfixed: boolean; ignore: IgnoreRules },
): Assessment {
  let unfixedIgnored = 0
  let ignored = 0
  const findings: Vulnerability[] = []
  for (const v of vulnerabilities) {
    if (ignore.ids.has(v.id)) {
      ignored += 1
    } else if (ignoreUnfixed && v.fixed === undefined && v.kind !== 'secret') {
      unfixedIgnored += 1
      findings.push({ ...v, unfixed: true })
    } else {
      findings.push(v)
    }
  }
  const counts = emptyCounts()
  for (const v of findings) if (!v.unfixed) counts[v.severity] += 1
  return { findings, counts, unfixedIgnored, ignored }
}

export type Threshold = Severity | 'none'

/** The severities at or above the threshold; none for `none` (report only). */
export function severitiesAtOrAbove(threshold: Threshold): Severity[] {
  if (threshold === 'none') return []
  return SEVERITIES.slice(0, SEVERITIES.indexOf(threshold) + 1)
}

/** How many findings fail the gate. */
export function gateFailures(counts: Counts, threshold: Threshold): number {
  return severitiesAtOrAbove(threshold).reduce((sum, severity) => sum + counts[severity], 0)
}

/** Findings ordered for a reader: counted before unfixed, most severe first, then the highest score, then ID. */
export function topFindings(findings: readonly Vulnerability[], limit = 10): Vulnerability[] {
  return [...findings]
    .sort(
      (a, b) =>
        Number(a.unfixed === true) - Number(b.unfixed === true) ||
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        (b.score ?? -1) - (a.score ?? -1) ||
        a.id.localeCompare(b.id) ||
        a.pkg.localeCompare(b.pkg),
    )
    .slice(0, limit)
}
