import type { ActionIO, AnnotationProps } from '../lib/runner/io.js'

/**
 * The IO a phase runs with: log lines, annotations, masking and state go straight to the runner,
 * while the phase's outputs and job summary are kept for deploy to use and to place under the
 * phase's own heading. The runner cannot nest log groups, so a group the phase opens inside
 * deploy's group for it becomes a marker line.
 */
export class PhaseIO implements ActionIO {
  readonly outputs: Record<string, string> = {}
  readonly summary: string[] = []

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
  setOutput(name: string, value: string): void {
    this.outputs[name] = value
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
  async appendSummary(markdown: string): Promise<void> {
    this.summary.push(markdown.endsWith('\n') ? markdown : `${markdown}\n`)
  }
}
