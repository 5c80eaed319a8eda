import type { ActionIO } from './io.js'
import { ConfigurationError, errorMessage } from '../errors.js'
import { StepFailure } from './step.js'

/**
 * Ends a run that threw: exactly one `setFailed` line saying what went wrong. A bad input is
 * prefixed so the user knows to fix the workflow, not retry it. The stack trace is printed only
 * when the runner's debug logging is on (ACTIONS_STEP_DEBUG), as debug lines. A run's returned
 * failure (reportStep's StepFailure) is followed by the annotations that locate it.
 */
export function reportFailure(
  io: Pick<ActionIO, 'setFailed' | 'debug' | 'isDebug' | 'error'>,
  error: unknown,
): void {
  const message = errorMessage(error)
  if (io.isDebug() && error instanceof Error && error.stack) {
    for (const line of error.stack.split('\n')) io.debug(line)
  }
  io.setFailed(error instanceof ConfigurationError ? `Invalid configuration: ${message}` : message)
  if (error instanceof StepFailure) {
    for (const annotation of error.annotations) io.error(annotation.message, annotation.props)
  }
}

/** Runs an action body, turning anything it throws into one failure line. */
export async function runGuarded(
  io: Pick<ActionIO, 'setFailed' | 'debug' | 'isDebug' | 'error'>,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body()
  } catch (error) {
    reportFailure(io, error)
  }
}
