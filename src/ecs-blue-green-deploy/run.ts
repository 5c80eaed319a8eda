import { errorMessage, OperationError } from '../lib/errors.js'
import { withGitHubDeployment } from '../lib/github/deployment-options.js'
import type { DeployContext } from './context.js'
import type { EcsDeployPorts } from './deps.js'
import { deployAndWatch } from './deployments.js'
import type { EcsDeployOptions } from './options.js'
import { conclude, locate, locationNote, successLine } from './outcome.js'
import { prepare } from './prepare.js'
import { failureMessage } from './report.js'
import { runResult, type EcsDeployResult } from './result.js'
import { newRunState, type RunState } from './run-state.js'

/** Whether the run has changed a service (an UpdateService went through). */
function changedAnything(state: RunState): boolean {
  return state.trackers.length > 0 || state.report.services.some((r) => r.changed)
}

/**
 * The run up to its verdict: undefined when it succeeded (or, without `wait`, every deployment
 * started), else the failure line. Throws a ConfigurationError found before anything changed
 * (the services cannot take these options), and bugs.
 */
async function deploy(
  ctx: DeployContext,
  options: EcsDeployOptions,
  state: RunState,
): Promise<string | undefined> {
  const deadline = ctx.now() + options.timeoutMs
  try {
    const arns = await prepare(ctx, options, state, deadline)
    await deployAndWatch(ctx, options, state, arns, deadline)
    const succeeded = conclude(state)
    if (!options.wait && state.trackers.length === state.plans.length) {
      state.report.status = 'IN_PROGRESS'
      return undefined
    }
    if (succeeded) {
      ctx.io.info(successLine(state, ctx.now() - (state.trackers[0]?.timeline[0]?.at ?? ctx.now())))
      return undefined
    }
    await locate(ctx.io, ctx.ecs, options.cluster, state.report.services, state.trackers)
    return failureMessage(state.report)
  } catch (error) {
    if (!changedAnything(state)) {
      // Nothing changed yet: an operational failure is the verdict; bad options and bugs are thrown.
      if (error instanceof OperationError) return error.message
      throw error
    }
    // A failure after UpdateService that the watch could not turn into an outcome (a rollback
    // call refused, a permission missing): the failure says where each service is now.
    conclude(state)
    await locate(ctx.io, ctx.ecs, options.cluster, state.report.services, state.trackers)
    return `${errorMessage(error)}. ${locationNote(state.report.services)}`
  }
}

/**
 * Everything after the options are valid: register each service's revision, migrate once, deploy
 * every service together, watch them (gating on the test checks) and roll back. Returns how it
 * ended, a failure included, so the caller writes the outputs and the summary whatever happened;
 * throws only for options the services turn out not to take (before any change) and for bugs.
 */
export async function runEcsDeploy(
  ports: EcsDeployPorts,
  options: EcsDeployOptions,
): Promise<EcsDeployResult> {
  if (options.imageFromPipeline && options.image === undefined) {
    throw new Error('runEcsDeploy: the options were parsed for an image from the pipeline, and none was set')
  }
  const ecs = await ports.ecs(options.region)
  const { io, http, sleep, now, random } = ports
  const ctx: DeployContext = { io, ecs, http, sleep, now, random }
  const state = newRunState(options.cluster)
  const failure = await withGitHubDeployment(
    io,
    options.githubDeployment,
    `ecs-blue-green-deploy: ${options.services.join(', ')} in ${options.cluster}`,
    () => deploy(ctx, options, state),
    (failed) => ({
      ok: options.wait ? failed === undefined : undefined,
      environmentUrl: options.githubEnvironmentUrl,
      description: failed ?? `${options.services.join(', ')}: ${state.report.status}`,
    }),
  )
  state.report.endedAt = ctx.now()
  return runResult(state, failure)
}
