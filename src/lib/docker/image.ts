import { OperationError, quote } from '../errors.js'
import { tail, type Exec } from '../process/exec.js'

/** What `docker image inspect` says about a local image, as far as building and pushing need it. */
export interface LocalImage {
  /** The image ID: the config digest (classic store) or the manifest digest (containerd store). */
  id: string
  repoTags: string[]
  /** `<repository>@sha256:…` for each registry this daemon pushed it to or pulled it from. */
  repoDigests: string[]
  /** Bytes, as `docker images` counts them. */
  size?: number
  /** The configured USER (`Config.User`); empty or undefined when none is set, which means root. */
  user?: string
}

export const inspectArgs = (image: string): string[] => ['image', 'inspect', '--format', '{{json .}}', image]

/** Parses `docker image inspect --format '{{json .}}'` output. */
export function parseInspect(stdout: string): LocalImage {
  let data: { Id?: unknown; RepoTags?: unknown; RepoDigests?: unknown; Size?: unknown; Config?: unknown }
  try {
    data = JSON.parse(stdout.trim()) as typeof data
  } catch {
    throw new OperationError(`Unexpected 'docker image inspect' output: ${quote(stdout.trim())}`)
  }
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  if (typeof data.Id !== 'string') {
    throw new OperationError(`Unexpected 'docker image inspect' output: no Id`)
  }
  const user = (data.Config as { User?: unknown } | null | undefined)?.User
  return {
    id: data.Id,
    repoTags: strings(data.RepoTags),
    repoDigests: strings(data.RepoDigests),
    size: typeof data.Size === 'number' ? data.Size : undefined,
    user: typeof user === 'string' ? user : undefined,
  }
}

const NO_SUCH_IMAGE = /no such (image|object)/i

/** Inspects a local image; undefined when the daemon has no such image. */
export async function inspectImage(exec: Exec, image: string): Promise<LocalImage | undefined> {
  const result = await exec('docker', inspectArgs(image))
  if (result.exitCode === 0) return parseInspect(result.stdout)
  if (NO_SUCH_IMAGE.test(result.stderr)) return undefined
  throw new OperationError(`'docker image inspect ${image}' failed: ${tail(result.stderr, 1) || 'no output'}`)
}

/** Whether an image user is root: empty, `root` or uid 0 (with any group). */
export function isRootUser(user: string | undefined): boolean {
  return /^(|root|0)(:.*)?$/.test((user ?? '').trim())
}
