import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage, OperationError } from '../errors.js'
import { redactUrl } from '../http/client.js'

/** Where Trivy's releases are downloaded from. */
export const TRIVY_RELEASES = 'https://github.com/aquasecurity/trivy/releases/download'

/**
 * Overrides the releases URL, for a mirror inside a network without access to GitHub (and for
 * this action's own tests). The checksums file is read from the same place, so the mirror must
 * be one you trust as much as GitHub.
 */
export const MIRROR_ENV = 'TRIVY_DOWNLOAD_MIRROR'

const OS: Partial<Record<NodeJS.Platform, string>> = { linux: 'Linux', darwin: 'macOS', freebsd: 'FreeBSD' }
const ARCH: Partial<Record<string, string>> = {
  x64: '64bit',
  arm64: 'ARM64',
  arm: 'ARM',
  ia32: '32bit',
  ppc64: 'PPC64LE',
  s390x: 's390x',
}

/** The release asset for a platform: `trivy_0.67.2_Linux-64bit.tar.gz`. */
export function trivyAsset(version: string, platform: NodeJS.Platform, arch: string): string {
  const os = OS[platform]
  const cpu = ARCH[arch]
  if (os === undefined || cpu === undefined) {
    throw new OperationError(
      `No Trivy release is published for ${platform}/${arch} as a tarball; install Trivy yourself and set 'trivy-path'`,
    )
  }
  return `trivy_${version}_${os}-${cpu}.tar.gz`
}

/** The SHA-256 the checksums file lists for an asset (`<hex>  <name>` lines). */
export function expectedChecksum(checksums: string, asset: string): string | undefined {
  for (const line of checksums.split(/\r?\n/)) {
    const match = /^([0-9a-f]{64})\s+\*?(\S+)$/i.exec(line.trim())
    if (match && match[2] === asset) return match[1]?.toLowerCase()
  }
  return undefined
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}

export interface InstallOptions {
  version: string
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  arch: string
  /** Where the tool cache goes outside a runner. */
  tempDir: string
  log: (line: string) => void
}

/**
 * @actions/tool-cache asserts that RUNNER_TOOL_CACHE and RUNNER_TEMP are set, which only a
 * runner does; outside one (a laptop, a bundle run by hand) both point into the temp dir.
 */
function ensureRunnerDirs(env: NodeJS.ProcessEnv, tempDir: string): void {
  env.RUNNER_TOOL_CACHE ||= join(tempDir, 'devops-actions-tool-cache')
  env.RUNNER_TEMP ||= tempDir
}

/** An error as the tool cache raised it, with the URL's query (a signed URL's credentials) left out. */
function downloadProblem(error: unknown): string {
  const status = (error as { httpStatusCode?: unknown }).httpStatusCode
  return typeof status === 'number' ? `HTTP ${status}` : errorMessage(error)
}

/**
 * Installs a Trivy release into the runner's tool cache (@actions/tool-cache: the layout
 * setup-* actions share, downloads retried and redirects followed) and returns the binary's
 * path. A cached copy is used as is; otherwise the tarball and the release's checksums file are
 * downloaded and the tarball is refused unless its SHA-256 matches: the tool cache checks no
 * checksum, so that check is ours.
 */
export async function installTrivy(options: InstallOptions): Promise<string> {
  const { version, env, platform, arch, log } = options
  ensureRunnerDirs(env, options.tempDir)
  const tc = await import('@actions/tool-cache')
  const cached = tc.find('trivy', version, arch)
  if (cached) {
    log(`Trivy ${version} found in the tool cache`)
    return join(cached, 'trivy')
  }
  const asset = trivyAsset(version, platform, arch)
  const base = (env[MIRROR_ENV] || TRIVY_RELEASES).replace(/\/+$/, '')
  const url = `${base}/v${version}/${asset}`
  const checksumsUrl = `${base}/v${version}/trivy_${version}_checksums.txt`
  log(`Downloading ${url}`)
  let tarball: string
  let checksumsFile: string
  try {
    tarball = await tc.downloadTool(url)
  } catch (error) {
    throw new OperationError(
      `Cannot download Trivy ${version} from ${redactUrl(url)}: ${downloadProblem(error)}`,
    )
  }
  try {
    checksumsFile = await tc.downloadTool(checksumsUrl)
  } catch (error) {
    await rm(tarball, { force: true })
    throw new OperationError(
      `Cannot download Trivy ${version}'s checksums from ${redactUrl(checksumsUrl)}: ${downloadProblem(error)}`,
    )
  }
  try {
    const expected = expectedChecksum(await readFile(checksumsFile, 'utf8'), asset)
    if (expected === undefined) {
      throw new OperationError(
        `Trivy ${version}'s checksums file does not list ${asset}; refusing to install it`,
      )
    }
    const actual = await sha256File(tarball)
    if (actual !== expected) {
      throw new OperationError(
        `Checksum mismatch for ${asset}: expected sha256 ${expected}, got ${actual}; refusing to install it`,
      )
    }
    log(`Verified ${asset} (sha256 ${actual})`)
    const extracted = await tc.extractTar(tarball)
    const dir = await tc.cacheFile(join(extracted, 'trivy'), 'trivy', 'trivy', version, arch)
    await rm(extracted, { recursive: true, force: true })
    return join(dir, 'trivy')
  } finally {
    await rm(tarball, { force: true })
    await rm(checksumsFile, { force: true })
  }
}
