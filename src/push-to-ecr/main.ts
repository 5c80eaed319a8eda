import { runGuarded } from '../lib/runner/failure.js'
import { reportStep } from '../lib/runner/step.js'
import { logoutOfSavedRegistry, parsePushToEcrOptions, pushToEcrOutputs, runPushToEcr, STATE } from './api.js'
import { defaultDeps, type Deps } from './deps.js'

/**
 * One bundle serves both steps: main saves `isPost`, so the post step (docker logout of the
 * registry main logged in to) finds it set.
 */
export async function run(deps: Deps = defaultDeps()): Promise<void> {
  const { io } = deps
  if (io.getState(STATE.isPost) === 'true') {
    await logoutOfSavedRegistry(deps)
    return
  }
  io.saveState(STATE.isPost, 'true')
  await runGuarded(io, async () => {
    // No input is a secret: the registry password comes from ECR and is masked as it arrives.
    const options = parsePushToEcrOptions(deps.getInput, deps)
    const result = await runPushToEcr(deps, options)
    await reportStep(io, {
      outputs: pushToEcrOutputs(result),
      summary: result.summary,
      failure: result.failure,
    })
  })
}
