import { splitDiffs } from './diffs.js'
import { toolPath, type Finding, type ParsedOutput } from './finding.js'

/**
 * `black --check --diff`: the diffs on stdout, `would reformat <path>` and
 * `error: cannot format <path>: <why>` on stderr. Each file black would change is one finding at
 * the file, its diff kept for the summary; a file it cannot parse is a high one.
 */
export function parseBlack(stdout: string, stderr: string, cwd: string): ParsedOutput {
  const diffs = splitDiffs(stdout, (header) => toolPath(header, cwd))
  const findings: Finding[] = []
  for (const line of stderr.split(/\r?\n/)) {
    const reformat = /^would reformat (.+)$/.exec(line.trim())
    if (reformat?.[1]) {
      findings.push({
        source: 'black',
        file: toolPath(reformat[1], cwd),
        code: 'black',
        message: 'black would reformat this file',
        severity: 'low',
      })
      continue
    }
    const error = /^error: cannot format (.+?): (.+)$/.exec(line.trim())
    if (error?.[1] && error[2]) {
      const at = /Cannot parse: (\d+):(\d+)/.exec(error[2])
      findings.push({
        source: 'black',
        file: toolPath(error[1], cwd),
        line: at ? Number(at[1]) : undefined,
        column: at ? Number(at[2]) + 1 : undefined,
        code: 'black-error',
        message: `black cannot format this file: ${error[2]}`,
        severity: 'high',
      })
    }
  }
  return { findings, diffs }
}
