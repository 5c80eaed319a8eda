import { ConfigurationError, quote } from '../lib/errors.js'
import type { InputReader } from '../lib/runner/inputs.js'

/**
 * `cache-from` / `cache-to` as `docker buildx build` takes them: one entry per line, each either
 * `type=<exporter>,key=value,...` or a bare image reference (buildx reads it as
 * `type=registry,ref=<reference>`). The exporters and their required keys are buildx's
 * (docs.docker.com/build/cache/backends): registry needs `ref`, local needs `src` (from) or
 * `dest` (to); gha without `scope` gets the image's own scope, so a matrix of images does not
 * share (and evict) one.
 */
export const CACHE_TYPES = ['registry', 'local', 'gha', 'inline', 's3', 'azblob'] as const

function fields(entry: string): Map<string, string> | undefined {
  if (!entry.includes('=')) return undefined
  const map = new Map<string, string>()
  for (const part of entry.split(',')) {
    const eq = part.indexOf('=')
    if (eq <= 0) return new Map([['', part]])
    map.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  return map
}

function checkEntry(entry: string, inputName: string, direction: 'from' | 'to'): void {
  const map = fields(entry)
  if (map === undefined) {
    if (/\s/.test(entry)) {
      throw new ConfigurationError(
        `Input '${inputName}' entry ${quote(entry)} is not an image reference or type=...`,
      )
    }
    return
  }
  const bad = (why: string) => new ConfigurationError(`Input '${inputName}' entry ${quote(entry)} ${why}`)
  if (map.has('')) throw bad('must be comma-separated key=value pairs, e.g. type=registry,ref=…')
  const type = map.get('type')
  if (type === undefined) throw bad(`has no type=; one of ${CACHE_TYPES.join(', ')}`)
  if (!(CACHE_TYPES as readonly string[]).includes(type)) {
    throw bad(`has type=${type}; buildx's cache types are ${CACHE_TYPES.join(', ')}`)
  }
  if (type === 'registry' && !map.get('ref')) throw bad('needs ref=<repository>:<tag> (type=registry)')
  const localKey = direction === 'from' ? 'src' : 'dest'
  if (type === 'local' && !map.get(localKey)) throw bad(`needs ${localKey}=<folder> (type=local)`)
  if (type === 'inline' && direction === 'from')
    throw bad('type=inline is a cache-to type; read it back with the image reference')
}

/** The entries of one of the two inputs, checked. */
export function parseCacheEntries(
  input: InputReader,
  name: 'cache-from' | 'cache-to',
  entries: string[],
): string[] {
  for (const entry of entries) checkEntry(entry, input.name(name), name === 'cache-from' ? 'from' : 'to')
  return entries
}

/** A gha entry without its own scope gets the image's, so images built in one repository keep apart. */
export function scopedEntry(entry: string, scope: string): string {
  const map = fields(entry)
  if (map?.get('type') !== 'gha' || map.has('scope')) return entry
  return `${entry},scope=${scope}`
}

/** `provenance` / `sbom`: true, false or buildx's key=value attestation options (e.g. mode=max). */
export function parseAttestation(
  input: InputReader,
  name: 'provenance' | 'sbom',
  value: string | undefined,
): string | undefined {
  if (value === undefined) return undefined
  if (/^(true|false)$/i.test(value)) return value.toLowerCase()
  if (!value.split(',').every((part) => /^[a-z-]+=[^,=\s]+$/.test(part.trim()))) {
    throw new ConfigurationError(
      `Input '${input.name(name)}' must be true, false or buildx's key=value options, e.g. mode=max (got ${quote(value)})`,
    )
  }
  return value
}

/** An Amazon ECR repository host: <account>.dkr.ecr.<region>.amazonaws.com(.cn). */
export function isEcrImage(image: string): boolean {
  return /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(image)
}
