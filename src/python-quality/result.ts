import type { StepAnnotation } from '../lib/runner/step.js'
import type { Source } from './finding.js'
import type { ToolReport } from './tool-run.js'

export interface PythonQualityResult {
  /** One report per tool that ran, then the audit when it ran. */
  reports: ToolReport[]
  /** Findings per tool that ran (the `findings` output). */
  counts: Partial<Record<Source, number>>
  /** How many findings fail the gate. */
  failing: number
  sarifFile: string
  /** The job summary markdown: a table by tool, then the top findings and the formatters' diffs. */
  summary: string
  /** Why the step fails (findings over the gate, a tool that could not run); undefined when it passed. */
  failure?: string
  /** The failing findings annotated after the verdict, within the runner's budget. */
  annotations: StepAnnotation[]
}

/** The outputs of action.yml. */
export type PythonQualityOutput = 'findings' | 'sarif-file'

/** The step's outputs from a result: the one place the output names appear. */
export function pythonQualityOutputs(result: PythonQualityResult): Record<PythonQualityOutput, string> {
  return { findings: JSON.stringify(result.counts), 'sarif-file': result.sarifFile }
}
