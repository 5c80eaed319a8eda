import { ConfigurationError, errorMessage, OperationError } from '../lib/errors.js'
import type { DeployPorts } from './deps.js'
import { deployToEcs, ECS_PHASES, type Facts } from './ecs-flow.js'
import { notify } from './notify.js'
import type { DeployOptions } from './options.js'
import { Pipeline } from './pipeline.js'
import { deployToRender, RENDER_PHASES } from './render-flow.js'
import type { DeployResult } from './result.js'
import { deploySummary } from './summary.js'

const TITLES = { ecs: 'Deploy to Amazon ECS', render: 'Deploy to Render' } as const

/** The failure line for what stopped the run (a phase names itself), as the runner would word it. */
function failureLine(error: unknown): string {
  // runGuarded's wording for a bad input (lib/runner/failure.ts), kept for one found mid-run.
  return error instanceof ConfigurationError
    ? `Invalid configuration: ${errorMessage(error)}`
    : errorMessage(error)
}

/**
 * Runs the target's phases in order and returns what happened, whatever happened: the first
 * phase that fails stops the run, and its failure line (naming the phase) is the result's.
 * The webhook, when given, hears of the outcome last; it cannot fail the deploy.
 */
export async function runDeploy(ports: DeployPorts, options: DeployOptions): Promise<DeployResult> {
  const pipeline = new Pipeline(ports.io, ports.now, options.target === 'ecs' ? ECS_PHASES : RENDER_PHASES)
  const facts: Facts = {
    origin: 'none',
    imageUri: '',
    imageDeployed: '',
    deploymentId: '',
    status: '',
    url: options.smoke.url ?? '',
  }
  let failure: string | undefined
  try {
    if (options.target === 'ecs') await deployToEcs(ports, pipeline, options, facts)
    else await deployToRender(ports, pipeline, options, facts)
  } catch (error) {
    if (!(error instanceof OperationError || error instanceof ConfigurationError)) throw error
    failure = failureLine(error)
  }
  const result: DeployResult = {
    target: options.target,
    ...facts,
    phases: pipeline.records,
    summary: deploySummary(TITLES[options.target], pipeline.records, facts),
    failure,
  }
  await notify(ports, options, result)
  return result
}
