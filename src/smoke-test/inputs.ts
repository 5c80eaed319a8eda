import { ConfigurationError, quote } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import {
  parseChecks,
  parseHeaderLines,
  parseMethod,
  parseRegex,
  urlCheck,
  type Check,
  type CheckDefaults,
} from '../lib/smoke/checks.js'
import type { EngineOptions } from '../lib/smoke/engine.js'
import { parseStatusSet } from '../lib/smoke/status.js'

export interface Inputs {
  checks: Check[]
  engine: EngineOptions
}

/** Every form a credential can take on the wire, to keep it out of messages. */
function credentialForms(bearerToken?: string, basicAuth?: string): string[] {
  const forms: string[] = []
  if (bearerToken !== undefined) forms.push(bearerToken)
  if (basicAuth !== undefined) {
    forms.push(basicAuth, Buffer.from(basicAuth).toString('base64'))
    const password = basicAuth.slice(basicAuth.indexOf(':') + 1)
    if (password !== '') forms.push(password)
  }
  return forms
}

export async function parseInputs(get: GetInput): Promise<Inputs> {
  const input = new InputReader(get)
  const bearerToken = input.optional('bearer-token')
  const basicAuth = input.optional('basic-auth')
  if (bearerToken !== undefined && basicAuth !== undefined) {
    throw new ConfigurationError(
      "Inputs 'bearer-token' and 'basic-auth' cannot be used together: set only one",
    )
  }
  if (basicAuth !== undefined && !basicAuth.includes(':')) {
    throw new ConfigurationError("Input 'basic-auth' must be user:password (got a value without ':')")
  }
  const headers = parseHeaderLines(input.lines('headers'), "Input 'headers'")
  if (bearerToken !== undefined) headers.Authorization = `Bearer ${bearerToken}`
  if (basicAuth !== undefined) headers.Authorization = `Basic ${Buffer.from(basicAuth).toString('base64')}`

  const expectBody = input.optional('expect-body')
  const defaults: CheckDefaults = {
    baseUrl: input.url('base-url'),
    method: parseMethod(input.string('method', 'GET'), "Input 'method'"),
    headers,
    expectStatus: parseStatusSet(input.string('expect-status', '200-299'), "Input 'expect-status'"),
    expectBody: expectBody === undefined ? undefined : parseRegex(expectBody, "Input 'expect-body'"),
    maxLatencyMs: input.optionalDuration('max-latency'),
  }
  const checks = input.list('url').map((url) => urlCheck(url, defaults, "Input 'url'"))
  const checksText = input.raw('checks')
  if (checksText !== undefined) checks.push(...(await parseChecks(checksText, defaults, 'checks')))
  if (checks.length === 0)
    throw new ConfigurationError("Set 'url' (one or more URLs) or 'checks' (a YAML list of checks)")
  const seen = new Set<string>()
  for (const check of checks) {
    if (seen.has(check.name))
      throw new ConfigurationError(
        `Check ${quote(check.name)} is listed twice; give each check a unique name`,
      )
    seen.add(check.name)
  }

  const engine: EngineOptions = {
    timeoutMs: input.duration('timeout', '60s'),
    requestTimeoutMs: input.duration('request-timeout', '10s'),
    retryIntervalMs: input.duration('retry-interval', '1s'),
    concurrency: input.positiveInt('concurrency', 5),
    followRedirects: input.boolean('follow-redirects', true),
    insecure: input.boolean('insecure', false),
    secrets: credentialForms(bearerToken, basicAuth),
  }
  return { checks, engine }
}
