import { OperationError } from '../errors.js'
import type { ActionIO } from './io.js'

/** What an action's run returned, as the runner needs it: outputs, summary and the verdict. */
export interface StepReport {
  /** Output name (as in action.yml) to value; every output the action declares. */
  outputs: Readonly<Record<string, string>>
  /** Markdown for the job summary. */
  summary?: string
  /** Why the step fails; undefined when it succeeded. */
  failure?: string
}

/**
 * Writes a run's outputs and job summary, then fails the step when the run failed. Outputs and
 * summary come first so a failed step still says what it did (which revision a service is on,
 * which tests failed); the one failure line is raised for `runGuarded` to report.
 */
export async function reportStep(
  io: Pick<ActionIO, 'setOutput' | 'appendSummary'>,
  report: StepReport,
): Promise<void> {
  for (const [name, value] of Object.entries(report.outputs)) io.setOutput(name, value)
  if (report.summary) await io.appendSummary(report.summary)
  if (report.failure !== undefined) throw new OperationError(report.failure)
}
