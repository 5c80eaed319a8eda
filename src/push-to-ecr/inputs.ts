import { resolveRegion } from '../lib/aws/client.js'
import { ConfigurationError, quote } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import type { RegistryLogin } from './auth.js'
import { parseLifecyclePolicy, type LifecyclePolicy } from './lifecycle.js'
import { TAG, repositoryNameProblem, tagOfReference } from './repository-name.js'

export const TAG_MUTABILITIES = ['IMMUTABLE', 'MUTABLE'] as const
export type TagMutability = (typeof TAG_MUTABILITIES)[number]

/** Where the image goes and how the repository is set up: everything but the image itself. */
export interface PushToEcrDestination {
  repository: string
  region: string
  registryId?: string
  createRepository: boolean
  /** Applied only to a repository this action creates. */
  tagMutability: TagMutability
  scanOnPush: boolean
  lifecyclePolicy?: LifecyclePolicy
  /** This action's input names as the user wrote them, when a composing action renamed them. */
  names?: Readonly<Record<string, string>>
}

export interface PushToEcrOptions extends PushToEcrDestination {
  /** The local image to push (name[:tag] or ID). */
  image: string
  tags: string[]
  /** A login to the registry a caller already made (logInToEcr); the push then uses it, not a new one. */
  login?: RegistryLogin
}

export interface PushToEcrParseContext {
  env: NodeJS.ProcessEnv
  readFile: (path: string) => string
  /**
   * The caller (deploy) pushes an image it builds itself: `image` and `tags` are neither read nor
   * required, and the caller adds them to the options once the image exists.
   */
  imageFromPipeline?: boolean
}

function parseTags(input: InputReader, image: string): string[] {
  const tags = [...new Set(input.list('tags'))]
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw new ConfigurationError(
        `Input '${input.name('tags')}' must hold docker tags: up to 128 of A-Z a-z 0-9 _ . -, not starting with . or - (got ${quote(tag)})`,
      )
    }
  }
  if (tags.length > 0) return tags
  const own = tagOfReference(image)
  if (own === undefined || !TAG.test(own)) {
    throw new ConfigurationError(
      `Input '${input.name('tags')}' is required when '${input.name('image')}' names no tag (got image ${quote(image)})`,
    )
  }
  return [own]
}

function parseDestination(
  input: InputReader,
  context: PushToEcrParseContext,
  names: Readonly<Record<string, string>> | undefined,
): PushToEcrDestination {
  const repository = input.required('repository', 'the ECR repository name, e.g. team/web')
  const problem = repositoryNameProblem(repository)
  if (problem !== undefined) {
    throw new ConfigurationError(`Input '${input.name('repository')}' ${problem} (got ${quote(repository)})`)
  }
  const registryId = input.optional('registry-id')
  if (registryId !== undefined && !/^\d{12}$/.test(registryId)) {
    throw new ConfigurationError(
      `Input '${input.name('registry-id')}' must be a 12-digit AWS account ID (got ${quote(registryId)})`,
    )
  }
  const lifecycle = input.optional('lifecycle-policy')
  return {
    repository,
    region: resolveRegion(input.optional('aws-region'), context.env, input.name('aws-region')),
    registryId,
    createRepository: input.boolean('create-repository', true),
    tagMutability: input.choice('tag-mutability', TAG_MUTABILITIES, 'IMMUTABLE'),
    scanOnPush: input.boolean('scan-on-push', true),
    lifecyclePolicy:
      lifecycle === undefined
        ? undefined
        : parseLifecyclePolicy(lifecycle, context.readFile, input.name('lifecycle-policy')),
    ...(names === undefined ? {} : { names }),
  }
}

/**
 * Reads and validates every input before anything is called. `names` maps this action's input
 * names to a composing action's (see InputReader).
 */
export function parsePushToEcrOptions(
  get: GetInput,
  context: PushToEcrParseContext & { imageFromPipeline: true },
  names?: Readonly<Record<string, string>>,
): PushToEcrDestination
export function parsePushToEcrOptions(
  get: GetInput,
  context: PushToEcrParseContext,
  names?: Readonly<Record<string, string>>,
): PushToEcrOptions
export function parsePushToEcrOptions(
  get: GetInput,
  context: PushToEcrParseContext,
  names?: Readonly<Record<string, string>>,
): PushToEcrDestination | PushToEcrOptions {
  const input = new InputReader(get, names)
  if (context.imageFromPipeline) return parseDestination(input, context, names)
  const image = input.required('image', 'the local image to push, e.g. web:latest')
  const destination = parseDestination(input, context, names)
  return { image, ...destination, tags: parseTags(input, image) }
}
