import type { Severity, Source } from './finding.js'
import type { Located } from './located.js'

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
}

const INFORMATION: Record<Source, string> = {
  black: 'https://black.readthedocs.io/',
  isort: 'https://pycqa.github.io/isort/',
  flake8: 'https://flake8.pycqa.org/',
  ruff: 'https://docs.astral.sh/ruff/',
  pylint: 'https://pylint.readthedocs.io/',
  bandit: 'https://bandit.readthedocs.io/',
  audit: 'https://trivy.dev/',
}

/** One SARIF run: the tool as the driver, one rule per code it reported, one result per finding. */
function sarifRun(source: Source, findings: readonly Located[]): object {
  const rules: { id: string; helpUri?: string }[] = []
  for (const f of findings) {
    if (!rules.some((r) => r.id === f.code)) rules.push({ id: f.code, ...(f.url ? { helpUri: f.url } : {}) })
  }
  return {
    tool: {
      driver: { name: source === 'audit' ? 'Trivy' : source, informationUri: INFORMATION[source], rules },
    },
    results: findings.map((f) => ({
      ruleId: f.code,
      ruleIndex: rules.findIndex((r) => r.id === f.code),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: f.path },
            region: {
              startLine: f.line ?? 1,
              ...(f.line !== undefined && f.column ? { startColumn: f.column } : {}),
            },
          },
        },
      ],
    })),
  }
}

/** A SARIF 2.1.0 log for code scanning with one run per tool that ran (a clean tool has an empty run). */
export function toSarif(runs: readonly { source: Source; findings: readonly Located[] }[]): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: runs.map((r) => sarifRun(r.source, r.findings)),
  }
}
