import { ConfigurationError, quote } from '../errors.js'

/** A set of acceptable HTTP statuses, from `200`, `2xx`, `200-299`, `200,301` or a mix of them. */
export interface StatusSet {
  text: string
  matches(status: number): boolean
}

const PART = /^(?:([1-5])xx|(\d{3})(?:-(\d{3}))?)$/i

export function parseStatusSet(text: string, source: string): StatusSet {
  const ranges: [number, number][] = []
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
  for (const part of parts) {
    const match = PART.exec(part)
    if (!match) {
      throw new ConfigurationError(
        `${source} must be statuses like 200, 2xx, 200-299 or 200,301 (got ${quote(text)})`,
      )
    }
    const [, klass, low, high] = match
    if (klass !== undefined) ranges.push([Number(klass) * 100, Number(klass) * 100 + 99])
    else {
      const from = Number(low)
      const to = high === undefined ? from : Number(high)
      if (from < 100 || to > 599 || from > to) {
        throw new ConfigurationError(
          `${source} has an impossible status range ${quote(part)} (statuses run 100-599)`,
        )
      }
      ranges.push([from, to])
    }
  }
  if (ranges.length === 0) throw new ConfigurationError(`${source} is empty; use e.g. 200-299`)
  return {
    text: parts.join(','),
    matches: (status) => ranges.some(([from, to]) => status >= from && status <= to),
  }
}
