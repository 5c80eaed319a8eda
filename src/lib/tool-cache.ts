import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { copyFile, cp, mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { errorMessage, OperationError } from './errors.js'
import { execChecked, type Exec } from './exec.js'
import { redactUrl, type Transfer } from './transfer.js'

// The runner's tool cache, laid out exactly as @actions/tool-cache lays it out
// (`<root>/<tool>/<version>/<arch>/` plus an empty `<arch>.complete` marker beside it), so a tool
// cached by this code is found by setup-* actions and the other way round. Written here because
// @actions/tool-cache brings @actions/http-client and undici: over 1 MB of bundle.

export interface ToolCacheDirs {
  /** RUNNER_TOOL_CACHE. */
  root: string
  /** RUNNER_TEMP: downloads and extractions. */
  temp: string
}

/** The runner's directories; outside a runner (a laptop, act) both fall back to the temp dir. */
export function toolCacheDirs(env: NodeJS.ProcessEnv): ToolCacheDirs {
  return {
    root: env.RUNNER_TOOL_CACHE || join(tmpdir(), 'devops-actions-tool-cache'),
    temp: env.RUNNER_TEMP || tmpdir(),
  }
}

/** `v1.2.3` and `=1.2.3` name the same folder as `1.2.3`, as semver.clean makes them. */
export function cleanVersion(version: string): string {
  return version.trim().replace(/^[=v]+/, '')
}

/** The folder of one tool version for one architecture. */
export function toolPath(root: string, tool: string, version: string, arch: string): string {
  return join(root, tool, cleanVersion(version), arch)
}

/** The folder of a completely cached tool version, or undefined (only exact versions, no ranges). */
export function findTool(root: string, tool: string, version: string, arch: string): string | undefined {
  const folder = toolPath(root, tool, version, arch)
  return existsSync(folder) && existsSync(`${folder}.complete`) ? folder : undefined
}

export interface DownloadOptions {
  transfer: Transfer
  /** Where the file goes: a new random name inside it. */
  dir: string
  idleTimeoutMs?: number
  maxRedirects?: number
  /** Tries for a 5xx / 408 / 429 or no answer at all, `retryDelayMs` apart. */
  attempts?: number
  retryDelayMs?: number
  sleep?: (ms: number) => Promise<void>
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const retryable = (status: number) => status >= 500 || status === 408 || status === 429

/**
 * Downloads a URL to a new file and returns its path. Redirects are followed (GitHub release
 * assets redirect to a signed object-store URL); errors name the URL without its query string,
 * where signed URLs keep their credentials.
 */
export async function downloadFile(url: string, options: DownloadOptions): Promise<string> {
  const { transfer, dir, idleTimeoutMs = 60_000, maxRedirects = 10, attempts = 3 } = options
  const { retryDelayMs = 10_000, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = options
  await mkdir(dir, { recursive: true })
  const file = join(dir, randomUUID())
  for (let attempt = 1; ; attempt += 1) {
    let failure: string
    let again: boolean
    try {
      let current = url
      for (let redirects = 0; ; redirects += 1) {
        const response = await transfer({ url: current, toFile: file, idleTimeoutMs })
        const location = response.headers.location
        if (REDIRECTS.has(response.status) && location !== undefined) {
          if (redirects >= maxRedirects) throw new OperationError(`more than ${maxRedirects} redirects`)
          current = new URL(location, current).href
          continue
        }
        if (response.status === 200) return file
        failure = `HTTP ${response.status}`
        again = retryable(response.status)
        break
      }
    } catch (error) {
      failure = errorMessage(error)
      again = true
    }
    await rm(file, { force: true })
    if (!again || attempt >= attempts) {
      throw new OperationError(`Download of ${redactUrl(url)} failed: ${failure}`)
    }
    await sleep(retryDelayMs)
  }
}

/** `tar` arguments that extract a gzipped tarball into a folder; GNU tar gets the same extra flags as in @actions/tool-cache. */
export function extractTarArgs(file: string, dest: string, gnu: boolean): string[] {
  return ['xz', ...(gnu ? ['--warning=no-unknown-keyword', '--overwrite'] : []), '-C', dest, '-f', file]
}

/** Extracts a .tar.gz into a new folder under `tempDir` (or into `dest`) and returns that folder. */
export async function extractTarGz(
  exec: Exec,
  file: string,
  tempDir: string,
  dest?: string,
): Promise<string> {
  const target = dest ?? join(tempDir, randomUUID())
  await mkdir(target, { recursive: true })
  const version = await exec('tar', ['--version']).catch(() => undefined)
  const gnu = /GNU tar/i.test(version?.stdout ?? '')
  await execChecked(exec, 'tar', extractTarArgs(file, target, gnu))
  return target
}

async function freshToolPath(root: string, tool: string, version: string, arch: string): Promise<string> {
  const folder = toolPath(root, tool, version, arch)
  // A half-copied folder from an interrupted run must not survive next to a new marker.
  await rm(folder, { recursive: true, force: true })
  await rm(`${folder}.complete`, { force: true })
  await mkdir(folder, { recursive: true })
  return folder
}

/** Copies a folder's contents into the tool cache, marks it complete, and returns the cached folder. */
export async function cacheDir(
  root: string,
  source: string,
  tool: string,
  version: string,
  arch: string,
): Promise<string> {
  if (!(await stat(source)).isDirectory()) throw new OperationError(`${source} is not a directory`)
  const folder = await freshToolPath(root, tool, version, arch)
  await cp(source, folder, { recursive: true, verbatimSymlinks: true })
  await writeFile(`${folder}.complete`, '')
  return folder
}

/** Copies one file into the tool cache under `targetName`, marks it complete, and returns the cached folder. */
export async function cacheFile(
  root: string,
  source: string,
  targetName: string,
  tool: string,
  version: string,
  arch: string,
): Promise<string> {
  if (!(await stat(source)).isFile()) throw new OperationError(`${source} is not a file`)
  const folder = await freshToolPath(root, tool, version, arch)
  const target = join(folder, targetName)
  await mkdir(dirname(target), { recursive: true })
  await copyFile(source, target)
  await writeFile(`${folder}.complete`, '')
  return folder
}
