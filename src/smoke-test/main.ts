import { runGuarded } from '../lib/runner/failure.js'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import { maskBasicAuth, maskSecret } from '../lib/runner/secrets.js'
import { runChecks } from '../lib/smoke/engine.js'
import { failureLine, resultsSummary } from '../lib/smoke/report.js'
import { OperationError } from '../lib/errors.js'
import { parseInputs, type Inputs } from './inputs.js'

export type Deps = RunnerPorts

export function defaultDeps(): Deps {
  return realPorts()
}

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  const { io } = deps
  await runGuarded(io, async () => {
    // Mask before parsing: a later validation error must not be able to echo a credential.
    maskSecret(io, deps.getInput('bearer-token').trim())
    maskBasicAuth(io, deps.getInput('basic-auth').trim())
    const inputs = await parseInputs(deps.getInput)
    await smokeTest(deps, inputs)
  })
}

/**
 * Runs the checks, sets the outputs and the job summary, and throws the failure line when any
 * check failed. Used by this action and by deploy.
 */
export async function smokeTest(deps: Omit<Deps, 'getInput'>, inputs: Inputs): Promise<void> {
  const { io } = deps
  io.info(`Running ${inputs.checks.length} check(s), up to ${inputs.engine.concurrency} at a time`)
  const results = await runChecks(inputs.checks, inputs.engine, {
    http: deps.http,
    sleep: deps.sleep,
    now: deps.now,
    random: deps.random,
    log: (line) => io.info(line),
  })
  const passed = results.filter((r) => r.ok).length
  io.setOutput('passed', String(passed))
  io.setOutput('failed', String(results.length - passed))
  io.setOutput('results', JSON.stringify(results))
  await io.appendSummary(resultsSummary('Smoke test', results))
  if (passed < results.length) throw new OperationError(failureLine(results))
}
