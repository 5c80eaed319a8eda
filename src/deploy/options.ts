import { ConfigurationError, quote } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import type { DeployParseContext } from './deps.js'
import { parseEcsPlan, type EcsPlan } from './ecs-options.js'
import { BUILD_NAMES, buildInputsGiven, PUSH_NAMES } from './names.js'
import { parseNotify, type NotifyOptions } from './notify-options.js'
import { parseRenderPlan, type RenderPlan } from './render-options.js'

export type { EcsPlan } from './ecs-options.js'
export type { RenderPlan } from './render-options.js'
export type { SmokePlan } from './smoke-options.js'

export const TARGETS = ['ecs', 'render'] as const
export type Target = (typeof TARGETS)[number]

/** Everything a deploy runs from: the target's phases, each parsed by its own action, and the notification. */
export type DeployOptions = (EcsPlan | RenderPlan) & { notify: NotifyOptions }

/** Inputs that mean something to one target only: given with the other, they are refused. */
const ONLY_FOR: Record<Target, readonly string[]> = {
  ecs: [
    'repository',
    'aws-region',
    'create-repository',
    'cluster',
    'service',
    'services',
    'images',
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

/** An image from an earlier job, by digest: `<registry>/<name>[:tag]@sha256:<64 hex>`. */
const IMAGE_WITH_DIGEST =
  /^[a-z0-9][a-z0-9._:/-]*[a-z0-9](?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$/

/**
 * `existing-image`: deploy that image instead of building one. It is exclusive with every input
 * that builds or pushes (one error naming both), and must carry its digest, so what is deployed
 * is exactly what an earlier job built and scanned, whatever its tag points at now.
 */
function parseExistingImage(input: InputReader, target: Target): string | undefined {
  const image = input.optional('existing-image')
  if (image === undefined) return undefined
  const building = [...Object.values(BUILD_NAMES), ...(target === 'ecs' ? Object.values(PUSH_NAMES) : [])]
  const [given] = buildInputsGiven((name) => input.optional(name) !== undefined, building)
  if (given !== undefined) {
    throw new ConfigurationError(
      `Inputs '${input.name('existing-image')}' and '${given}' cannot be used together: '${input.name('existing-image')}' deploys an image built earlier, '${given}' is for building one here; set only one`,
    )
  }
  if (!IMAGE_WITH_DIGEST.test(image)) {
    throw new ConfigurationError(
      `Input '${input.name('existing-image')}' must be an image URI with its digest, like 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@sha256:<64 hex digits> (push-to-ecr's image-uri-digest output; got ${quote(image)})`,
    )
  }
  return image
}

/**
 * Reads every input and runs each phase's own validation (the single actions' parsers, under
 * deploy's input names) before anything happens, so a bad value in the last phase fails the
 * step before the first one starts.
 */
export async function parseDeployOptions(get: GetInput, context: DeployParseContext): Promise<DeployOptions> {
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
  const existingImage = parseExistingImage(input, target)
  const notify = parseNotify(input)
  const plan =
    target === 'ecs'
      ? await parseEcsPlan(get, context, existingImage)
      : await parseRenderPlan(get, context, existingImage)
  return { ...plan, notify }
}
