import { readFileSync } from 'node:fs'
import { defaultBuildAndScanImageDeps, type BuildAndScanImageDeps } from '../build-and-scan-image/api.js'
import { runGuarded } from '../lib/runner/failure.js'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import { maskSecret } from '../lib/runner/secrets.js'
import { exec as realExec, type Exec } from '../lib/process/exec.js'
import { createEcsApi, type EcsApi } from '../ecs-blue-green-deploy/api.js'
import { logoutOfSavedRegistry, sdkEcr, STATE, type EcrApi } from '../push-to-ecr/api.js'
import { renderDeploySecrets } from '../render-deploy/api.js'
import { parseInputs } from './inputs.js'

export interface Deps extends RunnerPorts {
  env: NodeJS.ProcessEnv
  exec: Exec
  readFile: (path: string) => string
  /** What build-and-scan-image needs beyond the ports above (the Trivy install and DB cache, its folders). */
  build: Omit<BuildAndScanImageDeps, keyof RunnerPorts>
  ecr: (region: string) => Promise<EcrApi>
  ecs: (region: string) => Promise<EcsApi>
}

export function defaultDeps(): Deps {
  const { installTrivy, dbCache, homeDir, platform, cwd, tempDir } = defaultBuildAndScanImageDeps()
  return {
    ...realPorts(),
    env: process.env,
    exec: realExec,
    readFile: (path) => readFileSync(path, 'utf8'),
    build: { installTrivy, dbCache, homeDir, platform, cwd, tempDir },
    ecr: sdkEcr,
    ecs: createEcsApi,
  }
}

/** One bundle serves both steps: main saves `isPost`, so the post step finds it set. */
export async function run(deps: Deps = defaultDeps()): Promise<void> {
  if (deps.io.getState(STATE.isPost) === 'true') await logoutOfSavedRegistry(deps)
  else await runMain(deps)
}

export async function runMain(deps: Deps): Promise<void> {
  const { io } = deps
  io.saveState(STATE.isPost, 'true')
  await runGuarded(io, async () => {
    // Mask before parsing: a later validation error must not be able to echo a credential.
    for (const secret of renderDeploySecrets(deps.getInput, deps.env)) maskSecret(io, secret)
    const inputs = await parseInputs(deps.getInput, {
      env: deps.env,
      readFile: deps.readFile,
      cwd: deps.build.cwd,
      tempDir: deps.build.tempDir,
    })
    // The phases' code (and through it @actions/github, the cache, the SDK) loads once the inputs are valid.
    const { deployToEcs, deployToRenderService } = await import('./targets.js')
    if (inputs.target === 'ecs') await deployToEcs(deps, inputs)
    else await deployToRenderService(deps, inputs)
  })
}
