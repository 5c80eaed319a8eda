import { reportStep } from '../lib/runner/step.js'
import { runGuarded } from '../lib/runner/failure.js'
import { ecsDeployOutputs, parseEcsDeployOptions, runEcsDeploy } from './api.js'
import { defaultDeps, type Deps } from './deps.js'

// No input of this action is a secret, so there is nothing to mask before parsing.
export async function run(deps: Deps = defaultDeps()): Promise<void> {
  await runGuarded(deps.io, async () => {
    const options = await parseEcsDeployOptions(deps.getInput, { readFile: deps.readFile, env: deps.env })
    const result = await runEcsDeploy(deps, options)
    await reportStep(deps.io, {
      outputs: ecsDeployOutputs(result),
      summary: result.summary,
      failure: result.failure,
    })
  })
}
