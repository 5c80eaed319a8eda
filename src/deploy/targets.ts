import { readGitContext } from '../lib/github/context.js'
import {
  buildAndScanImageOutputs,
  deriveTags,
  runBuildAndScanImage,
  type BuildAndScanImageOptions,
} from '../build-and-scan-image/api.js'
import { ecsDeployOutputs, runEcsDeploy } from '../ecs-blue-green-deploy/api.js'
import { OperationError } from '../lib/errors.js'
import { pushToEcrOutputs, runPushToEcr } from '../push-to-ecr/api.js'
import { reportStep } from '../lib/runner/step.js'
import { renderDeployOutputs, runRenderDeploy } from '../render-deploy/api.js'
import { runSmokeTest, smokeTestOutputs, type SmokeTestOptions } from '../smoke-test/api.js'
import type { EcsPlan, RenderPlan } from './inputs.js'
import type { Deps } from './main.js'
import type { PhaseIO } from './phase-io.js'
import { Pipeline } from './pipeline.js'
import { deploySummary, type DeployOutputs } from './summary.js'
import { ecrTags } from './tags.js'
import { commitTag, lookUpCommitImage, planImage, type ImagePlan } from './reuse.js'

const ECS_PHASES = ['build-and-scan-image', 'push-to-ecr', 'ecs-blue-green-deploy', 'smoke-test'] as const
const RENDER_PHASES = ['build-and-scan-image', 'render-deploy', 'smoke-test'] as const

/** Builds (and scans, and for Render pushes) the image; returns its references and the outputs. */
async function buildPhase(
  deps: Deps,
  io: PhaseIO,
  build: BuildAndScanImageOptions,
): Promise<{ references: string[]; digest: string }> {
  const ports = { ...deps.build, io, env: deps.env, exec: deps.exec, now: deps.now }
  const result = await runBuildAndScanImage(ports, build)
  await reportStep(io, {
    outputs: buildAndScanImageOutputs(result),
    summary: result.summary,
    failure: result.failure,
  })
  const references = [...result.references]
  if (references.length === 0) throw new OperationError('The build reported no image tags')
  return { references, digest: result.digest ?? '' }
}

async function smokePhase(deps: Deps, io: PhaseIO, options: SmokeTestOptions): Promise<void> {
  const result = await runSmokeTest({ ...deps, io }, options)
  await reportStep(io, {
    outputs: smokeTestOutputs(result),
    summary: result.summary,
    failure: result.failure,
  })
}

/** The outputs before any phase has run: the URL is known from the inputs, the rest comes later. */
function emptyOutputs(url: string | undefined): DeployOutputs {
  return { 'image-uri': '', 'deployment-id': '', status: '', url: url ?? '' }
}

/** Sets the step's outputs and writes its job summary, whatever happened. */
async function finish(deps: Deps, title: string, pipeline: Pipeline, outputs: DeployOutputs): Promise<void> {
  for (const [name, value] of Object.entries(outputs)) deps.io.setOutput(name, value)
  await deps.io.appendSummary(deploySummary(title, pipeline.records, outputs))
}

/**
 * What an earlier run of this commit left in ECR, when the tags are derived from it: the
 * repository and the image under `sha-<7>`, looked up before anything is built.
 */
async function earlierImage(deps: Deps, io: PhaseIO, plan: EcsPlan): Promise<ImagePlan> {
  const derived = deriveTags(await readGitContext(deps.env)).tags
  const tag = commitTag(derived, plan.build.tags.length > 0)
  if (tag === undefined) return { action: 'build' }
  io.info(`Looking for ${tag} in ECR repository ${plan.push.repository} (${plan.push.region})`)
  const ecr = await deps.ecr(plan.push.region)
  const found = planImage(await lookUpCommitImage(ecr, plan.push.repository, tag, plan.push.registryId))
  if (found.action === 'build') io.info(`${tag} is not in ECR yet: building it`)
  return found
}

/** Builds, scans and pushes the image; returns the URIs to report and deploy. */
async function buildAndPush(
  deps: Deps,
  pipeline: Pipeline,
  plan: EcsPlan,
): Promise<{ imageUri: string; imageUriDigest: string }> {
  const built = await pipeline.run('build-and-scan-image', async (io) => {
    const earlier = await earlierImage(deps, io, plan)
    return earlier.action === 'reuse' ? earlier : buildPhase(deps, io, plan.build)
  })
  if ('action' in built) {
    pipeline.skip('build-and-scan-image', built.why)
    pipeline.skip('push-to-ecr', built.why)
    return built
  }
  const pushed = await pipeline.run('push-to-ecr', async (io) => {
    const result = await runPushToEcr(
      { io, exec: deps.exec, ecr: deps.ecr },
      {
        ...plan.push,
        image: built.references[0] as string,
        tags: ecrTags(built.references, plan.build.tags.length > 0),
      },
    )
    await reportStep(io, {
      outputs: pushToEcrOutputs(result),
      summary: result.summary,
      failure: result.failure,
    })
    return result
  })
  return { imageUri: pushed.imageUris[0] ?? '', imageUriDigest: pushed.imageUriDigest }
}

/** build-and-scan-image → push-to-ecr → ecs-blue-green-deploy → smoke-test, stopping at the first failure. */
export async function deployToEcs(deps: Deps, plan: EcsPlan): Promise<void> {
  const pipeline = new Pipeline(deps.io, deps.now, ECS_PHASES)
  const outputs = emptyOutputs(plan.smoke.url)
  try {
    const image = await buildAndPush(deps, pipeline, plan)
    outputs['image-uri'] = image.imageUri
    await pipeline.run('ecs-blue-green-deploy', async (io) => {
      // By digest: the revision runs exactly the image that was scanned, whatever a tag points at later.
      const result = await runEcsDeploy({ ...deps, io }, { ...plan.deploy, image: image.imageUriDigest })
      outputs['deployment-id'] = result.deploymentArn ?? ''
      outputs.status = result.status
      await reportStep(io, {
        outputs: ecsDeployOutputs(result),
        summary: result.summary,
        failure: result.failure,
      })
    })
    await pipeline.run('smoke-test', (io) => smokePhase(deps, io, plan.smoke.inputs))
  } finally {
    await finish(deps, 'Deploy to Amazon ECS', pipeline, outputs)
  }
}

/** (build-and-scan-image with push) → render-deploy → smoke-test, stopping at the first failure. */
export async function deployToRenderService(deps: Deps, plan: RenderPlan): Promise<void> {
  const pipeline = new Pipeline(deps.io, deps.now, RENDER_PHASES)
  const outputs = emptyOutputs(plan.smoke.url)
  try {
    let imageUrl: string | undefined
    if (plan.build === undefined) {
      pipeline.skip('build-and-scan-image', "no 'image' given: Render builds the service from its repository")
    } else {
      const build = plan.build
      const built = await pipeline.run('build-and-scan-image', (io) => buildPhase(deps, io, build))
      if (built.digest === '') throw new OperationError('The build pushed the image but reported no digest')
      imageUrl = `${build.image}@${built.digest}`
      outputs['image-uri'] = built.references[0] as string
    }
    const serviceUrl = await pipeline.run('render-deploy', async (io) => {
      try {
        const result = await runRenderDeploy({ ...deps, io }, { ...plan.deploy, imageUrl })
        await reportStep(io, {
          outputs: renderDeployOutputs(result),
          summary: result.summary,
          failure: result.failure,
        })
      } finally {
        outputs['deployment-id'] = io.outputs['deploy-id'] ?? ''
        outputs.status = io.outputs.status ?? ''
      }
      return io.outputs['service-url'] ?? ''
    })
    if (outputs.url === '') outputs.url = serviceUrl
    await pipeline.run('smoke-test', async (io) => {
      if (plan.smoke.url === undefined && serviceUrl === '') {
        throw new OperationError("Render reported no URL for the service to check: set 'url'")
      }
      await smokePhase(deps, io, await plan.smoke.withServiceUrl(serviceUrl))
    })
  } finally {
    await finish(deps, 'Deploy to Render', pipeline, outputs)
  }
}
