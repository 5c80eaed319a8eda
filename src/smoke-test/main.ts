import { runGuarded } from '../lib/runner/failure.js'
import { maskSecret } from '../lib/runner/secrets.js'
import { reportStep } from '../lib/runner/step.js'
import { parseSmokeTestOptions, runSmokeTest, smokeTestOutputs, smokeTestSecrets } from './api.js'
import { defaultDeps, type Deps } from './deps.js'

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  const { io } = deps
  await runGuarded(io, async () => {
    // Mask before parsing: a later validation error must not be able to echo a credential.
    for (const secret of smokeTestSecrets(deps.getInput)) maskSecret(io, secret)
    const options = await parseSmokeTestOptions(deps.getInput)
    const result = await runSmokeTest(deps, options)
    await reportStep(io, {
      outputs: smokeTestOutputs(result),
      summary: result.summary,
      failure: result.failure,
    })
  })
}
