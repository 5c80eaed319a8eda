import { reportStep } from '../lib/runner/step.js'
import { runGuarded } from '../lib/runner/failure.js'
import { InputReader } from '../lib/runner/inputs.js'
import { maskSecret } from '../lib/runner/secrets.js'
import { ecsDeployOutputs, parseEcsDeployOptions, runEcsDeploy } from './api.js'
import { defaultDeps, type Deps } from './deps.js'

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  await runGuarded(deps.io, async () => {
    // The one secret input: the token for the GitHub deployment, masked before parsing.
    maskSecret(deps.io, new InputReader(deps.getInput).optional('github-token'))
    const options = await parseEcsDeployOptions(deps.getInput, { readFile: deps.readFile, env: deps.env })
    const result = await runEcsDeploy(deps, options)
    await reportStep(deps.io, {
      outputs: ecsDeployOutputs(result),
      summary: result.summary,
      failure: result.failure,
    })
  })
}
