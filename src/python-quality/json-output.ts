import { OperationError } from '../lib/errors.js'

/** A tool's JSON output, or an error that names the tool and shows the start of what it printed. */
export function parseJsonOutput(tool: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    const shown = text.trim().slice(0, 200)
    throw new OperationError(`${tool} did not print JSON${shown ? `: ${shown}` : ' (its output was empty)'}`)
  }
}

export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined
