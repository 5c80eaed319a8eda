import type { RegisterTaskDefinitionCommandInput, Tag } from '@aws-sdk/client-ecs'
import { ConfigurationError, errorMessage, quote } from '../lib/errors.js'

/** A task definition as read from a file or DescribeTaskDefinition, before rendering. */
export interface SourceTaskDefinition {
  definition: Record<string, unknown>
  tags: Tag[]
}

export interface TaskDefinitionChanges {
  containerName?: string
  image?: string
  environment: Record<string, string>
}

/**
 * Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. A file saved
 * from `aws ecs describe-task-definition` carries them; they are dropped, not rejected.
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

/**
 * Parses a task definition file: the RegisterTaskDefinition JSON itself, or the output of
 * `aws ecs describe-task-definition` (`{"taskDefinition": {...}, "tags": [...]}`).
 */
export function parseTaskDefinitionJson(text: string, source: string): SourceTaskDefinition {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new ConfigurationError(`${source} is not valid JSON: ${errorMessage(error)}`)
  }
  if (!isObject(data)) throw new ConfigurationError(`${source} must be a JSON object (a task definition)`)
  const wrapped = isObject(data.taskDefinition) && data.containerDefinitions === undefined
  const definition = wrapped ? (data.taskDefinition as Record<string, unknown>) : data
  checkTaskDefinition(definition, source)
  const tags = [...tagList(definition.tags, source), ...(wrapped ? tagList(data.tags, source) : [])]
  return { definition, tags }
}

export function containerNames(definition: Record<string, unknown>): string[] {
  const containers = Array.isArray(definition.containerDefinitions) ? definition.containerDefinitions : []
  return containers.map((c: unknown) => (isObject(c) ? String(c.name) : ''))
}

/**
 * The container to change (image, environment, migration command): `container-name` if given and
 * present, else the only container. Several containers and no name is an error listing them.
 */
export function selectContainer(
  definition: Record<string, unknown>,
  containerName: string | undefined,
): string {
  const names = containerNames(definition)
  const family = String(definition.family ?? 'task definition')
  if (containerName !== undefined) {
    if (!names.includes(containerName)) {
      throw new ConfigurationError(
        `Input 'container-name': no container ${quote(containerName)} in ${family}; its containers are: ${names.join(', ')}`,
      )
    }
    return containerName
  }
  if (names.length === 1) return names[0] as string
  throw new ConfigurationError(
    `Input 'container-name' is required: ${family} has ${names.length} containers (${names.join(', ')})`,
  )
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
 * The RegisterTaskDefinition request: the source without its describe-only fields, `image` set on
 * the selected container, `environment` merged into it (same names replaced, new ones appended),
 * and the source's tags carried over. Pure: the source is not modified.
 */
export function renderTaskDefinition(
  source: SourceTaskDefinition,
  changes: TaskDefinitionChanges,
): RegisterTaskDefinitionCommandInput {
  const definition: Record<string, unknown> = structuredClone(source.definition)
  for (const field of DESCRIBE_ONLY_FIELDS) delete definition[field]
  delete definition.tags
  const changing = changes.image !== undefined || Object.keys(changes.environment).length > 0
  if (changing || changes.containerName !== undefined) {
    const target = selectContainer(definition, changes.containerName)
    const containers = definition.containerDefinitions as Record<string, unknown>[]
    definition.containerDefinitions = containers.map((container) => {
      if (container.name !== target) return container
      const updated = { ...container }
      if (changes.image !== undefined) updated.image = changes.image
      if (Object.keys(changes.environment).length > 0) {
        updated.environment = mergeEnvironment(container.environment, changes.environment)
      }
      return updated
    })
  }
  const request = definition as unknown as RegisterTaskDefinitionCommandInput
  return source.tags.length > 0 ? { ...request, tags: source.tags } : request
}

/** `family:revision` from a task definition ARN, for messages. */
export function taskDefinitionLabel(arn: string | undefined): string {
  if (arn === undefined || arn === '') return 'an unknown task definition'
  const slash = arn.lastIndexOf('/')
  return slash >= 0 ? arn.slice(slash + 1) : arn
}

/** The image of a container in a rendered request, for the summary. */
export function containerImage(
  request: RegisterTaskDefinitionCommandInput,
  name: string,
): string | undefined {
  return request.containerDefinitions?.find((c) => c.name === name)?.image
}
