import type { RegisterTaskDefinitionCommandInput, Tag } from '@aws-sdk/client-ecs'
import { parse as parseYaml } from 'yaml'
import { ConfigurationError, errorMessage, quote } from '../lib/errors.js'

/** A task definition as read from a file or DescribeTaskDefinition, before rendering. */
export interface SourceTaskDefinition {
  definition: Record<string, unknown>
  tags: Tag[]
}

/** The name the user knows an input of this action by (a composing action's own name for it). */
export type InputName = (input: string) => string

export interface TaskDefinitionChanges {
  /** The container that gets `image` and `environment` (see targetContainer). */
  container?: string
  image?: string
  /** More containers' images, by container name; names not in this definition are skipped. */
  images: Record<string, string>
  environment: Record<string, string>
}

/**
 * Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. A file saved
 * from `aws ecs describe-task-definition` carries them; they are dropped, not rejected (the list
 * amazon-ecs-deploy-task-definition strips, plus deleteRequestedAt).
 */
export const DESCRIBE_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function tagList(value: unknown, source: string): Tag[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || !value.every((t) => isObject(t) && typeof t.key === 'string')) {
    throw new ConfigurationError(`${source} 'tags' must be a list of {"key": ..., "value": ...} objects`)
  }
  return value.map((t: Record<string, unknown>) => ({ key: String(t.key), value: String(t.value ?? '') }))
}

/** Checks the parts every later step relies on: a family and named container definitions. */
export function checkTaskDefinition(definition: Record<string, unknown>, source: string): void {
  const containers = definition.containerDefinitions
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new ConfigurationError(
      `${source} has no containerDefinitions: a task definition needs at least one container`,
    )
  }
  containers.forEach((c: unknown, index) => {
    if (!isObject(c) || typeof c.name !== 'string' || c.name === '') {
      throw new ConfigurationError(`${source} containerDefinitions item ${index + 1} has no 'name'`)
    }
  })
  if (typeof definition.family !== 'string' || definition.family === '') {
    throw new ConfigurationError(`${source} has no 'family'`)
  }
}

/** Drops null values (a YAML key left empty) at any depth: RegisterTaskDefinition takes no nulls. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls)
  if (!isObject(value)) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  )
}

/**
 * Parses a task definition file, JSON or YAML (as amazon-ecs-deploy-task-definition reads it: one
 * YAML parser for both, since JSON is YAML): the RegisterTaskDefinition input itself, or the output
 * of `aws ecs describe-task-definition` (`{"taskDefinition": {...}, "tags": [...]}`).
 */
export function parseTaskDefinitionFile(text: string, source: string): SourceTaskDefinition {
  let data: unknown
  try {
    data = withoutNulls(parseYaml(text))
  } catch (error) {
    throw new ConfigurationError(`${source} is not valid JSON or YAML: ${errorMessage(error).split('\n')[0]}`)
  }
  if (!isObject(data)) throw new ConfigurationError(`${source} must be an object (a task definition)`)
  const wrapped = isObject(data.taskDefinition) && data.containerDefinitions === undefined
  const definition = wrapped ? (data.taskDefinition as Record<string, unknown>) : data
  checkTaskDefinition(definition, source)
  const tags = [...tagList(definition.tags, source), ...(wrapped ? tagList(data.tags, source) : [])]
  return { definition, tags }
}

function containers(definition: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(definition.containerDefinitions)
    ? definition.containerDefinitions.filter(isObject)
    : []
}

export function containerNames(definition: Record<string, unknown>): string[] {
  return containers(definition).map((c) => String(c.name))
}

export function familyOf(definition: Record<string, unknown>): string {
  return String(definition.family ?? 'the task definition')
}

/**
 * The container that gets `image`, `environment` and the migration command: `container-name` if
 * given (it must exist), else the only container, else the only essential one (ECS takes a
 * container without `essential` as essential). Anything else is an error naming the choices.
 */
export function targetContainer(
  definition: Record<string, unknown>,
  containerName: string | undefined,
  inputName: InputName,
): string {
  const names = containerNames(definition)
  const family = familyOf(definition)
  if (containerName !== undefined) {
    if (!names.includes(containerName)) {
      throw new ConfigurationError(
        `Input '${inputName('container-name')}': no container ${quote(containerName)} in ${family}; its containers are: ${names.join(', ')}`,
      )
    }
    return containerName
  }
  if (names.length === 1) return names[0] as string
  const essential = containers(definition).filter((c) => c.essential !== false)
  if (essential.length === 1) return String(essential[0]?.name)
  throw new ConfigurationError(
    `Input '${inputName('container-name')}' is required: ${family} has ${names.length} containers (${names.join(', ')}) and ${essential.length === 0 ? 'none' : essential.length} of them essential; name the one that gets '${inputName('image')}'`,
  )
}

/**
 * Refuses what RegisterTaskDefinition would: a name set by `environment` that the target
 * container also takes from its `secrets`.
 */
export function checkEnvironmentAgainstSecrets(
  definition: Record<string, unknown>,
  container: string,
  environment: Record<string, string>,
  inputName: InputName,
): void {
  const target = containers(definition).find((c) => c.name === container)
  const secrets = Array.isArray(target?.secrets)
    ? target.secrets.filter(isObject).map((s) => String(s.name))
    : []
  const shared = Object.keys(environment).filter((name) => secrets.includes(name))
  if (shared.length > 0) {
    throw new ConfigurationError(
      `Input '${inputName('environment')}' sets ${shared.join(', ')}, which container '${container}' of ${familyOf(definition)} takes from its secrets; ECS refuses a name in both. Remove it from '${inputName('environment')}' or from the task definition's secrets`,
    )
  }
}

function mergeEnvironment(
  current: unknown,
  changes: Record<string, string>,
): { name: string; value: string }[] {
  const merged = new Map<string, string>()
  if (Array.isArray(current)) {
    for (const entry of current) {
      if (isObject(entry) && typeof entry.name === 'string') merged.set(entry.name, String(entry.value ?? ''))
    }
  }
  for (const [name, value] of Object.entries(changes)) merged.set(name, value)
  return [...merged].map(([name, value]) => ({ name, value }))
}

/**
 * The RegisterTaskDefinition request: the source without its describe-only fields, `image` and
 * `environment` on the target container (same names replaced, new ones appended), `images` on the
 * containers they name, everything else of each container (command, ports, secrets...) as it was,
 * and the source's tags carried over. Pure: the source is not modified.
 */
export function renderTaskDefinition(
  source: SourceTaskDefinition,
  changes: TaskDefinitionChanges,
): RegisterTaskDefinitionCommandInput {
  const definition: Record<string, unknown> = structuredClone(source.definition)
  for (const field of DESCRIBE_ONLY_FIELDS) delete definition[field]
  delete definition.tags
  const hasEnvironment = Object.keys(changes.environment).length > 0
  definition.containerDefinitions = containers(definition).map((container) => {
    const name = String(container.name)
    const updated = { ...container }
    if (changes.images[name] !== undefined) updated.image = changes.images[name]
    if (name !== changes.container) return updated
    if (changes.image !== undefined) updated.image = changes.image
    if (hasEnvironment) updated.environment = mergeEnvironment(container.environment, changes.environment)
    return updated
  })
  const request = definition as unknown as RegisterTaskDefinitionCommandInput
  return source.tags.length > 0 ? { ...request, tags: source.tags } : request
}

/** `family:revision` from a task definition ARN, for messages. */
export function taskDefinitionLabel(arn: string | undefined): string {
  if (arn === undefined || arn === '') return 'an unknown task definition'
  const slash = arn.lastIndexOf('/')
  return slash >= 0 ? arn.slice(slash + 1) : arn
}

/** Each container's image in a rendered request, `name=image`, for the summary. */
export function containerImages(request: RegisterTaskDefinitionCommandInput): Record<string, string> {
  return Object.fromEntries((request.containerDefinitions ?? []).map((c) => [c.name ?? '?', c.image ?? '']))
}
