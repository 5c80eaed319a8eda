import type { FileDiff } from './finding.js'

/**
 * Splits a unified diff of several files (black --diff, isort --diff) into one per file, keyed
 * by the `--- <path>` header's path (black adds a tab and a date, isort `:before` and a date),
 * its headers rewritten as `--- a/<file>` / `+++ b/<file>`.
 */
export function splitDiffs(text: string, pathOf: (header: string) => string): FileDiff[] {
  const diffs: FileDiff[] = []
  let current: { file: string; lines: string[] } | undefined
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ')) {
      if (current) diffs.push({ file: current.file, diff: current.lines.join('\n').trimEnd() })
      const file = pathOf(line.slice(4).split('\t')[0] ?? '')
      // The headers name the file as the reader knows it, not the runner's absolute path and a date.
      current = { file, lines: [`--- a/${file}`, `+++ b/${file}`] }
      i++
    } else if (current) {
      current.lines.push(line)
    }
  }
  if (current) diffs.push({ file: current.file, diff: current.lines.join('\n').trimEnd() })
  return diffs
}
