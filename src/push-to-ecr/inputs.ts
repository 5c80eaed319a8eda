import { resolveRegion } from '../lib/aws/client.js'
import { ConfigurationError, quote } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import { parseLifecyclePolicy, type LifecyclePolicy } from './lifecycle.js'
import { TAG, repositoryNameProblem, tagOfReference } from './repository-name.js'

export const TAG_MUTABILITIES = ['IMMUTABLE', 'MUTABLE'] as const
export type TagMutability = (typeof TAG_MUTABILITIES)[number]

export interface Inputs {
  /** The local image to push (name[:tag] or ID). */
  image: string
  repository: string
  tags: string[]
  region: string
  registryId?: string
  createRepository: boolean
  /** Applied only to a repository this action creates. */
  tagMutability: TagMutability
  scanOnPush: boolean
  lifecyclePolicy?: LifecyclePolicy
}

export interface InputContext {
  env: NodeJS.ProcessEnv
  readFile: (path: string) => string
}

/** Reads and validates every input before anything is called. */
export function parseInputs(get: GetInput, context: InputContext): Inputs {
  const input = new InputReader(get)
  const image = input.required('image', 'the local image to push, e.g. web:latest')
  const repository = input.required('repository', 'the ECR repository name, e.g. team/web')
  const problem = repositoryNameProblem(repository)
  if (problem !== undefined) {
    throw new ConfigurationError(`Input 'repository' ${problem} (got ${quote(repository)})`)
  }

  let tags = [...new Set(input.list('tags'))]
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw new ConfigurationError(
        `Input 'tags' must hold docker tags: up to 128 of A-Z a-z 0-9 _ . -, not starting with . or - (got ${quote(tag)})`,
      )
    }
  }
  if (tags.length === 0) {
    const own = tagOfReference(image)
    if (own === undefined || !TAG.test(own)) {
      throw new ConfigurationError(
        `Input 'tags' is required when 'image' names no tag (got image ${quote(image)})`,
      )
    }
    tags = [own]
  }

  const registryId = input.optional('registry-id')
  if (registryId !== undefined && !/^\d{12}$/.test(registryId)) {
    throw new ConfigurationError(
      `Input 'registry-id' must be a 12-digit AWS account ID (got ${quote(registryId)})`,
    )
  }

  const lifecycle = input.optional('lifecycle-policy')
  return {
    image,
    repository,
    tags,
    region: resolveRegion(input.optional('aws-region'), context.env),
    registryId,
    createRepository: input.boolean('create-repository', true),
    tagMutability: input.choice('tag-mutability', TAG_MUTABILITIES, 'IMMUTABLE'),
    scanOnPush: input.boolean('scan-on-push', true),
    lifecyclePolicy: lifecycle === undefined ? undefined : parseLifecyclePolicy(lifecycle, context.readFile),
  }
}
