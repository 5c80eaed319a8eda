import { parseBuildAndScanImageOptions, type BuildAndScanImageOptions } from '../build-and-scan-image/api.js'
import { parseEcsDeployOptions, type EcsDeployOptions } from '../ecs-blue-green-deploy/api.js'
import { ConfigurationError } from '../lib/errors.js'
import type { GetInput } from '../lib/runner/inputs.js'
import { parsePushToEcrOptions, type PushToEcrDestination } from '../push-to-ecr/api.js'
import type { SmokeTestOptions } from '../smoke-test/api.js'
import type { DeployParseContext } from './deps.js'
import { BUILD_NAMES, ECS_NAMES, phaseInputs, PUSH_NAMES } from './names.js'
import { firstUrl, parseSmoke, type SmokePlan } from './smoke-options.js'

export interface EcsPlan {
  target: 'ecs'
  /** The image to build; undefined with `existing-image`. */
  build?: BuildAndScanImageOptions
  /** Where the built image goes; its image and tags are added once it exists. */
  push?: PushToEcrDestination
  /** `existing-image`: deployed as it is, nothing built or pushed. */
  existingImage?: string
  /** Parsed with `imageFromPipeline`: the image is the pushed (or existing) one, filled in at run time. */
  deploy: EcsDeployOptions
  smoke: SmokePlan & { inputs: SmokeTestOptions }
}

/** Build (named after `repository` unless `image` is given) and push, each by its own parser. */
function parseBuildAndPush(
  get: GetInput,
  context: DeployParseContext,
): { build: BuildAndScanImageOptions; push: PushToEcrDestination } {
  const push = parsePushToEcrOptions(
    phaseInputs(get, PUSH_NAMES),
    { env: context.env, readFile: context.readFile, imageFromPipeline: true },
    PUSH_NAMES,
  )
  // The local image is named after the repository unless the user names it.
  const names = get('image').trim() === '' ? { ...BUILD_NAMES, image: 'repository' } : BUILD_NAMES
  const build = parseBuildAndScanImageOptions(
    phaseInputs(get, names),
    { ...context, pushesToEcr: true },
    names,
  )
  return { build, push }
}

/** build-and-scan-image → push-to-ecr → ecs-blue-green-deploy → smoke-test, all checked now. */
export async function parseEcsPlan(
  get: GetInput,
  context: DeployParseContext,
  existingImage: string | undefined,
): Promise<EcsPlan> {
  const phases = existingImage === undefined ? parseBuildAndPush(get, context) : {}
  const deploy = await parseEcsDeployOptions(
    phaseInputs(get, ECS_NAMES),
    { readFile: context.readFile, env: context.env, imageFromPipeline: true },
    ECS_NAMES,
  )
  if (get('url').trim() === '' && get('checks').trim() === '') {
    throw new ConfigurationError(
      "Set 'url' (the service's public URL, e.g. its load balancer's) or 'checks' for the smoke test after the deployment",
    )
  }
  const smoke = await parseSmoke(get)
  return {
    target: 'ecs',
    ...phases,
    existingImage,
    deploy,
    smoke: { inputs: smoke, withServiceUrl: async () => smoke, url: firstUrl(get) },
  }
}
