import { errorMessage, OperationError } from '../lib/errors.js'
import { tail } from '../lib/process/exec.js'
import type { PythonQualityPorts } from './deps.js'
import type { FileDiff, Finding, Source } from './finding.js'
import type { PythonQualityOptions, SelectedTool } from './options.js'
import { TOOL_SPECS } from './tools.js'

/** What one tool (or the audit) reported; `error` when it could not run to the end. */
export interface ToolReport {
  source: Source
  /** Where its configuration came from, for the summary. */
  config?: string
  findings: Finding[]
  diffs: FileDiff[]
  error?: string
  durationMs: number
}

/** Runs one tool as `python -m <module> <args>` in the working directory and parses what it printed. */
export async function runTool(
  ports: Pick<PythonQualityPorts, 'exec' | 'io' | 'now'>,
  options: PythonQualityOptions,
  selected: SelectedTool,
): Promise<ToolReport> {
  const spec = TOOL_SPECS[selected.tool]
  const started = ports.now()
  const args = ['-m', spec.module, ...spec.args(selected.config)]
  ports.io.info(`${options.python} ${args.join(' ')}`)
  const report = (parsed: Pick<ToolReport, 'findings' | 'diffs' | 'error'>): ToolReport => ({
    source: selected.tool,
    config: selected.config,
    ...parsed,
    durationMs: ports.now() - started,
  })
  const result = await ports.exec(options.python, args, { cwd: options.workingDirectory })
  if (spec.failed(result.exitCode)) {
    return report({
      findings: [],
      diffs: [],
      error: `${selected.tool} failed (exit code ${result.exitCode}): ${tail(result.stderr || result.stdout, 3)}`,
    })
  }
  try {
    return report(spec.parse(result, options.workingDirectory))
  } catch (error) {
    const message = error instanceof OperationError ? error.message : errorMessage(error)
    const stderr = tail(result.stderr, 2)
    return report({ findings: [], diffs: [], error: `${message}${stderr ? `; stderr: ${stderr}` : ''}` })
  }
}
