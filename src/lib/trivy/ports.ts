import { homedir, tmpdir } from 'node:os'
import { actionsDbCache, type DbCache } from './db-cache.js'

/** What an action that runs the suite's Trivy needs besides the runner's ports. */
export interface TrivyPorts {
  /** Returns the path of a Trivy binary for a version (tool cache, else a verified download). */
  installTrivy: (version: string, log: (line: string) => void) => Promise<string>
  /** The Actions cache for Trivy's database. */
  dbCache: (log: (line: string) => void) => DbCache
  /** The user's home: Trivy keeps its database under ~/.cache/trivy. */
  homeDir: string
  /** The OS, which keys the database cache. */
  platform: NodeJS.Platform
}

/** The real ones: the tool cache and a verified download (loaded only when a scan runs), the Actions cache. */
export function realTrivyPorts(): TrivyPorts {
  return {
    installTrivy: async (version, log) => {
      const { installTrivy } = await import('./install.js')
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
  }
}
