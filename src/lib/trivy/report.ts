import { OperationError } from '../errors.js'

/**
 * Trivy's JSON report (`--format json`, schema version 2), read once for every action that runs
 * Trivy: build-and-scan-image's image scan (vulnerabilities and secrets) and python-quality's
 * filesystem audit (vulnerabilities). The shape is Trivy's `types.Report` (pkg/types/report.go):
 * `Results[]`, each a target with `Vulnerabilities[]`, `Secrets[]` and `Misconfigurations[]`;
 * golden reports of Trivy's own test suite are the unit tests' reference. Misconfigurations are
 * not read: neither action runs the misconfig scanner.
 */

export const TRIVY_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const
export type TrivySeverity = (typeof TRIVY_SEVERITIES)[number]

/** One vulnerable package in one target. Text fields Trivy left empty or out are undefined. */
export interface TrivyVulnerability {
  id: string
  pkg?: string
  installed?: string
  fixed?: string
  severity: TrivySeverity
  title?: string
  description?: string
  url?: string
  /** The CVSS v3 base score, from NVD, else the vendor that rated it, else any. */
  score?: number
}

/**
 * One secret Trivy's secret scanner found. Trivy already redacts the matched text in `Match` and
 * `Code`; neither is read here, so no secret text travels on.
 */
export interface TrivySecret {
  id: string
  severity: TrivySeverity
  title?: string
  category?: string
  line?: number
}

/** One entry of `Results`: a target (an OS, a lock file, a file of the image) and its findings. */
export interface TrivyTarget {
  /** As Trivy names it (`alpine:3.10 (alpine 3.10.2)`, `requirements.txt`, `./app/x`); '' if absent. */
  target: string
  vulnerabilities: TrivyVulnerability[]
  secrets: TrivySecret[]
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

interface RawSecret {
  RuleID?: unknown
  Category?: unknown
  Severity?: unknown
  Title?: unknown
  StartLine?: unknown
}

interface RawResult {
  Target?: unknown
  Vulnerabilities?: unknown
  Secrets?: unknown
}

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : [])

/** Trivy's severity; anything else (absent, misspelt) counts as UNKNOWN. */
function toSeverity(value: unknown): TrivySeverity {
  const upper = typeof value === 'string' ? value.toUpperCase() : ''
  return (TRIVY_SEVERITIES as readonly string[]).includes(upper) ? (upper as TrivySeverity) : 'UNKNOWN'
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

function vulnerabilityOf(raw: RawVulnerability): TrivyVulnerability[] {
  const id = str(raw.VulnerabilityID)
  if (id === undefined) return []
  return [
    {
      id,
      pkg: str(raw.PkgName),
      installed: str(raw.InstalledVersion),
      fixed: str(raw.FixedVersion),
      severity: toSeverity(raw.Severity),
      title: str(raw.Title),
      description: str(raw.Description),
      url: str(raw.PrimaryURL),
      score: cvssScore(raw),
    },
  ]
}

function secretOf(raw: RawSecret): TrivySecret[] {
  const id = str(raw.RuleID)
  if (id === undefined) return []
  const line = typeof raw.StartLine === 'number' ? raw.StartLine : undefined
  return [
    {
      id,
      severity: toSeverity(raw.Severity),
      title: str(raw.Title),
      category: str(raw.Category),
      ...(line === undefined ? {} : { line }),
    },
  ]
}

/**
 * The targets of a parsed Trivy JSON report; an entry without an ID is passed over. Throws for
 * something that is not such a report (not an object, another schema version).
 */
export function trivyTargets(report: unknown): TrivyTarget[] {
  if (report === null || typeof report !== 'object' || Array.isArray(report)) {
    throw new OperationError("Trivy's report is not a JSON object; expected the output of --format json")
  }
  const { SchemaVersion, Results } = report as { SchemaVersion?: unknown; Results?: unknown }
  if (SchemaVersion !== undefined && SchemaVersion !== 2) {
    throw new OperationError(
      `Trivy's report has schema version ${String(SchemaVersion)}; this action reads version 2`,
    )
  }
  return list<RawResult>(Results).map((result) => ({
    target: str(result.Target) ?? '',
    vulnerabilities: list<RawVulnerability>(result.Vulnerabilities).flatMap(vulnerabilityOf),
    secrets: list<RawSecret>(result.Secrets).flatMap(secretOf),
  }))
}
