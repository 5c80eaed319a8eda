import { OperationError } from '../lib/errors.js'
import { PUBLIC_SERVICE_TYPES, runRenderDeploy } from '../render-deploy/api.js'
import type { DeployPorts } from './deps.js'
import type { Facts } from './ecs-flow.js'
import { buildPhase, promotedWhy, smokePhase } from './phases.js'
import { done, type Pipeline } from './pipeline.js'
import type { RenderPlan } from './render-options.js'

export const RENDER_PHASES = ['build-and-scan-image', 'render-deploy', 'smoke-test'] as const

/** The image Render deploys: `existing-image`, the one built and pushed now, or none (Render builds). */
async function imageOf(
  ports: DeployPorts,
  pipeline: Pipeline,
  plan: RenderPlan,
  facts: Facts,
): Promise<string | undefined> {
  if (plan.existingImage !== undefined) {
    pipeline.skip('build-and-scan-image', promotedWhy(plan.existingImage))
    facts.origin = 'promoted'
    facts.imageUri = plan.existingImage
    return plan.existingImage
  }
  const build = plan.build
  if (build === undefined) {
    pipeline.skip('build-and-scan-image', "no 'image' given: Render builds the service from its repository")
    return undefined
  }
  const built = await pipeline.run('build-and-scan-image', (io) => buildPhase(ports, io, build, facts))
  if (built.digest === undefined || built.digest === '')
    throw new OperationError('The build pushed the image but reported no digest')
  facts.origin = 'built'
  facts.imageUri = built.references[0] as string
  return `${build.image}@${built.digest}`
}

/** (build-and-scan-image with push) → render-deploy → smoke-test, stopping at the first failure. */
export async function deployToRender(
  ports: DeployPorts,
  pipeline: Pipeline,
  plan: RenderPlan,
  facts: Facts,
): Promise<void> {
  const imageUrl = await imageOf(ports, pipeline, plan, facts)
  facts.imageDeployed = imageUrl ?? ''
  const deployed = await pipeline.run('render-deploy', async (io) => {
    const result = await runRenderDeploy({ ...ports, io }, { ...plan.deploy, imageUrl })
    facts.deploymentId = result.deployId ?? ''
    facts.status = result.status
    return done(result)
  })
  const serviceUrl = deployed.serviceUrl ?? ''
  if (facts.url === '') facts.url = serviceUrl
  await pipeline.run('smoke-test', async (io) => {
    if (plan.smoke.url === undefined && serviceUrl === '') throw new OperationError(noPublicUrl(deployed))
    return smokePhase(ports, io, await plan.smoke.withServiceUrl(serviceUrl))
  })
}

/** Why there is nothing to smoke-test: a private service's address is no URL for it (issue 17.2). */
function noPublicUrl(deployed: { serviceType?: string; internalAddress?: string }): string {
  if (deployed.internalAddress !== undefined) {
    return `The service is private: ${deployed.internalAddress} is reachable only inside Render's network, so there is no public URL to smoke-test; set 'url' to a public address that reaches it`
  }
  if (deployed.serviceType !== undefined && !PUBLIC_SERVICE_TYPES.has(deployed.serviceType)) {
    return `The service is a ${deployed.serviceType.replace('_', ' ')}: it answers no HTTP, so there is nothing to smoke-test; set 'url' to check something else`
  }
  return "Render reported no URL for the service to check: set 'url'"
}
