import { parseDuration } from '../duration.js'
import { ConfigurationError, errorMessage, quote } from '../errors.js'
import { httpUrl } from '../runner/inputs.js'
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
]
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

export function parseMethod(text: string, source: string): string {
  const method = text.trim().toUpperCase()
  if (!METHODS.has(method)) {
    throw new ConfigurationError(`${source} must be one of ${[...METHODS].join(', ')} (got ${quote(text)})`)
  }
  return method
}

export function parseRegex(text: string, source: string): RegExp {
  try {
    return new RegExp(text)
  } catch (error) {
    throw new ConfigurationError(
      `${source} is not a valid regular expression: ${errorMessage(error)} (got ${quote(text)})`,
    )
  }
}

/** `Name: value` lines into headers. */
export function parseHeaderLines(lines: readonly string[], source: string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = colon > 0 ? line.slice(0, colon).trim() : ''
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new ConfigurationError(`${source} must be 'Name: value' lines (got ${quote(line)})`)
    }
    headers[name] = line.slice(colon + 1).trim()
  }
  return headers
}

/**
 * Resolves a check's URL: absolute as given, or relative to the base URL by appending its path,
 * so `/health/` against `https://example.com/app` is `https://example.com/app/health/`.
 */
export function resolveCheckUrl(text: string, base: URL | undefined, source: string): URL {
  if (/^https?:\/\//i.test(text)) return httpUrl(text, source)
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return httpUrl(text, source)
  if (base === undefined) {
    throw new ConfigurationError(`${source} ${quote(text)} is relative: make it absolute or set a base URL`)
  }
  const joined = `${base.origin}${base.pathname.replace(/\/$/, '')}/${text.replace(/^\//, '')}`
  return httpUrl(joined, source)
}

function defaultName(method: string, url: URL): string {
  return `${method} ${url.pathname}${url.search}`
}

function asString(value: unknown, source: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new ConfigurationError(`${source} must be a string (got ${JSON.stringify(value)})`)
}

function checkHeaders(value: unknown, source: string): Record<string, string> {
  if (Array.isArray(value))
    return parseHeaderLines(
      value.map((line) => asString(line, source)),
      source,
    )
  if (typeof value === 'string')
    return parseHeaderLines(
      value.split(/\r?\n/).filter((l) => l.trim()),
      source,
    )
  if (value !== null && typeof value === 'object') {
    const lines = Object.entries(value).map(([name, v]) => `${name}: ${asString(v, `${source}.${name}`)}`)
    return parseHeaderLines(lines, source)
  }
  throw new ConfigurationError(`${source} must be a map of header names to values`)
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

/** Validates parsed check objects (see `parseChecks`). */
export function checksFromData(data: unknown, defaults: CheckDefaults, input: string): Check[] {
  if (!Array.isArray(data)) {
    throw new ConfigurationError(`Input '${input}' must be a list of checks (each with at least a 'url')`)
  }
  const names = new Set<string>()
  return data.map((entry: unknown, index) => {
    const where = `Input '${input}' item ${index + 1}`
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
    const method =
      item.method === undefined
        ? defaults.method
        : parseMethod(asString(item.method, `${where} method`), `${where} method`)
    const url = resolveCheckUrl(asString(item.url, `${where} url`), defaults.baseUrl, `${where} url`)
    const headers = {
      ...defaults.headers,
      ...(item.headers === undefined ? {} : checkHeaders(item.headers, `${where} headers`)),
    }
    let body: string | undefined
    if (item.body !== undefined && item.body !== null) {
      if (typeof item.body === 'object') {
        body = JSON.stringify(item.body)
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
          headers['Content-Type'] = 'application/json'
      } else body = asString(item.body, `${where} body`)
    }
    let expectJson: Record<string, unknown> | undefined
    if (item['expect-json'] !== undefined) {
      const value = item['expect-json']
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ConfigurationError(
          `${where} expect-json must map dotted paths to values, like {"status": "ok", "db.ok": true}`,
        )
      }
      expectJson = value as Record<string, unknown>
    }
    let maxLatencyMs = defaults.maxLatencyMs
    if (item['max-latency'] !== undefined) {
      const text = asString(item['max-latency'], `${where} max-latency`)
      maxLatencyMs = parseDuration(text)
      if (maxLatencyMs === undefined || maxLatencyMs <= 0) {
        throw new ConfigurationError(
          `${where} max-latency must be a positive duration like 500ms or 2s (got ${quote(text)})`,
        )
      }
    }
    const name = item.name === undefined ? defaultName(method, url) : asString(item.name, `${where} name`)
    if (names.has(name))
      throw new ConfigurationError(`${where} repeats the check name ${quote(name)}; names must be unique`)
    names.add(name)
    return {
      name,
      url,
      method,
      headers,
      body,
      expectStatus:
        item['expect-status'] === undefined
          ? defaults.expectStatus
          : parseStatusSet(
              asString(item['expect-status'], `${where} expect-status`),
              `${where} expect-status`,
            ),
      expectBody:
        item['expect-body'] === undefined
          ? defaults.expectBody
          : parseRegex(asString(item['expect-body'], `${where} expect-body`), `${where} expect-body`),
      expectJson,
      maxLatencyMs,
    }
  })
}
