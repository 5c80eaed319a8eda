import { parseBuildAndScanImageOptions, type BuildAndScanImageOptions } from '../build-and-scan-image/api.js'
import { ConfigurationError } from '../lib/errors.js'
import type { GetInput } from '../lib/runner/inputs.js'
import { parseRenderDeployOptions, type RenderDeployOptions } from '../render-deploy/api.js'
import type { DeployParseContext } from './deps.js'
import { BUILD_NAMES, buildInputsGiven, phaseInputs, RENDER_NAMES } from './names.js'
import { firstUrl, parseSmoke, type SmokePlan } from './smoke-options.js'

export interface RenderPlan {
  target: 'render'
  /** Present when `image` is given: build, scan and push it, then deploy it by digest. */
  build?: BuildAndScanImageOptions
  /** `existing-image`: deployed as it is, nothing built. */
  existingImage?: string
  /** With a build or `existing-image`, parsed with `imageFromPipeline`: `imageUrl` is filled in at run time. */
  deploy: RenderDeployOptions
  smoke: SmokePlan
}

/** A service URL to check the smoke inputs against now: the real one is known only after the deploy. */
const SERVICE_URL_UNKNOWN_YET = 'https://service.invalid/'

/** With target render, `image` (build here) and `existing-image` exclude a `commit-id`; build inputs need `image`. */
function checkSource(get: GetInput, existingImage: string | undefined): void {
  const image = get('image').trim() !== ''
  const commit = get('commit-id').trim() !== ''
  if ((image || existingImage !== undefined) && commit) {
    const name = image ? 'image' : 'existing-image'
    throw new ConfigurationError(
      `Inputs '${name}' and 'commit-id' cannot be used together with target: render: '${name}' deploys an image, 'commit-id' deploys a commit of the service's repository`,
    )
  }
  if (image || existingImage !== undefined) return
  const [given] = buildInputsGiven((name) => get(name).trim() !== '', Object.values(BUILD_NAMES))
  if (given !== undefined) {
    throw new ConfigurationError(
      `Input '${given}' needs 'image' with target: render (without 'image' nothing is built)`,
    )
  }
}

/** (build-and-scan-image with push) → render-deploy → smoke-test, all checked now. */
export async function parseRenderPlan(
  get: GetInput,
  context: DeployParseContext,
  existingImage: string | undefined,
): Promise<RenderPlan> {
  checkSource(get, existingImage)
  const build =
    get('image').trim() === ''
      ? undefined
      : {
          ...parseBuildAndScanImageOptions(phaseInputs(get, BUILD_NAMES), context, BUILD_NAMES),
          // Render pulls the image from its registry: it is pushed by the build.
          push: true,
        }
  const deploy = parseRenderDeployOptions(
    phaseInputs(get, RENDER_NAMES),
    { env: context.env, imageFromPipeline: build !== undefined || existingImage !== undefined },
    RENDER_NAMES,
  )
  const url = firstUrl(get)
  if (url === undefined && deploy.apiKey === undefined) {
    throw new ConfigurationError(
      "Set 'url' (the service's public URL): with 'deploy-hook-url' alone the service's URL cannot be looked up (that needs 'api-key' or RENDER_API_KEY)",
    )
  }
  const withServiceUrl = (serviceUrl: string) => parseSmoke(get, serviceUrl)
  await withServiceUrl(SERVICE_URL_UNKNOWN_YET)
  return { target: 'render', build, existingImage, deploy, smoke: { withServiceUrl, url } }
}
