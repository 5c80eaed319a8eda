import { readFileSync } from 'node:fs'
import { awsClientConfig } from '../lib/aws/client.js'
import { actionsCore, type ActionIO } from '../lib/runner/io.js'
import { exec as realExec, type Exec } from '../lib/process/exec.js'
import { runGuarded } from '../lib/runner/failure.js'
import { envInput, type GetInput } from '../lib/runner/inputs.js'
import { ecrApi, type EcrApi } from './ecr.js'
import { parseInputs } from './inputs.js'
import { logoutOfSavedRegistry, pushImage, STATE } from './push-image.js'

export interface Deps {
  io: ActionIO
  getInput: GetInput
  env: NodeJS.ProcessEnv
  exec: Exec
  readFile: (path: string) => string
  /** An ECR API for a region; the real one imports the SDK only when called. */
  ecr: (region: string) => Promise<EcrApi>
}

export function defaultDeps(): Deps {
  return {
    io: actionsCore(),
    getInput: envInput(),
    env: process.env,
    exec: realExec,
    readFile: (path) => readFileSync(path, 'utf8'),
    ecr: async (region) => {
      const sdk = await import('@aws-sdk/client-ecr')
      return ecrApi(new sdk.ECRClient(awsClientConfig(region)), sdk)
    },
  }
}

export { STATE }

/** One bundle serves both steps: main saves `isPost`, so the post step finds it set. */
export async function run(deps: Deps = defaultDeps()): Promise<void> {
  if (deps.io.getState(STATE.isPost) === 'true') await runPost(deps)
  else await runMain(deps)
}

export async function runMain(deps: Deps): Promise<void> {
  const { io } = deps
  io.saveState(STATE.isPost, 'true')
  await runGuarded(io, async () => {
    const inputs = parseInputs(deps.getInput, { env: deps.env, readFile: deps.readFile })
    const outputs = await pushImage(deps, inputs)
    for (const [name, value] of Object.entries(outputs)) io.setOutput(name, value)
  })
}

/** The post step: log out of the registry main logged in to. A failed logout only warns. */
export async function runPost(deps: Deps): Promise<void> {
  await logoutOfSavedRegistry(deps)
}
