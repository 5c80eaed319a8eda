import { deriveTags } from '../build-and-scan-image/api.js'
import { runEcsDeploy } from '../ecs-blue-green-deploy/api.js'
import { readGitContext } from '../lib/github/context.js'
import type { ActionIO } from '../lib/runner/io.js'
import { logInToEcr, runPushToEcr, type RegistryLogin } from '../push-to-ecr/api.js'
import type { DeployPorts } from './deps.js'
import type { EcsPlan } from './ecs-options.js'
import { buildPhase, promotedWhy, smokePhase } from './phases.js'
import { done, type Pipeline } from './pipeline.js'
import type { DeployResult, ImageOrigin } from './result.js'
import { commitTag, lookUpCommitImage, planImage, type ImagePlan } from './reuse.js'
import { ecrTags } from './tags.js'

export const ECS_PHASES = [
  'build-and-scan-image',
  'push-to-ecr',
  'ecs-blue-green-deploy',
  'smoke-test',
] as const

/** What the run has found out so far: the outputs, filled in as the phases pass. */
export type Facts = Pick<
  DeployResult,
  'origin' | 'imageUri' | 'imageDeployed' | 'deploymentId' | 'status' | 'url' | 'deployments' | 'sbomFile'
>

type Reuse = Extract<ImagePlan, { action: 'reuse' }>

type BuiltLocally = { references: readonly string[]; login: RegistryLogin }

type Built = { imageUri: string; imageUriDigest: string; origin: ImageOrigin }

/**
 * What an earlier run of this commit left in ECR, when the tags are derived from it: the
 * repository and the image under `sha-<7>`, looked up before anything is built.
 */
async function earlierImage(
  ports: DeployPorts,
  io: ActionIO,
  plan: Required<Pick<EcsPlan, 'build' | 'push'>>,
): Promise<ImagePlan> {
  const derived = deriveTags(await readGitContext(ports.env)).tags
  const tag = commitTag(derived, plan.build.tags.length > 0)
  if (tag === undefined) return { action: 'build' }
  io.info(`Looking for ${tag} in ECR repository ${plan.push.repository} (${plan.push.region})`)
  const ecr = await ports.ecr(plan.push.region)
  const found = planImage(await lookUpCommitImage(ecr, plan.push.repository, tag, plan.push.registryId))
  if (found.action === 'build') io.info(`${tag} is not in ECR yet: building it`)
  return found
}

/** Builds, scans and pushes the image (or finds this commit's, pushed by an earlier run). */
async function buildAndPush(
  ports: DeployPorts,
  pipeline: Pipeline,
  plan: Required<Pick<EcsPlan, 'build' | 'push'>>,
  facts: Facts,
): Promise<Built> {
  const built = await pipeline.run<Reuse | BuiltLocally>('build-and-scan-image', async (io) => {
    const earlier = await earlierImage(ports, io, plan)
    if (earlier.action === 'reuse') return { value: earlier }
    // Logged in before the build, so a `FROM` of a private image in this registry builds; the
    // push uses the same login, and the post step logs out of it.
    const login = await logInToEcr({ io, exec: ports.exec, ecr: ports.ecr }, plan.push)
    const phase = await buildPhase(ports, io, plan.build, facts)
    return { ...phase, value: { references: phase.value.references, login } }
  })
  if ('action' in built) {
    pipeline.skip('build-and-scan-image', built.why)
    pipeline.skip('push-to-ecr', built.why)
    return { ...built, origin: 'reused' }
  }
  const pushed = await pipeline.run('push-to-ecr', async (io) =>
    done(
      await runPushToEcr(
        { io, exec: ports.exec, ecr: ports.ecr },
        {
          ...plan.push,
          image: built.references[0] as string,
          tags: ecrTags(built.references, plan.build.tags.length > 0),
          login: built.login,
        },
      ),
    ),
  )
  return { imageUri: pushed.imageUris[0] ?? '', imageUriDigest: pushed.imageUriDigest, origin: 'built' }
}

/** The image to deploy: `existing-image` as it is, else built and pushed (or reused). */
async function imageOf(ports: DeployPorts, pipeline: Pipeline, plan: EcsPlan, facts: Facts): Promise<Built> {
  if (plan.existingImage !== undefined) {
    const why = promotedWhy(plan.existingImage)
    pipeline.skip('build-and-scan-image', why)
    pipeline.skip('push-to-ecr', why)
    return { imageUri: plan.existingImage, imageUriDigest: plan.existingImage, origin: 'promoted' }
  }
  const { build, push } = plan
  if (build === undefined || push === undefined)
    throw new Error('An ECS plan without existing-image builds and pushes')
  return buildAndPush(ports, pipeline, { build, push }, facts)
}

/** build-and-scan-image → push-to-ecr → ecs-blue-green-deploy → smoke-test, stopping at the first failure. */
export async function deployToEcs(
  ports: DeployPorts,
  pipeline: Pipeline,
  plan: EcsPlan,
  facts: Facts,
): Promise<void> {
  const image = await imageOf(ports, pipeline, plan, facts)
  facts.imageUri = image.imageUri
  facts.imageDeployed = image.imageUriDigest
  facts.origin = image.origin
  await pipeline.run('ecs-blue-green-deploy', async (io) => {
    // By digest: the revision runs exactly the image that was scanned, whatever a tag points at later.
    // With `services`, every service is deployed (and rolled back together) inside this one phase.
    const result = await runEcsDeploy({ ...ports, io }, { ...plan.deploy, image: image.imageUriDigest })
    facts.deploymentId = result.deploymentArn ?? ''
    facts.status = result.status
    facts.deployments = result.deployments
    return done(result)
  })
  // Once, after every service is deployed: the checks are of the site, not of one service.
  await pipeline.run('smoke-test', (io) => smokePhase(ports, io, plan.smoke.inputs))
}
