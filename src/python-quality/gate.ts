import { ConfigurationError, quote } from '../lib/errors.js'
import { parseList } from '../lib/list.js'
import { SEVERITIES, SOURCES, severityRank, type Finding, type Severity, type Source } from './finding.js'

/** One `fail-on` entry: findings of `source` (or of any) at or above `min` fail the step. */
export interface GateRule {
  source: Source | 'any'
  min: Severity
}

/**
 * `fail-on`: `any` (every finding fails), `none` (report only), or entries `<tool>` /
 * `<tool>:<severity>` (`bandit:medium,audit:high,flake8`); `any:<severity>` for every tool.
 */
export function parseFailOn(text: string, input: string): GateRule[] {
  const entries = parseList(text)
  if (entries.length === 1 && entries[0]?.toLowerCase() === 'none') return []
  if (entries.length === 0) return [{ source: 'any', min: 'low' }]
  return entries.map((entry) => {
    const [name = '', severity, ...rest] = entry.toLowerCase().split(':')
    const source = name === 'any' ? 'any' : SOURCES.find((s) => s === name)
    const min = severity === undefined ? 'low' : SEVERITIES.find((s) => s === severity)
    if (source === undefined || min === undefined || rest.length > 0) {
      throw new ConfigurationError(
        `Input '${input}' must be any, none, or entries like bandit:medium,audit:high,flake8 ` +
          `(tools: any, ${SOURCES.join(', ')}; severities: ${SEVERITIES.join(', ')}) (got ${quote(entry)})`,
      )
    }
    return { source, min }
  })
}

/** True when a finding fails the gate: some rule for its tool (or any) is at or below its severity. */
export function failsGate(finding: Finding, rules: readonly GateRule[]): boolean {
  return rules.some(
    (rule) =>
      (rule.source === 'any' || rule.source === finding.source) &&
      severityRank(finding.severity) >= severityRank(rule.min),
  )
}

/** `fail-on` as a reader sees it in messages. */
export function describeGate(rules: readonly GateRule[]): string {
  if (rules.length === 0) return 'none'
  return rules.map((r) => (r.min === 'low' ? r.source : `${r.source}:${r.min}`)).join(',')
}
