/**
 * A problem with what the user wrote in the workflow: an input that is missing, malformed or
 * contradicts another. Raised before any side effect; its message names the input, what was
 * expected and what was given, so the user can fix the workflow without reading a stack trace.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError'
}

/**
 * An operation that ran and did not succeed (a failed check, a deployment rolled back, a tool
 * that exited non-zero). The message says what happened and, where one exists, what to do.
 */
export class OperationError extends Error {
  override name = 'OperationError'
}

/** The text of anything thrown: `Error` messages as they are, anything else stringified. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error) ?? String(error)
  } catch {
    return String(error)
  }
}

/** Shows a user-supplied value in an error message, shortened so a pasted blob stays readable. */
export function quote(value: string, max = 80): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value
  return `'${shown}'`
}
