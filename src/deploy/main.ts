import { runGuarded } from '../lib/runner/failure.js'
import { maskSecret } from '../lib/runner/secrets.js'
import { reportStep } from '../lib/runner/step.js'
import { logoutOfSavedRegistry, STATE } from '../push-to-ecr/api.js'
import { maskBuildSecrets } from '../build-and-scan-image/api.js'
import { renderDeploySecrets } from '../render-deploy/api.js'
import { deployOutputs, notifySecrets, parseDeployOptions, runDeploy } from './api.js'
import { defaultDeps, type Deps } from './deps.js'
import { BUILD_NAMES, RENDER_NAMES } from './names.js'

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
    const secrets = [
      ...renderDeploySecrets(deps.getInput, deps.env, RENDER_NAMES),
      ...notifySecrets(deps.getInput),
      deps.getInput('github-token').trim(),
    ]
    for (const secret of secrets) maskSecret(io, secret)
    maskBuildSecrets(io, deps.getInput, deps.env, BUILD_NAMES)
    const options = await parseDeployOptions(deps.getInput, {
      env: deps.env,
      readFile: deps.readFile,
      cwd: deps.build.cwd,
      tempDir: deps.build.tempDir,
    })
    const result = await runDeploy(deps, options)
    await reportStep(io, { outputs: deployOutputs(result), summary: result.summary, failure: result.failure })
  })
}
