// render-deploy's public face: the only module of this action another action (deploy) imports.
import { withGitHubDeployment } from '../lib/github/deployment-options.js'
import type { Deps } from './deps.js'
import { deployToRender, type DeployOutcome } from './flow.js'
import type { RenderDeployOptions } from './options.js'
/** The service types with a public HTTP URL (the others are never smoke-tested at an address). */
export { PUBLIC_TYPES as PUBLIC_SERVICE_TYPES } from './service.js'
import { RenderApi } from './render-api.js'
import { deploySummary } from './report.js'

export {
  parseRenderDeployOptions,
  renderDeploySecrets,
  type RenderDeployContext,
  type RenderDeployOptions,
} from './options.js'

/** What a run needs of the runner: the log, HTTP and time. */
export type RenderDeployPorts = Pick<Deps, 'io' | 'http' | 'sleep' | 'now' | 'random'>

/**
 * How the deploy ended (the service, the deploy, its last status, any rollback, the timeline of
 * status changes), with the job-summary markdown; `failure` says why the step fails.
 */
export interface RenderDeployResult extends DeployOutcome {
  summary: string
}

/**
 * Triggers the deploy, follows it and rolls back on failure when asked to. Once the deploy exists,
 * every ending is a result (with `failure` set when it did not go live); errors before that (a
 * rejected key, a missing service) are thrown.
 */
export async function runRenderDeploy(
  ports: RenderDeployPorts,
  options: RenderDeployOptions,
): Promise<RenderDeployResult> {
  const { io } = ports
  const apiPorts = {
    http: ports.http,
    sleep: ports.sleep,
    now: ports.now,
    random: ports.random,
    log: (line: string) => io.info(line),
  }
  const api =
    options.apiKey === undefined
      ? undefined
      : new RenderApi(options.apiUrl, options.apiKey, apiPorts, options.secrets)
  const outcome = await withGitHubDeployment(
    io,
    options.githubDeployment,
    `render-deploy: ${options.serviceId}`,
    () => deployToRender(options, { io, api, ports: apiPorts, secrets: options.secrets }),
    (ended) => ({
      ok: options.wait && ended.status !== 'triggered' ? ended.failure === undefined : undefined,
      environmentUrl: ended.serviceUrl,
      description: ended.failure ?? `${options.serviceId}: ${ended.status}`,
    }),
  )
  return { ...outcome, summary: deploySummary(outcome) }
}

/** The outputs of action.yml, from a result: the one place their names appear. */
export function renderDeployOutputs(
  result: RenderDeployResult,
): Record<'deploy-id' | 'status' | 'service-url' | 'rolled-back', string> {
  return {
    'deploy-id': result.deployId ?? '',
    status: result.status,
    'service-url': result.serviceUrl ?? '',
    'rolled-back': String(result.rolledBack),
  }
}
