import { readFileSync } from 'node:fs'
import { defaultBuildAndScanImageDeps, type BuildAndScanImageDeps } from '../build-and-scan-image/api.js'
import { createEcsApi, type EcsApi } from '../ecs-blue-green-deploy/api.js'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import { sdkEcr, type EcrApi } from '../push-to-ecr/api.js'

export interface Deps extends RunnerPorts {
  readFile: (path: string) => string
  /** What build-and-scan-image needs beyond the runner ports (the Trivy install and DB cache, its folders). */
  build: Omit<BuildAndScanImageDeps, keyof RunnerPorts>
  ecr: (region: string) => Promise<EcrApi>
  ecs: (region: string) => Promise<EcsApi>
}

/** What a run needs once the options are parsed: everything but the inputs. */
export type DeployPorts = Omit<Deps, 'getInput'>

/** What parsing needs besides the inputs: the environment, files, and where paths resolve. */
export interface DeployParseContext {
  env: NodeJS.ProcessEnv
  readFile: (path: string) => string
  cwd: string
  tempDir: string
}

/** The only place deploy touches the world: the runner ports and each phase's own defaults. */
export function defaultDeps(): Deps {
  const { installTrivy, dbCache, homeDir, platform, cwd, tempDir } = defaultBuildAndScanImageDeps()
  return {
    ...realPorts(),
    readFile: (path) => readFileSync(path, 'utf8'),
    build: { installTrivy, dbCache, homeDir, platform, cwd, tempDir },
    ecr: sdkEcr,
    ecs: createEcsApi,
  }
}
