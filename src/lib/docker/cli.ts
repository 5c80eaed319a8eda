import { OperationError, quote } from '../errors.js'
import { describeEnd, tail, type Exec } from '../process/exec.js'

/**
 * Docker CLI plumbing: pure argv builders (tested by tables) and thin runners over `Exec` that
 * turn a failed command into an error naming it. Every process gets an argument array; the
 * registry password only ever travels on stdin.
 */

export const loginArgs = (registry: string, username: string): string[] => [
  'login',
  '--username',
  username,
  '--password-stdin',
  registry,
]

export const logoutArgs = (registry: string): string[] => ['logout', registry]

export const tagArgs = (source: string, target: string): string[] => ['image', 'tag', source, target]

export const pushArgs = (reference: string): string[] => ['image', 'push', reference]

export const inspectArgs = (image: string): string[] => ['image', 'inspect', '--format', '{{json .}}', image]

/** What `docker image inspect` says about a local image, as far as pushing needs it. */
export interface LocalImage {
  /** The image ID: the config digest (classic store) or the manifest digest (containerd store). */
  id: string
  repoTags: string[]
  /** `<repository>@sha256:…` for each registry this daemon pushed it to or pulled it from. */
  repoDigests: string[]
  size?: number
}

/** Parses `docker image inspect --format '{{json .}}'` output. */
export function parseInspect(stdout: string): LocalImage {
  let data: { Id?: unknown; RepoTags?: unknown; RepoDigests?: unknown; Size?: unknown }
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
  return {
    id: data.Id,
    repoTags: strings(data.RepoTags),
    repoDigests: strings(data.RepoDigests),
    size: typeof data.Size === 'number' ? data.Size : undefined,
  }
}

const DIGEST_LINE = /(?:^|\s)(\S+): digest: (sha256:[a-f0-9]{64}) size: \d+/gm

/** The manifest digest `docker push` reports (`<tag>: digest: sha256:… size: N`), for `tag` if given. */
export function parsePushDigest(output: string, tag?: string): string | undefined {
  let found: string | undefined
  for (const match of output.matchAll(DIGEST_LINE)) {
    if (tag === undefined || match[1] === tag) found = match[2]
  }
  return found
}

const NO_SUCH_IMAGE = /no such (image|object)/i

/** Inspects a local image; undefined when the daemon has no such image. */
export async function inspectImage(exec: Exec, image: string): Promise<LocalImage | undefined> {
  const result = await exec('docker', inspectArgs(image))
  if (result.exitCode === 0) return parseInspect(result.stdout)
  if (NO_SUCH_IMAGE.test(result.stderr)) return undefined
  throw new OperationError(`'docker image inspect ${image}' failed: ${tail(result.stderr, 1) || 'no output'}`)
}

/** `docker login` with the password on stdin, never on the command line. */
export async function login(exec: Exec, registry: string, username: string, password: string): Promise<void> {
  const result = await exec('docker', loginArgs(registry, username), { input: password })
  if (result.exitCode !== 0) {
    throw new OperationError(
      `'docker login ${registry}' ${describeEnd(result)}: ${tail(result.stderr, 1) || 'no output'}`,
    )
  }
}

/** `docker logout`; logging out of a registry one is not logged in to succeeds. */
export async function logout(exec: Exec, registry: string): Promise<void> {
  const result = await exec('docker', logoutArgs(registry))
  if (result.exitCode !== 0) {
    throw new OperationError(
      `'docker logout ${registry}' ${describeEnd(result)}: ${tail(result.stderr, 1) || 'no output'}`,
    )
  }
}

export async function tag(exec: Exec, source: string, target: string): Promise<void> {
  const result = await exec('docker', tagArgs(source, target))
  if (result.exitCode !== 0) {
    throw new OperationError(`'docker image tag ${source} ${target}' failed: ${tail(result.stderr, 1)}`)
  }
}

export interface PushResult {
  exitCode: number
  /** The manifest digest from the push output, when it succeeded. */
  digest?: string
  /** The last lines of stderr, for an error message. */
  stderrTail: string
  signal?: NodeJS.Signals
}

/**
 * `docker push`, streaming progress lines through `log`. A failed push is returned, not thrown,
 * so the caller can explain registry-specific refusals (e.g. an immutable tag) in its own words.
 */
export async function push(exec: Exec, reference: string, log?: (line: string) => void): Promise<PushResult> {
  let pending = ''
  const result = await exec('docker', pushArgs(reference), {
    onStdout: log
      ? (chunk) => {
          const lines = (pending + chunk).split(/\r?\n/)
          pending = lines.pop() ?? ''
          lines.filter((line) => line.trim() !== '').forEach(log)
        }
      : undefined,
  })
  if (log && pending.trim() !== '') log(pending)
  const tagName = reference.slice(reference.lastIndexOf(':') + 1)
  return {
    exitCode: result.exitCode,
    digest: result.exitCode === 0 ? parsePushDigest(result.stdout, tagName) : undefined,
    stderrTail: tail(result.stderr, 3),
    ...(result.signal ? { signal: result.signal } : {}),
  }
}
