import { homedir, tmpdir } from 'node:os'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import { actionsDbCache, type DbCache } from '../lib/trivy/db-cache.js'

export interface Deps extends RunnerPorts {
  /** Returns the path of a Trivy binary for a version (tool cache, else a verified download). */
  installTrivy: (version: string, log: (line: string) => void) => Promise<string>
  /** The Actions cache for Trivy's database. */
  dbCache: (log: (line: string) => void) => DbCache
  /** The user's home: Trivy keeps its database under ~/.cache/trivy. */
  homeDir: string
  /** The OS, which keys the database cache and picks the default interpreter's name. */
  platform: NodeJS.Platform
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

/** What parsing needs besides the inputs: where the paths they name resolve. */
export type PythonQualityParseContext = Pick<Deps, 'env' | 'cwd' | 'tempDir' | 'platform'>

/** The only place this action touches the world. */
export function defaultDeps(): Deps {
  return {
    ...realPorts(),
    installTrivy: async (version, log) => {
      const { installTrivy } = await import('../lib/trivy/install.js')
      return installTrivy({
        version,
        env: process.env,
        platform: process.platform,
        arch: process.arch,
        tempDir: tmpdir(),
        log,
      })
    },
    dbCache: actionsDbCache,
    homeDir: homedir(),
    platform: process.platform,
    cwd: process.cwd(),
    tempDir: tmpdir(),
  }
}
