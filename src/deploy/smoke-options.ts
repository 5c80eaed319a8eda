import { parseSmokeTestOptions, type SmokeTestOptions } from '../smoke-test/api.js'
import type { GetInput } from '../lib/runner/inputs.js'
import { phaseInputs, SMOKE_NAMES } from './names.js'

export interface SmokePlan {
  /** The checks as given (validated), when they do not depend on the deployed service's URL. */
  inputs?: SmokeTestOptions
  /** Parses the smoke-test inputs against a base URL known only after the deploy (Render's service URL). */
  withServiceUrl: (serviceUrl: string) => Promise<SmokeTestOptions>
  /** The first `url`, reported as the `url` output. */
  url?: string
}

/** The first of deploy's `url`s: the base relative `checks` URLs resolve against, and the `url` output. */
export function firstUrl(get: GetInput): string | undefined {
  return (
    get('url')
      .split(/[\n,]/)
      .map((url) => url.trim())
      .find((url) => url !== '') ?? undefined
  )
}

/**
 * smoke-test's options under deploy's names (`smoke-timeout`), with the base URL deploy works
 * out: its first `url`, else the deployed service's. With neither `url` nor `checks`, the check
 * is a GET of the service's URL.
 */
export function parseSmoke(get: GetInput, serviceUrl?: string): Promise<SmokeTestOptions> {
  const noChecks = get('url').trim() === '' && get('checks').trim() === ''
  const fallback = {
    'base-url': firstUrl(get) ?? serviceUrl,
    url: noChecks ? serviceUrl : undefined,
  }
  return parseSmokeTestOptions(phaseInputs(get, SMOKE_NAMES, fallback), SMOKE_NAMES)
}
