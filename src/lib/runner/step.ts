import { OperationError } from '../errors.js'
import type { ActionIO, AnnotationProps } from './io.js'

/** An error annotation: a message, and where in the repository it points. */
export interface StepAnnotation {
  message: string
  props?: AnnotationProps
}

/** What an action's run returned, as the runner needs it: outputs, summary and the verdict. */
export interface StepReport {
  /** Output name (as in action.yml) to value; every output the action declares. */
  outputs: Readonly<Record<string, string>>
  /** Markdown for the job summary. */
  summary?: string
  /** Why the step fails; undefined when it succeeded. */
  failure?: string
  /**
   * Error annotations that locate the failure (failing tests at their lines). They are written
   * right after the failure line: the runner keeps 10 error annotations per step, and the
   * verdict comes first (actions/runner ExecutionContext.AddIssue, `_maxCountPerIssueType`).
   */
  annotations?: readonly StepAnnotation[]
}

/** The failure a run returned, with the annotations `reportFailure` writes after its line. */
export class StepFailure extends OperationError {
  constructor(
    message: string,
    readonly annotations: readonly StepAnnotation[] = [],
  ) {
    super(message)
  }
}

/**
 * Writes a run's outputs and job summary, then fails the step when the run failed. Outputs and
 * summary come first so a failed step still says what it did (which revision a service is on,
 * which tests failed); the one failure line is raised for `runGuarded` to report.
 */
export async function reportStep(
  io: Pick<ActionIO, 'setOutput' | 'appendSummary' | 'error'>,
  report: StepReport,
): Promise<void> {
  for (const [name, value] of Object.entries(report.outputs)) io.setOutput(name, value)
  if (report.summary) await io.appendSummary(report.summary)
  if (report.failure !== undefined) throw new StepFailure(report.failure, report.annotations)
  for (const annotation of report.annotations ?? []) io.error(annotation.message, annotation.props)
}
