import { parseDuration } from '../duration.js'
import { ConfigurationError, quote } from '../errors.js'
import { parseLines, parseList } from '../list.js'

const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

/** Reads one raw input by its kebab-case name; '' when unset. */
export type GetInput = (name: string) => string

/**
 * Typed, validated access to an action's inputs. Every read goes through one of these methods
 * with the input's name as a string literal: a test scans the sources for those calls and
 * checks them against `action.yml`, so an input read here but not declared (or the reverse)
 * fails CI.
 */
export class InputReader {
  /**
   * `names` maps this action's input names to the ones the user wrote, when another action
   * (deploy) reads them under its own names: reads and error messages then use those.
   */
  constructor(
    private readonly getRaw: GetInput,
    private readonly names: Readonly<Record<string, string>> = {},
  ) {}

  /** The name the user knows this input by: its own, unless a composing action renamed it. */
  name(name: string): string {
    return this.names[name] ?? name
  }

  private get(name: string): string {
    return this.getRaw(this.name(name))
  }

  /** The trimmed value, or undefined when empty. */
  optional(name: string): string | undefined {
    const value = this.get(name).trim()
    return value === '' ? undefined : value
  }

  required(name: string, hint = ''): string {
    const value = this.optional(name)
    if (value === undefined)
      throw new ConfigurationError(`Input '${this.name(name)}' is required${hint ? `: ${hint}` : ''}`)
    return value
  }

  /** The value as written, without trimming (bodies, scripts); undefined when empty. */
  raw(name: string): string | undefined {
    const value = this.get(name)
    return value.trim() === '' ? undefined : value
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback
  }

  /** The YAML 1.2 core-schema booleans, exactly the spellings @actions/core's getBooleanInput accepts. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.optional(name)
    if (value === undefined) return fallback
    if (TRUE_VALUES.includes(value)) return true
    if (FALSE_VALUES.includes(value)) return false
    throw new ConfigurationError(
      `Input '${this.name(name)}' must be true or false (got ${quote(value)}); accepted: ${[...TRUE_VALUES, ...FALSE_VALUES].join(', ')}`,
    )
  }

  /** A duration in milliseconds; intervals and timeouts must be positive. */
  duration(name: string, fallback: string, { allowZero = false } = {}): number {
    const text = this.optional(name) ?? fallback
    const ms = parseDuration(text)
    if (ms === undefined || (!allowZero && ms <= 0)) {
      throw new ConfigurationError(
        `Input '${this.name(name)}' must be a ${allowZero ? '' : 'positive '}duration like 500ms, 30s, 10m, 1h or a number of seconds (got ${quote(text)})`,
      )
    }
    return ms
  }

  optionalDuration(name: string): number | undefined {
    return this.optional(name) === undefined ? undefined : this.duration(name, '')
  }

  positiveInt(name: string, fallback: number): number {
    const text = this.optional(name)
    if (text === undefined) return fallback
    if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
      throw new ConfigurationError(
        `Input '${this.name(name)}' must be a whole number of 1 or more (got ${quote(text)})`,
      )
    }
    return Number(text)
  }

  number(name: string, fallback: number, { min, max }: { min: number; max: number }): number {
    const text = this.optional(name)
    if (text === undefined) return fallback
    const value = Number(text)
    if (!/^-?\d+(\.\d+)?$/.test(text) || value < min || value > max) {
      throw new ConfigurationError(
        `Input '${this.name(name)}' must be a number from ${min} to ${max} (got ${quote(text)})`,
      )
    }
    return value
  }

  /** One of a fixed set of values (case-insensitive); returns the canonical spelling from `choices`. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const text = this.optional(name)
    if (text === undefined) return fallback
    const found = choices.find((choice) => choice.toLowerCase() === text.toLowerCase())
    if (found === undefined) {
      throw new ConfigurationError(
        `Input '${this.name(name)}' must be one of ${choices.join(', ')} (got ${quote(text)})`,
      )
    }
    return found
  }

  /** Items separated by newlines or commas. */
  list(name: string): string[] {
    return parseList(this.get(name))
  }

  /** Non-empty lines, for items that may contain commas. Lines starting with # are comments. */
  lines(name: string): string[] {
    return parseLines(this.get(name))
  }

  /** `KEY=VALUE` lines into an ordered record; keys must be non-empty. */
  keyValues(name: string): Record<string, string> {
    const result: Record<string, string> = {}
    for (const line of this.lines(name)) {
      const eq = line.indexOf('=')
      const key = eq > 0 ? line.slice(0, eq).trim() : ''
      if (key === '' || /\s/.test(key)) {
        throw new ConfigurationError(
          `Input '${this.name(name)}' must be KEY=VALUE lines (got ${quote(line)})`,
        )
      }
      result[key] = line.slice(eq + 1)
    }
    return result
  }

  /** An absolute http(s) URL. */
  url(name: string): URL | undefined {
    const text = this.optional(name)
    return text === undefined ? undefined : parseHttpUrl(text, this.name(name))
  }
}

/** Parses an absolute http(s) URL or raises a ConfigurationError naming the input. */
export function parseHttpUrl(text: string, input: string): URL {
  return httpUrl(text, `Input '${input}'`)
}

/** Parses an absolute http(s) URL; `label` says where it came from (e.g. "Input 'checks' item 2 url"). */
export function httpUrl(text: string, label: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigurationError(`${label} must be an absolute http(s) URL (got ${quote(text)})`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`${label} must be an http or https URL (got ${quote(text)})`)
  }
  return url
}

/** Rejects two inputs given together, before any request. */
export function exclusive(reader: InputReader, a: string, b: string): void {
  if (reader.optional(a) !== undefined && reader.optional(b) !== undefined) {
    throw new ConfigurationError(
      `Inputs '${reader.name(a)}' and '${reader.name(b)}' cannot be used together: set only one`,
    )
  }
}

/** An input reader over the runner's environment (INPUT_<NAME> with hyphens kept, upper-cased). */
export function envInput(env: NodeJS.ProcessEnv = process.env): GetInput {
  return (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? ''
}
