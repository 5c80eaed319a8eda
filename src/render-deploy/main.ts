import { OperationError } from '../lib/errors.js'
import { runGuarded } from '../lib/runner/failure.js'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import { maskSecret } from '../lib/runner/secrets.js'
import { deployToRender } from './flow.js'
import { parseInputs, type Inputs } from './inputs.js'
import { RenderApi } from './render-api.js'
import { deploySummary } from './report.js'

export interface Deps extends RunnerPorts {
  env: NodeJS.ProcessEnv
}

export function defaultDeps(): Deps {
  return { ...realPorts(), env: process.env }
}

/** The secrets among the raw inputs: the API key, the hook URL as a whole and its `key`. */
export function rawSecrets(deps: Pick<Deps, 'getInput' | 'env'>): string[] {
  const secrets = [deps.getInput('api-key').trim(), deps.env.RENDER_API_KEY?.trim() ?? '']
  const hook = deps.getInput('deploy-hook-url').trim()
  if (hook !== '') {
    secrets.push(hook)
    try {
      const url = new URL(hook)
      secrets.push(url.href, url.searchParams.get('key') ?? '')
    } catch {
      // not a URL: masked whole above; parseInputs explains without echoing it
    }
  }
  return [...new Set(secrets.filter((secret) => secret !== ''))]
}

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  const { io } = deps
  await runGuarded(io, async () => {
    // Mask before parsing: a later validation error must not be able to echo a credential.
    const secrets = rawSecrets(deps)
    for (const secret of secrets) maskSecret(io, secret)
    const inputs = parseInputs(deps.getInput, deps.env)
    await deployAndReport(deps, inputs, secrets)
  })
}

/**
 * Deploys, sets the outputs and the job summary, and throws the failure when the deploy did not
 * go live. Used by this action and by deploy.
 */
export async function deployAndReport(
  deps: Omit<Deps, 'getInput' | 'env'>,
  inputs: Inputs,
  secrets: readonly string[],
): Promise<void> {
  const { io } = deps
  const ports = {
    http: deps.http,
    sleep: deps.sleep,
    now: deps.now,
    random: deps.random,
    log: (line: string) => io.info(line),
  }
  const api =
    inputs.apiKey === undefined ? undefined : new RenderApi(inputs.apiUrl, inputs.apiKey, ports, secrets)
  const outcome = await deployToRender(inputs, { io, api, ports, secrets })

  io.setOutput('deploy-id', outcome.deployId ?? '')
  io.setOutput('status', outcome.status)
  io.setOutput('service-url', outcome.serviceUrl ?? '')
  io.setOutput('rolled-back', String(outcome.rolledBack))
  await io.appendSummary(deploySummary(outcome))
  if (outcome.failure !== undefined) throw new OperationError(outcome.failure)
}
