import type { DeploymentStrategy } from '@aws-sdk/client-ecs'
import { ConfigurationError, errorMessage, quote } from '../lib/errors.js'
import { exclusive, InputReader, type GetInput } from '../lib/runner/inputs.js'
import { parseChecks, parseStatusSet, urlCheck, type Check, type CheckDefaults } from '../lib/smoke/index.js'
import { splitCommandLine } from '../lib/process/shell-words.js'
import {
  checkEnvironmentAgainstSecrets,
  containerNames,
  familyOf,
  parseTaskDefinitionFile,
  targetContainer,
  type SourceTaskDefinition,
} from './task-definition.js'

export const STRATEGIES = ['blue-green', 'rolling', 'canary', 'linear'] as const
export type Strategy = (typeof STRATEGIES)[number]

export const ECS_STRATEGY: Record<Strategy, DeploymentStrategy> = {
  'blue-green': 'BLUE_GREEN',
  rolling: 'ROLLING',
  canary: 'CANARY',
  linear: 'LINEAR',
}

/** ECS takes bake times of 0 to 1440 whole minutes. */
export const MAX_BAKE_MINUTES = 1440

export interface Inputs {
  cluster: string
  /** The services to deploy, in the order given (`service`, or the `services` list). */
  services: string[]
  region?: string
  /** The parsed `task-definition` file; undefined means "each service's current one". */
  taskDefinition?: SourceTaskDefinition
  taskDefinitionFile?: string
  containerName?: string
  image?: string
  /** `images`: container name → image, for containers other than the one `image` goes to. */
  images: Record<string, string>
  environment: Record<string, string>
  /** Undefined: each service keeps its own strategy. */
  strategy?: Strategy
  /** Undefined: each service keeps its own bake time. */
  bakeTimeMinutes?: number
  testUrl?: URL
  /** The gate's checks (a GET of `test-url` when `test-checks` is not given); empty without `test-url`. */
  testChecks: Check[]
  /** The migration command as words, or undefined when none. */
  migrateCommand?: string[]
  wait: boolean
  timeoutMs: number
  /** A fixed poll interval; undefined polls adaptively (see polling.ts). */
  pollIntervalMs?: number
  rollbackOnFailure: boolean
  forceNewDeployment: boolean
}

export type ReadFile = (path: string) => string

function bakeMinutes(input: InputReader): number | undefined {
  const text = input.optional('bake-time')
  if (text === undefined) return undefined
  const ms = input.duration('bake-time', text, { allowZero: true })
  if (ms % 60_000 !== 0 || ms / 60_000 > MAX_BAKE_MINUTES) {
    throw new ConfigurationError(
      `Input 'bake-time' must be whole minutes from 0 to ${MAX_BAKE_MINUTES} (24h), like 5m or 0 (got ${quote(text)})`,
    )
  }
  return ms / 60_000
}

/** `poll-interval`: `auto` (or empty) adapts to the deployment; a duration is a fixed interval. */
function pollInterval(input: InputReader): number | undefined {
  const text = input.optional('poll-interval')
  if (text === undefined || text.toLowerCase() === 'auto') return undefined
  return input.duration('poll-interval', text)
}

/**
 * The gate's checks. The YAML is parsed here with a static import rather than through the engine's
 * lazy `parseChecks`: ncc minifies only a bundle's main file, and this action's budget holds only
 * with the YAML parser minified there and the AWS SDK (loaded after validation) in its own chunk.
 */
async function gateChecks(input: InputReader, testUrl: URL | undefined): Promise<Check[]> {
  const text = input.raw('test-checks')
  if (testUrl === undefined) {
    if (text !== undefined) {
      throw new ConfigurationError(
        "Input 'test-checks' needs 'test-url': set it to the base URL of the load balancer's test listener",
      )
    }
    return []
  }
  const defaults: CheckDefaults = {
    baseUrl: testUrl,
    method: 'GET',
    headers: {},
    expectStatus: parseStatusSet('200-299', "Input 'test-checks'"),
  }
  if (text === undefined) return [urlCheck(testUrl.href, defaults, "Input 'test-url'")]
  return parseChecks(text, defaults, 'test-checks')
}

/** `service` or `services` (newlines or commas), exactly one of them, no name twice. */
function serviceNames(input: InputReader): string[] {
  exclusive(input, 'service', 'services')
  const single = input.optional('service')
  const names = single === undefined ? input.list('services') : [single]
  if (names.length === 0) {
    throw new ConfigurationError(
      "Input 'service' is required: the name or ARN of the ECS service to deploy (or 'services' for several)",
    )
  }
  const twice = names.find((name, i) => names.indexOf(name) !== i)
  if (twice !== undefined) throw new ConfigurationError(`Input 'services' names ${quote(twice)} twice`)
  return names
}

/** `images`: `container=image` lines, each with both parts, no container twice. */
function imageMap(input: InputReader, containerName: string | undefined, image: string | undefined) {
  const images: Record<string, string> = {}
  for (const line of input.lines('images')) {
    const eq = line.indexOf('=')
    const container = eq > 0 ? line.slice(0, eq).trim() : ''
    const value = eq > 0 ? line.slice(eq + 1).trim() : ''
    if (container === '' || value === '' || /\s/.test(container) || /\s/.test(value)) {
      throw new ConfigurationError(`Input 'images' must be container=image lines (got ${quote(line)})`)
    }
    if (images[container] !== undefined) {
      throw new ConfigurationError(`Input 'images' sets container ${quote(container)} twice`)
    }
    images[container] = value
  }
  if (image !== undefined && containerName !== undefined && images[containerName] !== undefined) {
    throw new ConfigurationError(
      `Inputs 'image' and 'images' both set container ${quote(containerName)}: set it in one of them`,
    )
  }
  return images
}

function readTaskDefinition(input: InputReader, readFile: ReadFile, services: string[]) {
  const file = input.optional('task-definition')
  if (file === undefined) return {}
  if (services.length > 1) {
    throw new ConfigurationError(
      "Input 'task-definition' takes one service's task definition; with 'services' each service's own task definition gets the new image",
    )
  }
  let text: string
  try {
    text = readFile(file)
  } catch (error) {
    throw new ConfigurationError(
      `Input 'task-definition': cannot read ${quote(file)}: ${errorMessage(error)}`,
    )
  }
  return { file, source: parseTaskDefinitionFile(text, `Input 'task-definition' (${file})`) }
}

/**
 * What the given task definition must hold for these inputs: the container `image`, `environment`
 * and the migration go to, each container `images` names, and no `environment` name that the
 * container takes from its secrets. Used for the file at parse time and for each service's
 * current task definition before anything is registered.
 */
export function checkContainers(definition: Record<string, unknown>, inputs: Inputs): string | undefined {
  const needsTarget =
    inputs.image !== undefined ||
    Object.keys(inputs.environment).length > 0 ||
    inputs.migrateCommand !== undefined ||
    inputs.containerName !== undefined
  const target = needsTarget ? targetContainer(definition, inputs.containerName) : undefined
  if (target !== undefined && inputs.image !== undefined && inputs.images[target] !== undefined) {
    throw new ConfigurationError(
      `Inputs 'image' and 'images' both set container ${quote(target)} of ${familyOf(definition)}: set it in one of them`,
    )
  }
  if (target !== undefined) checkEnvironmentAgainstSecrets(definition, target, inputs.environment)
  return target
}

/** Reads and validates every input before any side effect; the task definition file is parsed here too. */
export async function parseInputs(get: GetInput, readFile: ReadFile): Promise<Inputs> {
  const input = new InputReader(get)
  const cluster = input.string('cluster', 'default')
  const services = serviceNames(input)
  const containerName = input.optional('container-name')
  const image = input.optional('image')
  const testUrl = input.url('test-url')
  const strategy =
    input.optional('strategy') === undefined ? undefined : input.choice('strategy', STRATEGIES, 'rolling')
  if (testUrl !== undefined && strategy === 'rolling') {
    throw new ConfigurationError(
      "Input 'test-url' needs strategy blue-green, canary or linear: a rolling deployment has no test traffic stage to pause at",
    )
  }
  const migrateText = input.optional('migrate-command')
  const migrateCommand =
    migrateText === undefined ? undefined : splitCommandLine(migrateText, "Input 'migrate-command'")
  if (migrateCommand !== undefined && migrateCommand.length === 0) {
    throw new ConfigurationError("Input 'migrate-command' has no words to run")
  }
  const inputs: Inputs = {
    cluster,
    services,
    region: input.optional('aws-region'),
    containerName,
    image,
    images: imageMap(input, containerName, image),
    environment: input.keyValues('environment'),
    strategy,
    bakeTimeMinutes: bakeMinutes(input),
    testUrl,
    testChecks: await gateChecks(input, testUrl),
    migrateCommand,
    wait: input.boolean('wait', true),
    timeoutMs: input.duration('timeout', '30m'),
    pollIntervalMs: pollInterval(input),
    rollbackOnFailure: input.boolean('rollback-on-failure', true),
    forceNewDeployment: input.boolean('force-new-deployment', false),
  }
  if (testUrl !== undefined && !inputs.wait) {
    throw new ConfigurationError(
      "Input 'test-url' needs wait: true: the gate runs while the action waits, and an unanswered pause would roll the deployment back",
    )
  }
  const file = readTaskDefinition(input, readFile, services)
  if (file.source !== undefined) {
    checkContainers(file.source.definition, inputs)
    checkImageContainers([file.source.definition], inputs.images)
  }
  return { ...inputs, taskDefinition: file.source, taskDefinitionFile: file.file }
}

/** Each container `images` names must be in one of the task definitions being deployed. */
export function checkImageContainers(
  definitions: Record<string, unknown>[],
  images: Record<string, string>,
): void {
  for (const container of Object.keys(images)) {
    if (definitions.some((d) => containerNames(d).includes(container))) continue
    const known = [...new Set(definitions.flatMap(containerNames))]
    const where = definitions.map(familyOf).join(', ')
    throw new ConfigurationError(
      `Input 'images': no container ${quote(container)} in ${where}; its containers are: ${known.join(', ')}`,
    )
  }
}
