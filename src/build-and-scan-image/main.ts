import { runGuarded } from '../lib/runner/failure.js'
import { reportStep } from '../lib/runner/step.js'
import {
  buildAndScanImageOutputs,
  maskBuildSecrets,
  parseBuildAndScanImageOptions,
  runBuildAndScanImage,
} from './api.js'
import { defaultDeps, type Deps } from './deps.js'

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  await runGuarded(deps.io, async () => {
    // Build secrets are masked before anything reads them (build args stay in the image: not secrets).
    maskBuildSecrets(deps.io, deps.getInput, deps.env)
    const options = parseBuildAndScanImageOptions(deps.getInput, deps)
    const result = await runBuildAndScanImage(deps, options)
    await reportStep(deps.io, {
      outputs: buildAndScanImageOutputs(result),
      summary: result.summary,
      failure: result.failure,
    })
  })
}
