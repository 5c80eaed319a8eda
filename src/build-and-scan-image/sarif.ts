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

/**
 * A SARIF 2.1.0 log for GitHub code scanning: one rule per vulnerability ID, one result per
 * vulnerable package. CRITICAL/HIGH are errors, MEDIUM warnings, LOW/UNKNOWN notes; the CVSS
 * score becomes `security-severity`, which code scanning ranks alerts by.
 */
export function toSarif(
  findings: readonly Vulnerability[],
  { image, location, trivyVersion }: { image: string; location: SarifLocation; trivyVersion?: string },
): object {
  const rules: object[] = []
  const ruleIndex = new Map<string, number>()
  const results: object[] = []
  for (const v of findings) {
    const score = (v.score ?? FALLBACK_SCORE[v.severity]).toFixed(1)
    if (!ruleIndex.has(v.id)) {
      ruleIndex.set(v.id, rules.length)
      rules.push({
        id: v.id,
        name: 'OsPackageVulnerability',
        shortDescription: { text: v.title ?? v.id },
        fullDescription: { text: v.description ?? v.title ?? v.id },
        defaultConfiguration: { level: LEVEL[v.severity] },
        ...(v.url ? { helpUri: v.url } : {}),
        help: {
          text: `Vulnerability ${v.id}\nSeverity: ${v.severity}\nPackage: ${v.pkg}\nFixed Version: ${v.fixed ?? 'none'}\nLink: ${v.url ?? ''}`,
          markdown: `**Vulnerability ${v.id}**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|${v.severity}|${v.pkg}|${v.fixed ?? 'none'}|${v.url ? `[${v.id}](${v.url})` : ''}|`,
        },
        properties: {
          'security-severity': score,
          precision: 'very-high',
          tags: ['vulnerability', 'security', v.severity],
        },
      })
    }
    results.push({
      ruleId: v.id,
      ruleIndex: ruleIndex.get(v.id),
      level: LEVEL[v.severity],
      message: {
        text: `Package: ${v.pkg}\nInstalled Version: ${v.installed}\nVulnerability ${v.id}\nSeverity: ${v.severity}\nFixed Version: ${v.fixed ?? 'none'}\nImage: ${image}\nTarget: ${v.target}${v.url ? `\nLink: ${v.url}` : ''}`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: location.uri, uriBaseId: 'ROOTPATH' },
            region: { startLine: location.line, startColumn: 1, endLine: location.line, endColumn: 1 },
          },
          message: { text: `${image}: ${v.pkg}@${v.installed}` },
        },
      ],
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
