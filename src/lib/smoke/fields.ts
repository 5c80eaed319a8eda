import { ConfigurationError, errorMessage, quote } from '../errors.js'
import { httpUrl } from '../runner/inputs.js'

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

/** A scalar of a check object as text; YAML numbers and booleans are taken as written. */
export function asString(value: unknown, source: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new ConfigurationError(`${source} must be a string (got ${JSON.stringify(value)})`)
}

/** A check's `headers`: a list of `Name: value` lines, a block of them, or a map. */
export function headersField(value: unknown, source: string): Record<string, string> {
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
