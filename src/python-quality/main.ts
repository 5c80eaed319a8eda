import { runGuarded } from '../lib/runner/failure.js'
import { reportStep } from '../lib/runner/step.js'
import { parsePythonQualityOptions, pythonQualityOutputs, runPythonQuality } from './api.js'
import { defaultDeps, type Deps } from './deps.js'

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  await runGuarded(deps.io, async () => {
    // No input is a secret to mask.
    const options = parsePythonQualityOptions(deps.getInput, deps)
    const result = await runPythonQuality(deps, options)
    await reportStep(deps.io, {
      outputs: pythonQualityOutputs(result),
      summary: result.summary,
      failure: result.failure,
      annotations: result.annotations,
    })
  })
}
