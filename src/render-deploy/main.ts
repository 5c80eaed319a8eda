import { runGuarded } from '../lib/runner/failure.js'
import { maskSecret } from '../lib/runner/secrets.js'
import { reportStep } from '../lib/runner/step.js'
import { parseRenderDeployOptions, renderDeployOutputs, renderDeploySecrets, runRenderDeploy } from './api.js'
import { defaultDeps, type Deps } from './deps.js'

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  const { io } = deps
  await runGuarded(io, async () => {
    // Mask before parsing: a later validation error must not be able to echo a credential.
    for (const secret of renderDeploySecrets(deps.getInput, deps.env)) maskSecret(io, secret)
    const options = parseRenderDeployOptions(deps.getInput, { env: deps.env })
    const result = await runRenderDeploy(deps, options)
    await reportStep(io, {
      outputs: renderDeployOutputs(result),
      summary: result.summary,
      failure: result.failure,
    })
  })
}
