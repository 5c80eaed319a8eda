import { runGuarded } from '../lib/runner/failure.js'
import { reportStep } from '../lib/runner/step.js'
import {
  maskSetupDjangoTestSecrets,
  parseSetupDjangoTestOptions,
  planOutputs,
  planSetupDjangoTest,
  runSetupDjangoTest,
  setupDjangoTestOutputs,
} from './api.js'
import { defaultDeps, type Deps } from './deps.js'

/**
 * One program, two composite steps: `plan` validates and says what setup-python and the cache
 * steps need; the main step runs the checks and tests and reports them.
 */
export async function run(deps: Deps = defaultDeps()): Promise<void> {
  await runGuarded(deps.io, async () => {
    maskSetupDjangoTestSecrets(deps.io, deps.getInput, deps.env)
    const options = parseSetupDjangoTestOptions(deps.getInput, deps)
    if (deps.phase === 'plan') {
      return reportStep(deps.io, { outputs: planOutputs(await planSetupDjangoTest(deps, options)) })
    }
    const result = await runSetupDjangoTest(deps, options)
    await reportStep(deps.io, {
      outputs: setupDjangoTestOutputs(result),
      summary: result.summary,
      failure: result.failure,
      annotations: result.annotations,
    })
  })
}
