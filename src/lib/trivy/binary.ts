import { accessSync, constants, existsSync, statSync } from 'node:fs'
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

const isFile = (path: string) => existsSync(path) && statSync(path).isFile()

/** Whether the process may run the file (Windows has no execute bit: there any file passes). */
function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * What a path relative to `base`, or a bare command name looked up on PATH (`trivy`), names: an
 * executable file, or why not. A directory is never found; on PATH, as a shell's lookup
 * (execvp, `command -v`) does, a file that may not be run is passed over for the next folder.
 */
export type Lookup =
  { found: string } | { missing: true } | { directory: string } | { notExecutable: string; mode: number }

export function findExecutable(name: string, base: string, env: NodeJS.ProcessEnv): Lookup {
  const direct = resolve(base, name)
  const bare = !name.includes('/') && !name.includes(sep)
  const onPath = bare
    ? (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name))
    : []
  const files = [direct, ...onPath].filter(isFile)
  const runnable = files.find(isExecutable)
  if (runnable !== undefined) return { found: runnable }
  if (files[0] !== undefined) return { notExecutable: files[0], mode: statSync(files[0]).mode }
  if (existsSync(direct) && statSync(direct).isDirectory()) return { directory: direct }
  return { missing: true }
}

/**
 * The Trivy binary `trivy-path` names (relative to the workspace, or a command on PATH), or an
 * error naming the input: a directory of that name, or a file the runner may not execute, is not
 * Trivy, and saying so here beats a scan that fails with EACCES after the image is built.
 */
export function resolveTrivyPath(
  given: string,
  workspace: string,
  env: NodeJS.ProcessEnv,
  input: string,
): string {
  const lookup = findExecutable(given, workspace, env)
  if ('found' in lookup) return lookup.found
  const names = `Input '${input}' names ${quote(given)}`
  if ('directory' in lookup) {
    throw new ConfigurationError(
      `${names}, which is a directory; expected the Trivy executable (a file relative to the workspace, or a command on PATH)`,
    )
  }
  if ('notExecutable' in lookup) {
    const mode = (lookup.mode & 0o777).toString(8).padStart(3, '0')
    throw new ConfigurationError(
      `${names}, a file the runner may not execute (mode ${mode}); make it executable (chmod +x) or point '${input}' at the Trivy binary`,
    )
  }
  throw new ConfigurationError(
    `${names}, which is neither a file (relative to the workspace) nor a command on PATH`,
  )
}
