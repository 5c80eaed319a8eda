import { code, heading, table } from '../lib/runner/summary.js'
import type { Finding } from './lint.js'
import { formatSize } from './size.js'
import { SEVERITIES, topFindings, type Assessment, type Threshold } from './trivy-report.js'

export interface SummaryFacts {
  image: string
  references: readonly string[]
  imageId?: string
  size?: number
  maxSize?: number
  digest?: string
  builder: string
  /** The image's created time and where it came from (the commit, SOURCE_DATE_EPOCH, the build). */
  created?: string
  lint?: { file: string; findings: readonly Finding[] }
  scan?: { assessment: Assessment; threshold: Threshold; passed: boolean }
}

export function summaryMarkdown(facts: SummaryFacts): string {
  let md = heading(`Image ${facts.image}`)
  const rows: [string, string][] = [
    ['Tags', facts.references.map(code).join('<br>')],
    ['Builder', facts.builder],
  ]
  if (facts.created) rows.push(['Created', facts.created])
  if (facts.imageId) rows.push(['Image ID', code(facts.imageId)])
  if (facts.size !== undefined) {
    rows.push([
      'Size',
      `${formatSize(facts.size)}${facts.maxSize ? ` (limit ${formatSize(facts.maxSize)})` : ''}`,
    ])
  }
  if (facts.digest) rows.push(['Pushed digest', code(facts.digest)])
  md += table(['', ''], rows) + '\n'
  if (facts.lint) {
    const { file, findings } = facts.lint
    md += heading('Dockerfile policy', 4)
    md +=
      findings.length === 0
        ? 'No findings.\n\n'
        : table(
            ['Level', 'Line', 'Rule', 'Finding'],
            findings.map((f) => [f.level, `${file}:${f.line}`, f.rule, f.message]),
          ) + '\n'
  }
  if (facts.scan) {
    const { assessment, threshold, passed } = facts.scan
    md += heading(`Vulnerabilities: ${passed ? 'passed' : 'failed'} (threshold ${threshold})`, 4)
    md += table([...SEVERITIES], [SEVERITIES.map((s) => String(assessment.counts[s]))])
    const notes: string[] = []
    if (assessment.unfixedIgnored > 0) {
      notes.push(`${assessment.unfixedIgnored} without a fix yet shown as unfixed, not counted`)
    }
    if (assessment.ignored > 0) notes.push(`${assessment.ignored} ignored by the ignore file`)
    if (notes.length > 0) md += `\n${notes.join('; ')}.\n`
    const top = topFindings(assessment.findings)
    if (top.length > 0) {
      const shown =
        top.length < assessment.findings.length
          ? `Top ${top.length} of ${assessment.findings.length}`
          : 'Findings'
      md += `\n${heading(shown, 5)}`
      md += table(
        ['ID', 'Package', 'Installed → fixed', 'Severity'],
        top.map((v) => [
          v.url ? `[${v.id}](${v.url})` : v.id,
          v.kind === 'secret' ? `secret in ${v.target}${v.line ? `:${v.line}` : ''}` : v.pkg,
          v.kind === 'secret' ? '—' : `${v.installed} → ${v.fixed ?? 'no fix'}`,
          v.unfixed ? `${v.severity} (unfixed, not counted)` : v.severity,
        ]),
      )
    }
  }
  return md
}
