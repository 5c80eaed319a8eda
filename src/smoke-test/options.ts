import { ConfigurationError, quote } from '../lib/errors.js'
import { exclusive, InputReader, type GetInput } from '../lib/runner/inputs.js'
import {
  parseChecks,
  parseHeaderLines,
  parseMethod,
  parseRegex,
  parseStatusSet,
  urlCheck,
  type Check,
  type CheckDefaults,
  type EngineOptions,
} from '../lib/smoke/index.js'

/** Everything a smoke test run needs, validated: the checks and how to run them. */
export interface SmokeTestOptions {
  checks: Check[]
  engine: EngineOptions
}

/** The credentials as given (trimmed), undefined when unset. */
function credentials(input: InputReader): { bearerToken?: string; basicAuth?: string } {
  return { bearerToken: input.optional('bearer-token'), basicAuth: input.optional('basic-auth') }
}

/**
 * The secrets among the raw inputs, to mask before anything is parsed: the bearer token, the
 * `user:pass` of basic-auth and its password alone. (Masking each also masks its base64 form,
 * which is what an Authorization header carries.)
 */
export function smokeTestSecrets(get: GetInput, names?: Readonly<Record<string, string>>): string[] {
  const { bearerToken, basicAuth } = credentials(new InputReader(get, names))
  const secrets = [bearerToken, basicAuth, basicAuth?.slice(basicAuth.indexOf(':') + 1)]
  return [...new Set(secrets.filter((secret): secret is string => secret !== undefined && secret !== ''))]
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

/** The headers every check starts from: `headers`, then the Authorization the credentials make. */
function baseHeaders(input: InputReader, bearerToken?: string, basicAuth?: string): Record<string, string> {
  const headers = parseHeaderLines(input.lines('headers'), `Input '${input.name('headers')}'`)
  if (bearerToken !== undefined) headers.Authorization = `Bearer ${bearerToken}`
  if (basicAuth !== undefined) headers.Authorization = `Basic ${Buffer.from(basicAuth).toString('base64')}`
  return headers
}

/** What a check inherits from the top-level inputs when it does not say otherwise. */
function checkDefaults(input: InputReader, headers: Record<string, string>): CheckDefaults {
  const label = (name: string) => `Input '${input.name(name)}'`
  const expectBody = input.optional('expect-body')
  return {
    baseUrl: input.url('base-url'),
    method: parseMethod(input.string('method', 'GET'), label('method')),
    headers,
    expectStatus: parseStatusSet(input.string('expect-status', '200-299'), label('expect-status')),
    expectBody: expectBody === undefined ? undefined : parseRegex(expectBody, label('expect-body')),
    maxLatencyMs: input.optionalDuration('max-latency'),
  }
}

/** The checks of `url` and `checks`, at least one, each name once. */
async function allChecks(input: InputReader, defaults: CheckDefaults): Promise<Check[]> {
  const checks = input.list('url').map((url) => urlCheck(url, defaults, `Input '${input.name('url')}'`))
  const checksText = input.raw('checks')
  if (checksText !== undefined)
    checks.push(...(await parseChecks(checksText, defaults, input.name('checks'))))
  if (checks.length === 0)
    throw new ConfigurationError(
      `Set '${input.name('url')}' (one or more URLs) or '${input.name('checks')}' (a YAML list of checks)`,
    )
  const seen = new Set<string>()
  for (const check of checks) {
    if (seen.has(check.name))
      throw new ConfigurationError(
        `Check ${quote(check.name)} is listed twice; give each check a unique name`,
      )
    seen.add(check.name)
  }
  return checks
}

/**
 * Reads and checks every input before any request. `names` maps smoke-test's input names to a
 * composing action's (deploy's `smoke-timeout`), for reads and messages.
 */
export async function parseSmokeTestOptions(
  get: GetInput,
  names?: Readonly<Record<string, string>>,
): Promise<SmokeTestOptions> {
  const input = new InputReader(get, names)
  const { bearerToken, basicAuth } = credentials(input)
  exclusive(input, 'bearer-token', 'basic-auth')
  if (basicAuth !== undefined && !basicAuth.includes(':')) {
    throw new ConfigurationError(
      `Input '${input.name('basic-auth')}' must be user:password (got a value without ':')`,
    )
  }
  const defaults = checkDefaults(input, baseHeaders(input, bearerToken, basicAuth))
  const checks = await allChecks(input, defaults)
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
