import { existsSync } from 'node:fs'
import * as core from '@actions/core'

/** Where an annotation points: a file and line in the repository (a subset of @actions/core's AnnotationProperties). */
export interface AnnotationProps {
  title?: string
  file?: string
  startLine?: number
  endLine?: number
  startColumn?: number
}

/**
 * Everything an action says to the runner: log lines, annotations, groups, outputs, state, the
 * job summary and secret masking. `actionsCore()` is the real one; tests pass a recorder.
 */
export interface ActionIO {
  info(message: string): void
  debug(message: string): void
  notice(message: string, props?: AnnotationProps): void
  warning(message: string, props?: AnnotationProps): void
  error(message: string, props?: AnnotationProps): void
  isDebug(): boolean
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
  setOutput(name: string, value: string): void
  setSecret(secret: string): void
  setFailed(message: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  /** Appends markdown to the job summary (no-op when the runner gives no summary file). */
  appendSummary(markdown: string): Promise<void>
}

/** The runner protocol as @actions/core speaks it: workflow commands, file commands, the summary. */
export function actionsCore(): ActionIO {
  return {
    info: (message) => core.info(message),
    debug: (message) => core.debug(message),
    notice: (message, props) => core.notice(message, props),
    warning: (message, props) => core.warning(message, props),
    error: (message, props) => core.error(message, props),
    isDebug: () => core.isDebug(),
    group: (name, fn) => core.group(name, fn),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: (secret) => core.setSecret(secret),
    setFailed: (message) => core.setFailed(message),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    appendSummary: async (markdown) => {
      // core.summary.write() throws without a summary file; outside a runner (a local run of a
      // bundle) there is none, and a summary is not worth failing a step for.
      const file = process.env.GITHUB_STEP_SUMMARY
      if (!file || !existsSync(file)) return
      await core.summary.addRaw(markdown, !markdown.endsWith('\n')).write()
    },
  }
}
