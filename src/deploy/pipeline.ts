import type { ActionIO } from '../lib/runner/io.js'
import { ConfigurationError, errorMessage, OperationError } from '../lib/errors.js'
import type { Clock } from '../lib/poll.js'
import { PhaseIO } from './phase-io.js'

export type PhaseStatus = 'passed' | 'failed' | 'skipped' | 'not run'

export interface PhaseRecord {
  /** The single action the phase runs, e.g. `push-to-ecr`. */
  name: string
  status: PhaseStatus
  durationMs?: number
  /** The phase's own job summary. */
  summary: string
  /** Why it was skipped, or how it failed. */
  note?: string
}

/** What a phase's body hands back: its value for the next phases, its summary, and its failure. */
export interface PhaseDone<T> {
  value: T
  /** The phase's own job summary, placed under its heading. */
  summary?: string
  /** Set when the phase failed operationally (tests failed, rolled back): the run stops there. */
  failure?: string
}

/** A single action's result as a phase's: the result is the value, its summary and failure kept. */
export function done<T extends { summary: string; failure?: string }>(result: T): PhaseDone<T> {
  return { value: result, summary: result.summary, failure: result.failure }
}

/**
 * Runs the phases of one deploy in order, each in its own log group with its outputs and job
 * summary kept apart. The first phase that throws stops the run: the error is re-raised naming
 * the phase, and the phases after it are reported as not run.
 */
export class Pipeline {
  readonly records: PhaseRecord[]

  constructor(
    private readonly io: ActionIO,
    private readonly now: Clock,
    names: readonly string[],
  ) {
    this.records = names.map((name) => ({ name, status: 'not run', summary: '' }))
  }

  private record(name: string): PhaseRecord {
    const record = this.records.find((r) => r.name === name)
    if (record === undefined) throw new Error(`No phase '${name}' in this pipeline`)
    return record
  }

  private label(name: string): string {
    return `${this.records.findIndex((r) => r.name === name) + 1}/${this.records.length} ${name}`
  }

  async run<T>(name: string, body: (io: ActionIO) => Promise<PhaseDone<T>>): Promise<T> {
    const record = this.record(name)
    const phaseIO = new PhaseIO(this.io)
    const started = this.now()
    try {
      const result = await this.io.group(this.label(name), () => body(phaseIO))
      const summary = result.summary ?? ''
      record.summary = summary === '' || summary.endsWith('\n') ? summary : `${summary}\n`
      if (result.failure !== undefined) throw new OperationError(result.failure)
      record.status = 'passed'
      return result.value
    } catch (error) {
      record.status = 'failed'
      record.note = errorMessage(error)
      const message = `Phase ${name} failed: ${errorMessage(error)}`
      throw error instanceof ConfigurationError
        ? new ConfigurationError(message)
        : new OperationError(message)
    } finally {
      record.durationMs = this.now() - started
    }
  }

  skip(name: string, why: string): void {
    const record = this.record(name)
    record.status = 'skipped'
    record.note = why
    this.io.info(`Skipping ${this.label(name)}: ${why}`)
  }
}
