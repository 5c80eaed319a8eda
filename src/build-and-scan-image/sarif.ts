import type { Severity, Vulnerability } from './trivy-report.js'

type Level = 'error' | 'warning' | 'note'

const LEVEL: Record<Severity, Level> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
}

/** A score for code scanning's severity ranking when the advisory carries no CVSS score. */
const FALLBACK_SCORE: Record<Severity, number> = {
  CRITICAL: 9.5,
  HIGH: 8.0,
  MEDIUM: 5.5,
  LOW: 2.0,
  UNKNOWN: 0.0,
}

export interface SarifLocation {
  /** Repository-relative path the alerts point at (the Dockerfile). */
  uri: string
  line: number
}

/** Trivy's own SARIF rule names (pkg/report/sarif.go): a package vulnerability or a secret in a file. */
const ruleName = (v: Vulnerability) => (v.kind === 'secret' ? 'Secret' : 'OsPackageVulnerability')

function ruleOf(v: Vulnerability): object {
  const score = (v.score ?? FALLBACK_SCORE[v.severity]).toFixed(1)
  const help =
    v.kind === 'secret'
      ? {
          text: `Secret ${v.title ?? v.id}\nSeverity: ${v.severity}\nRule: ${v.id}`,
          markdown: `**Secret ${v.title ?? v.id}**\n| Severity | Rule |\n| --- | --- |\n|${v.severity}|${v.id}|`,
        }
      : {
          text: `Vulnerability ${v.id}\nSeverity: ${v.severity}\nPackage: ${v.pkg}\nFixed Version: ${v.fixed ?? 'none'}\nLink: ${v.url ?? ''}`,
          markdown: `**Vulnerability ${v.id}**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|${v.severity}|${v.pkg}|${v.fixed ?? 'none'}|${v.url ? `[${v.id}](${v.url})` : ''}|`,
        }
  return {
    id: v.id,
    name: ruleName(v),
    shortDescription: { text: v.title ?? v.id },
    fullDescription: { text: v.description ?? v.title ?? v.id },
    defaultConfiguration: { level: LEVEL[v.severity] },
    ...(v.url ? { helpUri: v.url } : {}),
    help,
    properties: {
      'security-severity': score,
      precision: 'very-high',
      tags: [v.kind === 'secret' ? 'secret' : 'vulnerability', 'security', v.severity],
    },
  }
}

/** What a result says: the package (or the file of a secret), and for an unfixed one that it does not gate. */
function messageOf(v: Vulnerability, image: string): string {
  const unfixed = v.unfixed ? 'Unfixed: no fixed version yet; reported, not counted (ignore-unfixed)\n' : ''
  if (v.kind === 'secret') {
    return `Secret ${v.title ?? v.id} (rule ${v.id})\nSeverity: ${v.severity}\nFile: ${v.target}${v.line ? `:${v.line}` : ''}\nImage: ${image}`
  }
  return `${unfixed}Package: ${v.pkg}\nInstalled Version: ${v.installed}\nVulnerability ${v.id}\nSeverity: ${v.severity}\nFixed Version: ${v.fixed ?? 'none'}\nImage: ${image}\nTarget: ${v.target}${v.url ? `\nLink: ${v.url}` : ''}`
}

/**
 * A SARIF 2.1.0 log for GitHub code scanning: one rule per vulnerability ID (or secret rule),
 * one result per vulnerable package (or file holding a secret). CRITICAL/HIGH are errors, MEDIUM
 * warnings, LOW/UNKNOWN notes; the CVSS score becomes `security-severity`, which code scanning
 * ranks alerts by. Unfixed vulnerabilities that ignore-unfixed keeps out of the gate are results
 * too, marked `unfixed` (message and properties), so code scanning shows the whole picture.
 */
export function toSarif(
  findings: readonly Vulnerability[],
  { image, location, trivyVersion }: { image: string; location: SarifLocation; trivyVersion?: string },
): object {
  const rules: object[] = []
  const ruleIndex = new Map<string, number>()
  const results: object[] = []
  for (const v of findings) {
    if (!ruleIndex.has(v.id)) {
      ruleIndex.set(v.id, rules.length)
      rules.push(ruleOf(v))
    }
    results.push({
      ruleId: v.id,
      ruleIndex: ruleIndex.get(v.id),
      level: LEVEL[v.severity],
      message: { text: messageOf(v, image) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: location.uri, uriBaseId: 'ROOTPATH' },
            region: { startLine: location.line, startColumn: 1, endLine: location.line, endColumn: 1 },
          },
          message: {
            text: v.kind === 'secret' ? `${image}: ${v.target}` : `${image}: ${v.pkg}@${v.installed}`,
          },
        },
      ],
      ...(v.unfixed ? { properties: { unfixed: true, tags: ['unfixed'] } } : {}),
    })
  }
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'Trivy',
            fullName: 'Trivy Vulnerability Scanner',
            informationUri: 'https://github.com/aquasecurity/trivy',
            ...(trivyVersion ? { version: trivyVersion } : {}),
            rules,
          },
        },
        results,
        originalUriBaseIds: { ROOTPATH: { uri: 'file:///' } },
        properties: { imageName: image },
      },
    ],
  }
}
