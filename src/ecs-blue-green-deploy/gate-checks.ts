// The test gate's checks, through the smoke-test engine: parsed from `test-url` and `test-checks`,
// run against the test listener while the deployment pauses, and shown in the summary. The one
// module of this action that imports the smoke engine.
import { ConfigurationError } from '../lib/errors.js'
import type { HttpClient } from '../lib/http/client.js'
import type { Clock, Sleep } from '../lib/poll.js'
import type { InputReader } from '../lib/runner/inputs.js'
import {
  failureLine,
  parseChecks,
  parseStatusSet,
  resultsSummary,
  runChecks,
  urlCheck,
  type Check,
  type CheckDefaults,
  type CheckResult,
  type EngineOptions,
} from '../lib/smoke/index.js'

export type { Check, CheckResult }

/** A gate check keeps retrying for at most this long (the listener may need a moment). */
export const GATE_CHECK_TIMEOUT_MS = 60_000

/**
 * The gate's checks: `test-checks` against `test-url`, or a GET of `test-url` alone; none without
 * `test-url`. Parsed with the other inputs, before anything runs.
 */
export async function gateChecks(input: InputReader, testUrl: URL | undefined): Promise<Check[]> {
  const text = input.raw('test-checks')
  if (testUrl === undefined) {
    if (text !== undefined) {
      throw new ConfigurationError(
        `Input '${input.name('test-checks')}' needs '${input.name('test-url')}': set it to the base URL of the load balancer's test listener`,
      )
    }
    return []
  }
  const defaults: CheckDefaults = {
    baseUrl: testUrl,
    method: 'GET',
    headers: {},
    expectStatus: parseStatusSet('200-299', `Input '${input.name('test-checks')}'`),
  }
  if (text === undefined) return [urlCheck(testUrl.href, defaults, `Input '${input.name('test-url')}'`)]
  return parseChecks(text, defaults, input.name('test-checks'))
}

/** Options for the smoke-test engine when it runs the gate with `remainingMs` left before the deadline. */
export function gateEngineOptions(remainingMs: number): EngineOptions {
  return {
    timeoutMs: Math.max(1000, Math.min(GATE_CHECK_TIMEOUT_MS, remainingMs)),
    requestTimeoutMs: 10_000,
    retryIntervalMs: 1000,
    concurrency: 5,
    followRedirects: true,
    insecure: false,
  }
}

export interface GateCheckPorts {
  http: HttpClient
  sleep: Sleep
  now: Clock
  random: () => number
}

/** Runs the checks against the test listener, each retrying until it passes or its time is up. */
export function runGateChecks(
  ports: GateCheckPorts,
  checks: Check[],
  remainingMs: number,
  log: (line: string) => void,
): Promise<CheckResult[]> {
  return runChecks(checks, gateEngineOptions(remainingMs), { ...ports, log })
}

/** Why the gate failed, in one line (which checks, and what each got). */
export function gateFailure(results: readonly CheckResult[]): string {
  return `the test gate failed: ${failureLine(results)}`
}

/** The gate's checks as a job summary section. */
export function gateSummary(title: string, results: readonly CheckResult[]): string {
  return resultsSummary(title, results)
}
