import { splitDiffs } from './diffs.js'
import { toolPath, type Finding, type ParsedOutput } from './finding.js'

/**
 * `isort --check-only --diff`: `ERROR: <path> Imports are incorrectly sorted and/or formatted.`
 * per file (stderr), the diffs on stdout with `--- <path>:before` headers. One finding per file.
 */
export function parseIsort(stdout: string, stderr: string, cwd: string): ParsedOutput {
  const diffs = splitDiffs(stdout, (header) => toolPath(header.replace(/:before$/, ''), cwd))
  const findings: Finding[] = []
  for (const line of `${stderr}\n${stdout}`.split(/\r?\n/)) {
    const match = /^ERROR: (.+?) Imports are incorrectly sorted and\/or formatted\.$/.exec(line.trim())
    if (!match?.[1]) continue
    findings.push({
      source: 'isort',
      file: toolPath(match[1], cwd),
      code: 'isort',
      message: 'isort would reorder the imports of this file',
      severity: 'low',
    })
  }
  return { findings, diffs }
}
