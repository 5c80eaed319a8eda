import type { HttpResponse } from '../http/client.js'
import type { Check } from './checks.js'
import { jsonEqual, valueAtPath } from './json-path.js'

const BODY_PREVIEW = 200

/** Why one attempt did not pass, or undefined when it did. */
export function evaluate(check: Check, response: HttpResponse, latencyMs: number): string | undefined {
  const preview = () => {
    const body = response.body.slice(0, BODY_PREVIEW).replace(/\s+/g, ' ').trim()
    return body === '' ? 'an empty body' : `body '${body}${response.body.length > BODY_PREVIEW ? '…' : ''}'`
  }
  if (!check.expectStatus.matches(response.status)) {
    return `expected status ${check.expectStatus.text}, got ${response.status} with ${preview()}`
  }
  if (check.expectBody && !check.expectBody.test(response.body)) {
    return `expected body to match /${check.expectBody.source}/, got ${preview()}`
  }
  if (check.expectJson) {
    let data: unknown
    try {
      data = JSON.parse(response.body)
    } catch {
      return `expected a JSON body, got ${preview()}`
    }
    for (const [path, expected] of Object.entries(check.expectJson)) {
      const actual = valueAtPath(data, path)
      if (!jsonEqual(actual, expected)) {
        return `expected JSON ${path} = ${JSON.stringify(expected)}, got ${actual === undefined ? 'nothing' : JSON.stringify(actual)}`
      }
    }
  }
  if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
    return `expected a response within ${check.maxLatencyMs}ms, took ${latencyMs}ms`
  }
  return undefined
}
