import { ConfigurationError } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import {
  parseBuildAndScanImageOptions,
  type BuildAndScanImageOptions,
  type BuildAndScanImageParseContext,
} from '../build-and-scan-image/api.js'
import { parseEcsDeployOptions, type EcsDeployOptions, type ReadFile } from '../ecs-blue-green-deploy/api.js'
import { parsePushToEcrOptions, type PushToEcrDestination } from '../push-to-ecr/api.js'
import { parseRenderDeployOptions, type RenderDeployOptions as RenderInputs } from '../render-deploy/api.js'
import {
  parseSmokeTestOptions as parseSmokeInputs,
  type SmokeTestOptions as SmokeInputs,
} from '../smoke-test/api.js'

export const TARGETS = ['ecs', 'render'] as const
export type Target = (typeof TARGETS)[number]

/** A digest that stands in for the image's real one while inputs are checked, before the build. */
export const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`

export interface EcsPlan {
  target: 'ecs'
  build: BuildAndScanImageOptions
  /** Where the built image goes; its image and tags are added once it exists. */
  push: PushToEcrDestination
  /** Image is the pushed one, filled in once it exists. */
  deploy: EcsDeployOptions
  smoke: SmokePlan & { inputs: SmokeInputs }
}

export interface RenderPlan {
  target: 'render'
  /** Present when `image` is given: build, scan and push it, then deploy it by digest. */
  build?: BuildAndScanImageOptions
  deploy: RenderInputs
  smoke: SmokePlan
}

export type Inputs = EcsPlan | RenderPlan

export interface SmokePlan {
  /** The checks as given (validated), when they do not depend on the deployed service's URL. */
  inputs?: SmokeInputs
  /** Parses the smoke-test inputs against a base URL known only after the deploy (Render's service URL). */
  withServiceUrl: (serviceUrl: string) => Promise<SmokeInputs>
  /** The first `url`, reported as the `url` output. */
  url?: string
}

/** Inputs that mean something to one target only: given with the other, they are refused. */
const ONLY_FOR: Record<Target, readonly string[]> = {
  ecs: [
    'repository',
    'aws-region',
    'create-repository',
    'cluster',
    'service',
    'container-name',
    'task-definition',
    'environment',
    'strategy',
    'bake-time',
    'test-url',
    'test-checks',
    'migrate-command',
  ],
  render: ['service-id', 'api-key', 'deploy-hook-url', 'commit-id', 'api-url'],
}

/** The inputs one single action reads, by its own input names; unset ones read as ''. */
const reader =
  (values: Record<string, string | undefined>): GetInput =>
  (name) =>
    values[name] ?? ''

/**
 * A single action's parser error, naming deploy's inputs where deploy calls them something else
 * (build-and-scan-image's `target` is deploy's `build-target`).
 */
function renamed(error: unknown, renames: Record<string, string>): unknown {
  if (!(error instanceof ConfigurationError)) return error
  let message = error.message
  for (const [inner, outer] of Object.entries(renames))
    message = message.replaceAll(`'${inner}'`, `'${outer}'`)
  return new ConfigurationError(message)
}

function parsedAs<T>(renames: Record<string, string>, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    throw renamed(error, renames)
  }
}

async function parsedAsync<T>(renames: Record<string, string>, parse: () => Promise<T>): Promise<T> {
  try {
    return await parse()
  } catch (error) {
    throw renamed(error, renames)
  }
}

export interface InputContext extends BuildAndScanImageParseContext {
  readFile: ReadFile
}

/**
 * Reads every input and runs each phase's own validation (the single actions' parsers) before
 * anything happens, so a bad value in the last phase fails the step before the first one starts.
 */
export async function parseInputs(get: GetInput, context: InputContext): Promise<Inputs> {
  const input = new InputReader(get)
  input.required('target', 'ecs (Amazon ECR and ECS) or render')
  const target = input.choice('target', TARGETS, 'ecs')
  const other: Target = target === 'ecs' ? 'render' : 'ecs'
  for (const name of ONLY_FOR[other]) {
    if (get(name).trim() !== '') {
      throw new ConfigurationError(
        `Input '${name}' applies only to target: ${other} (this step's target is ${target}); remove it`,
      )
    }
  }

  const image = input.optional('image')
  const build = {
    context: input.raw('context'),
    dockerfile: input.raw('dockerfile'),
    tags: input.raw('tags'),
    'build-args': input.raw('build-args'),
    target: input.raw('build-target'),
    lint: input.raw('lint'),
    scan: input.raw('scan'),
    'severity-threshold': input.raw('severity-threshold'),
    'trivy-path': input.raw('trivy-path'),
    'sarif-file': input.raw('sarif-file'),
  }
  const shared = {
    timeout: input.raw('timeout'),
    'poll-interval': input.raw('poll-interval'),
    'rollback-on-failure': input.raw('rollback-on-failure'),
  }
  const smokeValues = {
    url: input.raw('url'),
    checks: input.raw('checks'),
    timeout: input.raw('smoke-timeout'),
  }
  const smokeRenames = { timeout: 'smoke-timeout' }
  const firstUrl = smokeValues.url?.split(/[\n,]/)[0]?.trim()

  const parseBuild = (values: Record<string, string | undefined>) =>
    parsedAs({ target: 'build-target' }, () => parseBuildAndScanImageOptions(reader(values), context))

  if (target === 'ecs') {
    const repository = input.optional('repository')
    const region = input.optional('aws-region')
    const ecsValues = {
      cluster: input.raw('cluster'),
      service: input.raw('service'),
      'aws-region': region,
      'task-definition': input.raw('task-definition'),
      'container-name': input.raw('container-name'),
      environment: input.raw('environment'),
      strategy: input.raw('strategy'),
      'bake-time': input.raw('bake-time'),
      'test-url': input.raw('test-url'),
      'test-checks': input.raw('test-checks'),
      'migrate-command': input.raw('migrate-command'),
      ...shared,
    }
    const push = parsePushToEcrOptions(
      reader({ repository, 'aws-region': region, 'create-repository': input.raw('create-repository') }),
      { env: context.env, readFile: context.readFile, imageFromPipeline: true },
    )
    const planned = {
      target,
      build: parseBuild({ ...build, image: image ?? push.repository, push: 'false' }),
      push,
      deploy: await parseEcsDeployOptions(reader(ecsValues), {
        readFile: context.readFile,
        env: context.env,
        imageFromPipeline: true,
      }),
    }
    if (smokeValues.url === undefined && smokeValues.checks === undefined) {
      throw new ConfigurationError(
        "Set 'url' (the service's public URL, e.g. its load balancer's) or 'checks' for the smoke test after the deployment",
      )
    }
    const smokeGet = reader({ ...smokeValues, 'base-url': firstUrl })
    const smoke = await parsedAsync(smokeRenames, () => parseSmokeInputs(smokeGet))
    return {
      ...planned,
      smoke: { inputs: smoke, withServiceUrl: async () => smoke, url: firstUrl },
    }
  }

  const deployValues = {
    'service-id': input.raw('service-id'),
    'api-key': input.raw('api-key'),
    'deploy-hook-url': input.raw('deploy-hook-url'),
    'commit-id': input.raw('commit-id'),
    'api-url': input.raw('api-url'),
    ...shared,
  }
  if (image !== undefined && deployValues['commit-id'] !== undefined) {
    throw new ConfigurationError(
      "Inputs 'image' and 'commit-id' cannot be used together with target: render: 'image' builds and deploys an image, 'commit-id' deploys a commit of the service's repository",
    )
  }
  const renderBuild = image === undefined ? undefined : parseBuild({ ...build, image, push: 'true' })
  if (image === undefined) {
    const given = Object.entries(build).filter(([, value]) => value !== undefined)
    if (given.length > 0) {
      const [name] = given[0] as [string, string]
      throw new ConfigurationError(
        `Input '${name === 'target' ? 'build-target' : name}' needs 'image' with target: render (without 'image' nothing is built)`,
      )
    }
  }
  const deploy = parseRenderDeployOptions(reader(deployValues), {
    env: context.env,
    imageFromPipeline: renderBuild !== undefined,
  })

  const withServiceUrl = (serviceUrl: string) =>
    parsedAsync(smokeRenames, () =>
      parseSmokeInputs(
        reader({
          ...smokeValues,
          url: smokeValues.url ?? (smokeValues.checks === undefined ? serviceUrl : undefined),
          'base-url': firstUrl ?? serviceUrl,
        }),
      ),
    )
  if (smokeValues.url === undefined && deploy.apiKey === undefined) {
    throw new ConfigurationError(
      "Set 'url' (the service's public URL): with 'deploy-hook-url' alone the service's URL cannot be looked up (that needs 'api-key' or RENDER_API_KEY)",
    )
  }
  // Checked now with a stand-in for the service's URL, which is known only after the deploy.
  await withServiceUrl('https://service.invalid/')
  return { target, build: renderBuild, deploy, smoke: { withServiceUrl, url: firstUrl } }
}
