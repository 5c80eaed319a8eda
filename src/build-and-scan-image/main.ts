import { actionsCore, type ActionIO } from '../lib/runner/io.js'
import { exec as realExec, type Exec } from '../lib/process/exec.js'
import { runGuarded } from '../lib/runner/failure.js'
import { envInput, type GetInput } from '../lib/runner/inputs.js'
import { parseInputs } from './inputs.js'
import { resolvePaths } from './paths.js'
import { actionsDbCache, type DbCache } from './trivy-db-cache.js'

export interface Deps {
  io: ActionIO
  getInput: GetInput
  env: NodeJS.ProcessEnv
  exec: Exec
  now: () => Date
  /** Returns the path of a Trivy binary for a version (tool cache, else a verified download). */
  installTrivy: (version: string, log: (line: string) => void) => Promise<string>
  dbCache: (log: (line: string) => void) => DbCache
}

export function defaultDeps(): Deps {
  return {
    io: actionsCore(),
    getInput: envInput(),
    env: process.env,
    exec: realExec,
    now: () => new Date(),
    installTrivy: async (version, log) => {
      const { installTrivy } = await import('./trivy-install.js')
      return installTrivy({ version, env: process.env, platform: process.platform, arch: process.arch, log })
    },
    dbCache: actionsDbCache,
  }
}

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  await runGuarded(deps.io, async () => {
    const inputs = parseInputs(deps.getInput)
    const paths = resolvePaths(inputs, deps.env)
    const { buildAndScan } = await import('./pipeline.js')
    await buildAndScan(deps, inputs, paths)
  })
}
