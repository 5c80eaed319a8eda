import { OperationError } from '../lib/errors.js'
import { tail, type Exec } from '../lib/process/exec.js'

/** Whether the buildx plugin is installed: `docker buildx version` exits 0. */
export async function hasBuildx(exec: Exec): Promise<boolean> {
  try {
    return (await exec('docker', ['buildx', 'version'])).exitCode === 0
  } catch {
    return false
  }
}

/** The current buildx builder's driver (`docker`, `docker-container`, ...); undefined if unknown. */
export async function buildxDriver(exec: Exec): Promise<string | undefined> {
  const result = await exec('docker', ['buildx', 'inspect'])
  if (result.exitCode !== 0) return undefined
  return /^Driver:\s*(\S+)/m.exec(result.stdout)?.[1]
}

export interface ImageInfo {
  id: string
  size: number
  /** The configured user; '' means root. */
  user: string
}

export async function inspectImage(exec: Exec, image: string): Promise<ImageInfo> {
  const result = await exec('docker', ['image', 'inspect', '--format', '{{json .}}', image])
  if (result.exitCode !== 0) {
    throw new OperationError(`Cannot inspect the built image ${image}: ${tail(result.stderr, 1)}`)
  }
  const raw = JSON.parse(result.stdout) as { Id?: string; Size?: number; Config?: { User?: string } }
  return { id: raw.Id ?? image, size: raw.Size ?? 0, user: raw.Config?.User ?? '' }
}

/** Whether an image user is root: empty, `root` or uid 0 (with any group). */
export function isRootUser(user: string): boolean {
  return /^(|root|0)(:.*)?$/.test(user.trim())
}

/** The manifest digest `docker push` reports (`<tag>: digest: sha256:… size: N`). */
export function pushedDigest(output: string): string | undefined {
  const matches = [...output.matchAll(/digest: (sha256:[0-9a-f]{64})/g)]
  return matches[matches.length - 1]?.[1]
}

/** Pushes one reference and returns the digest the registry stored it under. */
export async function pushReference(
  exec: Exec,
  reference: string,
  log: (line: string) => void,
): Promise<string> {
  const result = await exec('docker', ['push', reference], { onStdout: chunkLogger(log) })
  if (result.exitCode !== 0) {
    throw new OperationError(`docker push ${reference} failed: ${tail(result.stderr || result.stdout, 1)}`)
  }
  const digest = pushedDigest(result.stdout)
  if (digest === undefined) throw new OperationError(`docker push ${reference} did not report a digest`)
  return digest
}

/** Turns streamed chunks into whole log lines. */
export function chunkLogger(log: (line: string) => void): (chunk: string) => void {
  let pending = ''
  return (chunk) => {
    pending += chunk
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) log(line.replace(/\r$/, ''))
  }
}
