import { tmpdir } from 'node:os'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import { realTrivyPorts, type TrivyPorts } from '../lib/trivy/ports.js'

export interface Deps extends RunnerPorts, TrivyPorts {
  /** The working directory, where paths resolve when GITHUB_WORKSPACE is not set. */
  cwd: string
  /** The temp dir, when RUNNER_TEMP is not set. */
  tempDir: string
}

/** What a run needs once its options are parsed. */
export type PythonQualityPorts = Pick<
  Deps,
  'io' | 'env' | 'exec' | 'now' | 'installTrivy' | 'dbCache' | 'homeDir' | 'platform'
>

/** What parsing needs besides the inputs: where the paths they name resolve, and the OS (the interpreter's name). */
export type PythonQualityParseContext = Pick<Deps, 'env' | 'cwd' | 'tempDir' | 'platform'>

/** The only place this action touches the world. */
export function defaultDeps(): Deps {
  return { ...realPorts(), ...realTrivyPorts(), cwd: process.cwd(), tempDir: tmpdir() }
}
