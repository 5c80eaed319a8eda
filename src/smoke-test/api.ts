// smoke-test's public face: the only module of this action another action (deploy) imports.
import { failureLine, resultsSummary, runChecks, type CheckResult } from '../lib/smoke/index.js'
import type { Deps } from './deps.js'
import type { SmokeTestOptions } from './options.js'

export { parseSmokeTestOptions, smokeTestSecrets, type SmokeTestOptions } from './options.js'

/** What a run needs of the runner: the log, HTTP and time (a monotonic clock for load checks; default performance.now). */
export type SmokeTestPorts = Pick<Deps, 'io' | 'http' | 'sleep' | 'now' | 'random'> &
  Partial<Pick<Deps, 'monotonic'>>

export interface SmokeTestResult {
  passed: number
  failed: number
  /** One result per check, in the order the checks were given. */
  results: CheckResult[]
  /** The job-summary markdown: a table of the checks. */
  summary: string
  /** The failure line when any check failed; undefined when all passed. */
  failure?: string
}

/** Runs the checks; a failed check is reported in the result, not thrown. */
export async function runSmokeTest(
  ports: SmokeTestPorts,
  options: SmokeTestOptions,
): Promise<SmokeTestResult> {
  const { io } = ports
  io.info(`Running ${options.checks.length} check(s), up to ${options.engine.concurrency} at a time`)
  const results = await runChecks(options.checks, options.engine, {
    http: ports.http,
    sleep: ports.sleep,
    now: ports.now,
    random: ports.random,
    monotonic: ports.monotonic,
    log: (line) => io.info(line),
  })
  const passed = results.filter((r) => r.ok).length
  return {
    passed,
    failed: results.length - passed,
    results,
    summary: resultsSummary('Smoke test', results),
    failure: passed < results.length ? failureLine(results) : undefined,
  }
}

/** The outputs of action.yml, from a result: the one place their names appear. */
export function smokeTestOutputs(result: SmokeTestResult): Record<'passed' | 'failed' | 'results', string> {
  return {
    passed: String(result.passed),
    failed: String(result.failed),
    results: JSON.stringify(result.results),
  }
}
