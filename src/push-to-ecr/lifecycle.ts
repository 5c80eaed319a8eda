import { ConfigurationError, quote } from '../lib/errors.js'

/** A lifecycle policy ready for PutLifecyclePolicy: its JSON text and where it came from. */
export interface LifecyclePolicy {
  text: string
  /** `keep-last:10` or the file's path, for the log and summary. */
  source: string
}

const KEEP_LAST = /^keep-last:\s*(\S*)$/i

/** A policy that expires every image but the newest `count`, tagged or not. */
export function keepLastPolicy(count: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Keep only the newest ${count} images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: count },
        action: { type: 'expire' },
      },
    ],
  })
}

/**
 * Reads the `lifecycle-policy` input: `keep-last:N`, or the path of a JSON policy file (checked
 * to be an object with a non-empty `rules` array, so a typo fails before any request). `name` is
 * the input as the user knows it.
 */
export function parseLifecyclePolicy(
  spec: string,
  readFile: (path: string) => string,
  name: string,
): LifecyclePolicy {
  const keep = KEEP_LAST.exec(spec)
  if (keep) {
    const count = keep[1] ?? ''
    if (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > 10000) {
      throw new ConfigurationError(
        `Input '${name}' keep-last needs a whole number from 1 to 10000, like keep-last:20 (got ${quote(spec)})`,
      )
    }
    return { text: keepLastPolicy(Number(count)), source: `keep-last:${Number(count)}` }
  }
  let text: string
  try {
    text = readFile(spec)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ConfigurationError(
      `Input '${name}' must be keep-last:N or the path of a JSON policy file (${quote(spec)}: ${
        code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')
      })`,
    )
  }
  let policy: unknown
  try {
    policy = JSON.parse(text)
  } catch (error) {
    throw new ConfigurationError(
      `Input '${name}': ${quote(spec)} is not valid JSON (${(error as Error).message})`,
    )
  }
  const rules = (policy as { rules?: unknown } | null)?.rules
  if (typeof policy !== 'object' || policy === null || !Array.isArray(rules) || rules.length === 0) {
    throw new ConfigurationError(
      `Input '${name}': ${quote(spec)} must hold a JSON object with a non-empty "rules" array`,
    )
  }
  return { text: JSON.stringify(policy), source: spec }
}

/** Whether two policy texts say the same thing, ignoring whitespace and key order. */
export function samePolicy(a: string, b: string): boolean {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical)
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
          .map(([k, v]) => [k, canonical(v)]),
      )
    }
    return value
  }
  try {
    return JSON.stringify(canonical(JSON.parse(a))) === JSON.stringify(canonical(JSON.parse(b)))
  } catch {
    return false
  }
}
