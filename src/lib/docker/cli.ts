import { OperationError } from '../errors.js'
import { lineWriter } from '../list.js'
import { describeEnd, tail, type Exec } from '../process/exec.js'

/**
 * Docker CLI plumbing for registries: pure argv builders (tested by tables) and thin runners
 * over `Exec` that turn a failed command into an error naming it. Every process gets an argument
 * array; the registry password only ever travels on stdin. (image.ts inspects local images,
 * builder.ts probes buildx.)
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

const DIGEST_LINE = /(?:^|\s)(\S+): digest: (sha256:[a-f0-9]{64}) size: \d+/gm

/** The manifest digest `docker push` reports (`<tag>: digest: sha256:… size: N`), for `tag` if given. */
export function parsePushDigest(output: string, tag?: string): string | undefined {
  let found: string | undefined
  for (const match of output.matchAll(DIGEST_LINE)) {
    if (tag === undefined || match[1] === tag) found = match[2]
  }
  return found
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
  const lines = log
    ? lineWriter((line) => {
        if (line.trim() !== '') log(line)
      })
    : undefined
  const result = await exec('docker', pushArgs(reference), { onStdout: lines?.push })
  lines?.flush()
  const tagName = reference.slice(reference.lastIndexOf(':') + 1)
  return {
    exitCode: result.exitCode,
    digest: result.exitCode === 0 ? parsePushDigest(result.stdout, tagName) : undefined,
    stderrTail: tail(result.stderr, 3),
    ...(result.signal ? { signal: result.signal } : {}),
  }
}

/** `docker push` that must succeed and report the digest the registry stored the image under. */
export async function pushForDigest(
  exec: Exec,
  reference: string,
  log: (line: string) => void,
): Promise<string> {
  const pushed = await push(exec, reference, log)
  if (pushed.exitCode !== 0) {
    throw new OperationError(
      `'docker image push ${reference}' ${describeEnd(pushed)}: ${pushed.stderrTail || 'no output'}`,
    )
  }
  if (pushed.digest === undefined) {
    throw new OperationError(`'docker image push ${reference}' did not report a digest`)
  }
  return pushed.digest
}
