import { existsSync, statSync } from 'node:fs'
import { delimiter, join, resolve, sep } from 'node:path'
import { ConfigurationError, quote } from '../errors.js'

/** The Trivy release build-and-scan-image and python-quality install when `trivy-version` is not given. */
export const DEFAULT_TRIVY_VERSION = '0.67.2'

/** A release version (`0.67.2`, `v0.67.2` accepted), or an error naming the input. */
export function parseTrivyVersion(text: string | undefined, input: string): string {
  const version = (text ?? DEFAULT_TRIVY_VERSION).replace(/^v/, '')
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new ConfigurationError(
      `Input '${input}' must be a release version like ${DEFAULT_TRIVY_VERSION} (got ${quote(text ?? '')})`,
    )
  }
  return version
}

/** A path relative to `base`, or a bare command name looked up on PATH (`trivy`). */
export function findExecutable(name: string, base: string, env: NodeJS.ProcessEnv): string | undefined {
  const direct = resolve(base, name)
  if (existsSync(direct) && statSync(direct).isFile()) return direct
  if (name.includes('/') || name.includes(sep)) return undefined
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((candidate) => existsSync(candidate) && statSync(candidate).isFile())
}
