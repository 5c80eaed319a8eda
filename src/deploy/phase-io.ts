import type { ActionIO, AnnotationProps } from '../lib/runner/io.js'

/**
 * The IO a phase runs with: log lines, annotations, masking and state go straight to the runner.
 * A phase's outputs and job summary come back in its typed result, never through the IO, so
 * setting either here is a bug. The runner cannot nest log groups, so a group the phase opens
 * inside deploy's group for it becomes a marker line.
 */
export class PhaseIO implements ActionIO {
  constructor(private readonly parent: ActionIO) {}

  info(message: string): void {
    this.parent.info(message)
  }
  debug(message: string): void {
    this.parent.debug(message)
  }
  notice(message: string, props?: AnnotationProps): void {
    this.parent.notice(message, props)
  }
  warning(message: string, props?: AnnotationProps): void {
    this.parent.warning(message, props)
  }
  error(message: string, props?: AnnotationProps): void {
    this.parent.error(message, props)
  }
  isDebug(): boolean {
    return this.parent.isDebug()
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.parent.info(`▸ ${name}`)
    return fn()
  }
  setOutput(name: string): void {
    throw new Error(`A phase set output '${name}': a phase returns its outputs in its result`)
  }
  setSecret(secret: string): void {
    this.parent.setSecret(secret)
  }
  setFailed(message: string): void {
    this.parent.setFailed(message)
  }
  saveState(name: string, value: string): void {
    this.parent.saveState(name, value)
  }
  getState(name: string): string {
    return this.parent.getState(name)
  }
  async appendSummary(): Promise<void> {
    throw new Error('A phase wrote the job summary: a phase returns its summary in its result')
  }
}
