import {
  parseGitHubDeploymentOptions,
  type GitHubDeploymentOptions,
} from '../lib/github/deployment-options.js'
import { resolveRegion } from '../lib/aws/client.js'
import { ConfigurationError, errorMessage, quote } from '../lib/errors.js'
import { splitCommandLine } from '../lib/process/shell-words.js'
import { exclusive, InputReader, type GetInput } from '../lib/runner/inputs.js'
import { checkContainers, checkImageContainers } from './container-checks.js'
import { gateChecks, type Check } from './gate-checks.js'
import { STRATEGIES, type Strategy } from './strategy.js'
import { parseTaskDefinitionFile, type InputName, type SourceTaskDefinition } from './task-definition.js'

/** ECS takes bake times of 0 to 1440 whole minutes. */
export const MAX_BAKE_MINUTES = 1440

export interface EcsDeployOptions {
  cluster: string
  /** The services to deploy, in the order given (`service`, or the `services` list). */
  services: string[]
  /** The region to call: `aws-region`, else the runner's AWS_REGION / AWS_DEFAULT_REGION. */
  region: string
  /** The parsed `task-definition` file; undefined means "each service's current one". */
  taskDefinition?: SourceTaskDefinition
  taskDefinitionFile?: string
  containerName?: string
  /** The image for the target container; the caller fills it in when parsed with `imageFromPipeline`. */
  image?: string
  /** Parsed for a pipeline that supplies `image` itself (deploy: the image it built and pushed). */
  imageFromPipeline: boolean
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
  /** For messages about inputs found wrong only once the services are read. */
  inputName: InputName
  /** The GitHub deployment to record (`github-environment`), and the URL it links to. */
  githubDeployment?: GitHubDeploymentOptions
  githubEnvironmentUrl?: string
}

export type ReadFile = (path: string) => string

/** What parsing needs besides the inputs. */
export interface EcsParseContext {
  readFile: ReadFile
  /** The step's environment, for the region and the GitHub deployment's commit. */
  env: NodeJS.ProcessEnv
  /** The caller supplies `image` itself, once it exists: the options are checked as if it were set. */
  imageFromPipeline?: boolean
}

function bakeMinutes(input: InputReader): number | undefined {
  const text = input.optional('bake-time')
  if (text === undefined) return undefined
  const ms = input.duration('bake-time', text, { allowZero: true })
  if (ms % 60_000 !== 0 || ms / 60_000 > MAX_BAKE_MINUTES) {
    throw new ConfigurationError(
      `Input '${input.name('bake-time')}' must be whole minutes from 0 to ${MAX_BAKE_MINUTES} (24h), like 5m or 0 (got ${quote(text)})`,
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

/** `service` or `services` (newlines or commas), exactly one of them, no name twice. */
function serviceNames(input: InputReader): string[] {
  exclusive(input, 'service', 'services')
  const single = input.optional('service')
  const names = single === undefined ? input.list('services') : [single]
  if (names.length === 0) {
    throw new ConfigurationError(
      `Input '${input.name('service')}' is required: the name or ARN of the ECS service to deploy (or '${input.name('services')}' for several)`,
    )
  }
  const twice = names.find((name, i) => names.indexOf(name) !== i)
  if (twice !== undefined) {
    throw new ConfigurationError(`Input '${input.name('services')}' names ${quote(twice)} twice`)
  }
  return names
}

/** `images`: `container=image` lines, each with both parts, no container twice. */
function imageMap(input: InputReader, containerName: string | undefined, setsImage: boolean) {
  const images: Record<string, string> = {}
  for (const line of input.lines('images')) {
    const eq = line.indexOf('=')
    const container = eq > 0 ? line.slice(0, eq).trim() : ''
    const value = eq > 0 ? line.slice(eq + 1).trim() : ''
    if (container === '' || value === '' || /\s/.test(container) || /\s/.test(value)) {
      throw new ConfigurationError(
        `Input '${input.name('images')}' must be container=image lines (got ${quote(line)})`,
      )
    }
    if (images[container] !== undefined) {
      throw new ConfigurationError(`Input '${input.name('images')}' sets container ${quote(container)} twice`)
    }
    images[container] = value
  }
  if (setsImage && containerName !== undefined && images[containerName] !== undefined) {
    throw new ConfigurationError(
      `Inputs '${input.name('image')}' and '${input.name('images')}' both set container ${quote(containerName)}: set it in one of them`,
    )
  }
  return images
}

function readTaskDefinition(input: InputReader, readFile: ReadFile, services: string[]) {
  const file = input.optional('task-definition')
  if (file === undefined) return {}
  const name = input.name('task-definition')
  if (services.length > 1) {
    throw new ConfigurationError(
      `Input '${name}' takes one service's task definition; with '${input.name('services')}' each service's own task definition gets the new image`,
    )
  }
  let text: string
  try {
    text = readFile(file)
  } catch (error) {
    throw new ConfigurationError(`Input '${name}': cannot read ${quote(file)}: ${errorMessage(error)}`)
  }
  return { file, source: parseTaskDefinitionFile(text, `Input '${name}' (${file})`) }
}

/** `migrate-command` as words (split like a shell would, run without one). */
function migrateWords(input: InputReader): string[] | undefined {
  const text = input.optional('migrate-command')
  if (text === undefined) return undefined
  const words = splitCommandLine(text, `Input '${input.name('migrate-command')}'`)
  if (words.length === 0) {
    throw new ConfigurationError(`Input '${input.name('migrate-command')}' has no words to run`)
  }
  return words
}

/** What each deployment does and how it is watched: strategy, gate, migration, bake, timeouts, rollback. */
async function deploymentOptions(input: InputReader) {
  const testUrl = input.url('test-url')
  const strategy =
    input.optional('strategy') === undefined ? undefined : input.choice('strategy', STRATEGIES, 'rolling')
  if (testUrl !== undefined && strategy === 'rolling') {
    throw new ConfigurationError(
      `Input '${input.name('test-url')}' needs strategy blue-green, canary or linear: a rolling deployment has no test traffic stage to pause at`,
    )
  }
  const migrateCommand = migrateWords(input)
  const options = {
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
  if (testUrl !== undefined && !options.wait) {
    throw new ConfigurationError(
      `Input '${input.name('test-url')}' needs ${input.name('wait')}: true: the gate runs while the action waits, and an unanswered pause would roll the deployment back`,
    )
  }
  return options
}

/**
 * Reads and validates every input before any side effect; the task definition file is parsed
 * here too, and the region resolved. `names` maps this action's input names to a composing
 * action's (reads and messages then use those). With `imageFromPipeline` the `image` input is not
 * read and the options are checked as if it were set: the caller sets `image` before the run.
 */
export async function parseEcsDeployOptions(
  get: GetInput,
  context: EcsParseContext,
  names?: Readonly<Record<string, string>>,
): Promise<EcsDeployOptions> {
  const input = new InputReader(get, names)
  const cluster = input.string('cluster', 'default')
  const services = serviceNames(input)
  const containerName = input.optional('container-name')
  const imageFromPipeline = context.imageFromPipeline === true
  const image = imageFromPipeline ? undefined : input.optional('image')
  const deployment = await deploymentOptions(input)
  const options = {
    cluster,
    services,
    containerName,
    image,
    imageFromPipeline,
    images: imageMap(input, containerName, image !== undefined || imageFromPipeline),
    environment: input.keyValues('environment'),
    ...deployment,
    inputName: (name: string) => input.name(name),
  }
  const file = readTaskDefinition(input, context.readFile, services)
  if (file.source !== undefined) {
    checkContainers(file.source.definition, options)
    checkImageContainers([file.source.definition], options.images, options.inputName)
  }
  return {
    ...options,
    region: resolveRegion(input.optional('aws-region'), context.env, input.name('aws-region')),
    taskDefinition: file.source,
    taskDefinitionFile: file.file,
    githubDeployment: parseGitHubDeploymentOptions(input, context.env, input.optional('github-environment')),
    githubEnvironmentUrl: input.url('github-environment-url')?.href,
  }
}
