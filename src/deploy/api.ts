// deploy's public face. deploy composes the other actions through their api.ts modules only
// (a test checks it): each phase's options come from that action's parser under deploy's input
// names, and each phase's typed result feeds the next.
import type { DeployPorts } from './deps.js'
import type { DeployOptions } from './options.js'
import type { DeployResult } from './result.js'

export type { DeployParseContext, DeployPorts, Deps as DeployDeps } from './deps.js'
export { defaultDeps as defaultDeployDeps } from './deps.js'
export { notifySecrets } from './notify-options.js'
export type { DeployOptions, EcsPlan, RenderPlan, SmokePlan, Target } from './options.js'
export { parseDeployOptions, TARGETS } from './options.js'
export type { DeployOutput, DeployResult, ImageOrigin } from './result.js'
export { deployOutputs } from './result.js'

/**
 * Runs the phases. Their code (and through it @actions/github, the cache, the SDK) loads only
 * now, so a misconfigured step fails without loading it.
 */
export async function runDeploy(ports: DeployPorts, options: DeployOptions): Promise<DeployResult> {
  const { runDeploy: run } = await import('./run.js')
  return run(ports, options)
}
