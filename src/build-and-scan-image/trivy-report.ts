import { OperationError } from '../lib/errors.js'
import type { IgnoreRules } from './trivyignore.js'

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const
export type Severity = (typeof SEVERITIES)[number]
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

interface RawSecret {
  RuleID?: unknown
  Category?: unknown
  Severity?: unknown
  Title?: unknown
  StartLine?: unknown
}

interface RawVulnerability {
  VulnerabilityID?: unknown
  PkgName?: unknown
  InstalledVersion?: unknown
  FixedVersion?: unknown
  Severity?: unknown
  SeveritySource?: unknown
  Title?: unknown
  Description?: unknown
  PrimaryURL?: unknown
  CVSS?: Record<string, { V3Score?: unknown } | undefined>
}

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)

function toSeverity(value: unknown): Severity {
  const upper = typeof value === 'string' ? value.toUpperCase() : ''
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : 'UNKNOWN'
}

function cvssScore(raw: RawVulnerability): number | undefined {
  const cvss = raw.CVSS ?? {}
  const source = str(raw.SeveritySource)
  const order = ['nvd', ...(source ? [source] : []), ...Object.keys(cvss)]
  for (const key of order) {
    const score = cvss[key]?.V3Score
    if (typeof score === 'number' && Number.isFinite(score)) return score
  }
  return undefined
}

/** Every vulnerability in a `trivy image --format json` report (schema version 2). */
export function parseTrivyReport(text: string): Vulnerability[] {
  let report: unknown
  try {
    report = JSON.parse(text)
  } catch (error) {
    throw new OperationError(`Trivy's report is not valid JSON: ${(error as Error).message}`)
  }
  if (report === null || typeof report !== 'object' || Array.isArray(report)) {
    throw new OperationError("Trivy's report is not a JSON object; expected the output of --format json")
  }
  const { SchemaVersion, Results } = report as { SchemaVersion?: unknown; Results?: unknown }
  if (SchemaVersion !== undefined && SchemaVersion !== 2) {
    throw new OperationError(
      `Trivy's report has schema version ${String(SchemaVersion)}; this action reads version 2`,
    )
  }
  const results = Array.isArray(Results)
    ? (Results as { Target?: unknown; Vulnerabilities?: unknown; Secrets?: unknown }[])
    : []
  const found: Vulnerability[] = []
  for (const result of results) {
    const target = str(result.Target) ?? ''
    found.push(...secretsOf(target, result.Secrets))
    const vulnerabilities = Array.isArray(result.Vulnerabilities)
      ? (result.Vulnerabilities as RawVulnerability[])
      : []
    for (const raw of vulnerabilities) {
      const id = str(raw.VulnerabilityID)
      if (id === undefined) continue
      found.push({
        id,
        pkg: str(raw.PkgName) ?? '',
        installed: str(raw.InstalledVersion) ?? '',
        fixed: str(raw.FixedVersion),
        severity: toSeverity(raw.Severity),
        title: str(raw.Title),
        description: str(raw.Description),
        url: str(raw.PrimaryURL),
        target,
        score: cvssScore(raw),
      })
    }
  }
  return found
}

/**
 * The secrets Trivy's secret scanner reports for one target (a file in the image). Trivy already
 * redacts the matched text in `Match` and `Code`; neither is read here, so no secret text travels on.
 */
function secretsOf(target: string, raw: unknown): Vulnerability[] {
  if (!Array.isArray(raw)) return []
  return (raw as RawSecret[]).flatMap((secret) => {
    const id = str(secret.RuleID)
    if (id === undefined) return []
    const line = typeof secret.StartLine === 'number' ? secret.StartLine : undefined
    const category = str(secret.Category)
    return [
      {
        id,
        pkg: target,
        installed: '',
        severity: toSeverity(secret.Severity),
        title: str(secret.Title) ?? (category ? `${category} secret` : 'Secret'),
        target,
        kind: 'secret' as const,
        ...(line === undefined ? {} : { line }),
      },
    ]
  })
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
