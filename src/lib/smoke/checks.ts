import { parseDuration } from '../duration.js'
import { ConfigurationError, errorMessage, quote } from '../errors.js'
import { asString, headersField, parseMethod, parseRegex, resolveCheckUrl } from './fields.js'
import { loadField, type LoadSpec } from './load-spec.js'
import { parseStatusSet, type StatusSet } from './status.js'

/** One HTTP check, fully resolved and validated. */
export interface Check {
  name: string
  url: URL
  method: string
  headers: Record<string, string>
  body?: string
  expectStatus: StatusSet
  expectBody?: RegExp
  expectJson?: Record<string, unknown>
  maxLatencyMs?: number
  /** Once the check passes, send it many times and hold the figures to budgets. */
  load?: LoadSpec
}

/** What a check inherits when it does not say otherwise (the action's top-level inputs). */
export interface CheckDefaults {
  baseUrl?: URL
  method: string
  headers: Record<string, string>
  expectStatus: StatusSet
  expectBody?: RegExp
  maxLatencyMs?: number
}

const KEYS = [
  'name',
  'url',
  'method',
  'headers',
  'body',
  'expect-status',
  'expect-body',
  'expect-json',
  'max-latency',
  'load',
]

function defaultName(method: string, url: URL): string {
  return `${method} ${url.pathname}${url.search}`
}

/** One check from a URL and the top-level settings. */
export function urlCheck(text: string, defaults: CheckDefaults, source: string): Check {
  const url = resolveCheckUrl(text, defaults.baseUrl, source)
  return {
    name: url.href,
    url,
    method: defaults.method,
    headers: { ...defaults.headers },
    expectStatus: defaults.expectStatus,
    expectBody: defaults.expectBody,
    maxLatencyMs: defaults.maxLatencyMs,
  }
}

/**
 * Parses a YAML or JSON list of check objects (JSON is YAML). Unknown keys are errors, so a typo
 * like `expect_status` is caught instead of silently checking the default. The YAML parser is
 * loaded only here: a step that lists plain URLs, or fails validation, never pays for it.
 */
export async function parseChecks(text: string, defaults: CheckDefaults, input: string): Promise<Check[]> {
  const { parse: parseYaml } = await import('yaml')
  let data: unknown
  try {
    data = parseYaml(text)
  } catch (error) {
    throw new ConfigurationError(
      `Input '${input}' is not valid YAML or JSON: ${errorMessage(error).split('\n')[0]}`,
    )
  }
  return checksFromData(data, defaults, input)
}

/** Validates parsed check objects (see `parseChecks`); names must be unique. */
export function checksFromData(data: unknown, defaults: CheckDefaults, input: string): Check[] {
  if (!Array.isArray(data)) {
    throw new ConfigurationError(`Input '${input}' must be a list of checks (each with at least a 'url')`)
  }
  const names = new Set<string>()
  return data.map((entry: unknown, index) => {
    return checkFromItem(entry, defaults, `Input '${input}' item ${index + 1}`, names)
  })
}

/** One check object; `where` names it in messages ("Input 'checks' item 2"); `names` are those taken. */
function checkFromItem(entry: unknown, defaults: CheckDefaults, where: string, names: Set<string>): Check {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new ConfigurationError(
      `${where} must be an object with at least a 'url' (got ${JSON.stringify(entry)})`,
    )
  }
  const item = entry as Record<string, unknown>
  const unknown = Object.keys(item).filter((key) => !KEYS.includes(key))
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `${where} has unknown key ${quote(unknown[0] ?? '')}; allowed: ${KEYS.join(', ')}`,
    )
  }
  if (item.url === undefined) throw new ConfigurationError(`${where} needs a 'url'`)
  const field = (key: string) => asString(item[key], `${where} ${key}`)
  const method = item.method === undefined ? defaults.method : parseMethod(field('method'), `${where} method`)
  const url = resolveCheckUrl(field('url'), defaults.baseUrl, `${where} url`)
  const headers = {
    ...defaults.headers,
    ...(item.headers === undefined ? {} : headersField(item.headers, `${where} headers`)),
  }
  const body = bodyField(item.body, headers, where)
  const expectJson = expectJsonField(item['expect-json'], where)
  const maxLatencyMs =
    item['max-latency'] === undefined ? defaults.maxLatencyMs : maxLatencyField(field('max-latency'), where)
  const name = item.name === undefined ? defaultName(method, url) : field('name')
  if (names.has(name))
    throw new ConfigurationError(`${where} repeats the check name ${quote(name)}; names must be unique`)
  names.add(name)
  const expectStatus =
    item['expect-status'] === undefined
      ? defaults.expectStatus
      : parseStatusSet(field('expect-status'), `${where} expect-status`)
  const expectBody =
    item['expect-body'] === undefined
      ? defaults.expectBody
      : parseRegex(field('expect-body'), `${where} expect-body`)
  const load = item.load === undefined ? undefined : loadField(item.load, `${where} (${quote(name)}) load`)
  return { name, url, method, headers, body, expectStatus, expectBody, expectJson, maxLatencyMs, load }
}

/** A check's body: text as written, or an object sent as JSON (with a JSON content type unless one is set). */
function bodyField(value: unknown, headers: Record<string, string>, where: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object') return asString(value, `${where} body`)
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/json'
  return JSON.stringify(value)
}

function expectJsonField(value: unknown, where: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigurationError(
      `${where} expect-json must map dotted paths to values, like {"status": "ok", "db.ok": true}`,
    )
  }
  return value as Record<string, unknown>
}

function maxLatencyField(text: string, where: string): number {
  const ms = parseDuration(text)
  if (ms === undefined || ms <= 0) {
    throw new ConfigurationError(
      `${where} max-latency must be a positive duration like 500ms or 2s (got ${quote(text)})`,
    )
  }
  return ms
}
