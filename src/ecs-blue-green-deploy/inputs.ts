import type { DeploymentStrategy } from '@aws-sdk/client-ecs'
import { ConfigurationError, errorMessage, quote } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/inputs.js'
import { parseChecks, urlCheck, type Check, type CheckDefaults } from '../lib/smoke/checks.js'
import { parseStatusSet } from '../lib/smoke/status.js'
import { splitCommandLine } from '../lib/shell-words.js'
import { parseTaskDefinitionJson, selectContainer, type SourceTaskDefinition } from './task-definition.js'

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
  service: string
  region?: string
  /** The parsed `task-definition` file; undefined means "the service's current one". */
  taskDefinition?: SourceTaskDefinition
  taskDefinitionFile?: string
  containerName?: string
  image?: string
  environment: Record<string, string>
  strategy: Strategy
  bakeTimeMinutes: number
  testUrl?: URL
  /** The gate's checks (a GET of `test-url` when `test-checks` is not given); empty without `test-url`. */
  testChecks: Check[]
  /** The migration command as words, or undefined when none. */
  migrateCommand?: string[]
  wait: boolean
  timeoutMs: number
  pollIntervalMs: number
  rollbackOnFailure: boolean
  forceNewDeployment: boolean
}

export type ReadFile = (path: string) => string

function bakeMinutes(input: InputReader): number {
  const ms = input.duration('bake-time', '5m', { allowZero: true })
  const text = input.string('bake-time', '5m')
  if (ms % 60_000 !== 0 || ms / 60_000 > MAX_BAKE_MINUTES) {
    throw new ConfigurationError(
      `Input 'bake-time' must be whole minutes from 0 to ${MAX_BAKE_MINUTES} (24h), like 5m or 0 (got ${quote(text)})`,
    )
  }
  return ms / 60_000
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

/** Reads and validates every input before any side effect; the task definition file is parsed here too. */
export async function parseInputs(get: GetInput, readFile: ReadFile): Promise<Inputs> {
  const input = new InputReader(get)
  const cluster = input.string('cluster', 'default')
  const service = input.required('service', 'the name or ARN of the ECS service to deploy')
  const region = input.optional('aws-region')
  const containerName = input.optional('container-name')
  const image = input.optional('image')
  const environment = input.keyValues('environment')
  const strategy = input.choice('strategy', STRATEGIES, 'blue-green')
  const bakeTimeMinutes = bakeMinutes(input)
  const testUrl = input.url('test-url')
  const testChecks = await gateChecks(input, testUrl)
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
  const wait = input.boolean('wait', true)
  if (testUrl !== undefined && !wait) {
    throw new ConfigurationError(
      "Input 'test-url' needs wait: true: the gate runs while the action waits, and an unanswered pause would roll the deployment back",
    )
  }
  const timeoutMs = input.duration('timeout', '30m')
  const pollIntervalMs = input.duration('poll-interval', '5s')
  const rollbackOnFailure = input.boolean('rollback-on-failure', true)
  const forceNewDeployment = input.boolean('force-new-deployment', false)

  const taskDefinitionFile = input.optional('task-definition')
  let taskDefinition: SourceTaskDefinition | undefined
  if (taskDefinitionFile !== undefined) {
    let text: string
    try {
      text = readFile(taskDefinitionFile)
    } catch (error) {
      throw new ConfigurationError(
        `Input 'task-definition': cannot read ${quote(taskDefinitionFile)}: ${errorMessage(error)}`,
      )
    }
    taskDefinition = parseTaskDefinitionJson(text, `Input 'task-definition' (${taskDefinitionFile})`)
    if (
      image !== undefined ||
      Object.keys(environment).length > 0 ||
      containerName !== undefined ||
      migrateCommand
    ) {
      selectContainer(taskDefinition.definition, containerName)
    }
  }
  return {
    cluster,
    service,
    region,
    taskDefinition,
    taskDefinitionFile,
    containerName,
    image,
    environment,
    strategy,
    bakeTimeMinutes,
    testUrl,
    testChecks,
    migrateCommand,
    wait,
    timeoutMs,
    pollIntervalMs,
    rollbackOnFailure,
    forceNewDeployment,
  }
}
