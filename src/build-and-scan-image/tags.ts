import { ConfigurationError, quote } from '../lib/errors.js'
import type { GitContext } from '../lib/github/context.js'

/** A Docker tag: starts with a word character, then up to 127 of [A-Za-z0-9_.-]. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
/** One path component of a repository name, as the distribution spec defines it. */
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/
/** A registry host (with an optional port) as the first part of a reference. */
const HOST = /^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+|\[[0-9a-f:]+\]|[a-z0-9-]+)(?::\d+)?$/
const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/

export function isValidTag(tag: string): boolean {
  return TAG.test(tag)
}

/**
 * A branch or tag name as a Docker tag: lower case, every run of characters outside
 * [a-z0-9._-] replaced by one '-', no leading '.' or '-' (Docker refuses them), at most 128.
 */
export function slugTag(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
}

/**
 * The repository name, lower-cased and checked: `[host[:port]/]path`, without a tag or digest.
 * Docker refuses upper case in repository names, so `My-App` becomes `my-app`. `source` names
 * where it came from in messages, e.g. "Input 'image'"; `tagsInput` the input tags go in.
 */
export function normalizeImageName(image: string, source: string, tagsInput: string): string {
  const lower = image.trim().toLowerCase()
  const parts = lower.split('/')
  const last = parts[parts.length - 1] ?? ''
  if (last.includes(':') || lower.includes('@')) {
    throw new ConfigurationError(
      `${source} must be a repository name without a tag or digest, e.g. my-app or registry.example.com/team/my-app (got ${quote(image)}); put tags in '${tagsInput}'`,
    )
  }
  const hasHost = parts.length > 1 && /[.:]|^localhost$/.test(parts[0] ?? '')
  const path = hasHost ? parts.slice(1) : parts
  if ((hasHost && !HOST.test(parts[0] ?? '')) || path.length === 0 || !path.every((c) => COMPONENT.test(c))) {
    throw new ConfigurationError(
      `${source} must be a repository name of lower-case letters, digits and separators (. _ -), optionally with a registry host, e.g. my-app or registry.example.com/team/my-app (got ${quote(image)})`,
    )
  }
  return lower
}

export interface SemverTags {
  version: string
  tags: string[]
  prerelease: boolean
}

/** `v1.2.3` -> 1.2.3, 1.2, 1; a pre-release (`v1.2.3-rc.1`) gets only its full version. */
export function semverTags(tagName: string): SemverTags | undefined {
  const match = SEMVER.exec(tagName)
  if (!match) return undefined
  const [, major = '', minor = '', patch = '', pre] = match
  const core = `${major}.${minor}.${patch}`
  if (pre !== undefined) {
    const version = `${core}-${pre}`
    return { version, tags: [version], prerelease: true }
  }
  return { version: core, tags: [core, `${major}.${minor}`, major], prerelease: false }
}

export interface DerivedTags {
  tags: string[]
  /** The version label: the release version, else the branch slug or pr-<n>. */
  version: string
}

const uniq = (items: string[]) => [...new Set(items.filter((item) => item !== ''))]

/**
 * Tags from the GitHub context, as a team would name them: `sha-<7>` always; the branch slug
 * for a branch; the semver family for a `v*` tag; `pr-<n>` for a pull request; `latest` on the
 * default branch and for a stable release, never for a pre-release.
 */
export function deriveTags(context: GitContext): DerivedTags {
  const sha = (context.headSha ?? context.sha).slice(0, 7).toLowerCase()
  const shaTag = /^[0-9a-f]{7}$/.test(sha) ? `sha-${sha}` : ''
  const ref = context.ref
  if (context.pullRequest !== undefined) {
    const pr = `pr-${context.pullRequest}`
    return { tags: uniq([pr, shaTag]), version: pr }
  }
  if (ref.startsWith('refs/tags/')) {
    const name = ref.slice('refs/tags/'.length)
    const semver = semverTags(name)
    if (semver) {
      return {
        tags: uniq([...semver.tags, ...(semver.prerelease ? [] : ['latest']), shaTag]),
        version: semver.version,
      }
    }
    const slug = slugTag(name)
    return { tags: uniq([slug, shaTag]), version: slug }
  }
  if (ref.startsWith('refs/heads/')) {
    const branch = ref.slice('refs/heads/'.length)
    const slug = slugTag(branch)
    const isDefault = context.defaultBranch !== undefined && branch === context.defaultBranch
    return { tags: uniq([slug, ...(isDefault ? ['latest'] : []), shaTag]), version: slug }
  }
  return { tags: uniq([shaTag]), version: shaTag }
}

/**
 * The full references to tag the image with. Explicit `tags` entries replace the derived ones,
 * `extra` tags (`extra-tags`, plain tags) add to whichever applies;
 * each is a tag (`1.0`, `stable`) or a full reference (`registry.example.com/app:1.0`).
 * `tagsInput` is the tags input as the user knows it, for messages.
 */
export function imageReferences(
  image: string,
  explicit: readonly string[],
  derived: readonly string[],
  tagsInput: string,
  extra: readonly string[] = [],
  extraInput = 'extra-tags',
): string[] {
  const source = (input: string, entry: string) => `Input '${input}' entry ${quote(entry)}`
  const fromBase =
    explicit.length === 0
      ? derived.map((tag) => `${image}:${tag}`)
      : explicit.map((entry) => explicitReference(image, entry, source(tagsInput, entry), tagsInput))
  const added = extra.map((entry) => explicitReference(image, entry, source(extraInput, entry), extraInput))
  return uniq([...fromBase, ...added])
}

function explicitReference(image: string, entry: string, source: string, tagsInput: string): string {
  const colon = entry.lastIndexOf(':')
  const isReference = entry.includes('/') || (colon > 0 && colon > entry.lastIndexOf('/'))
  if (!isReference) {
    if (!isValidTag(entry)) throw invalidTag(source)
    return `${image}:${entry}`
  }
  if (colon <= entry.lastIndexOf('/')) {
    throw new ConfigurationError(`${source} is a reference without a tag; write name:tag or just the tag`)
  }
  const tag = entry.slice(colon + 1)
  if (!isValidTag(tag)) throw invalidTag(source)
  return `${normalizeImageName(entry.slice(0, colon), `${source}:`, tagsInput)}:${tag}`
}

function invalidTag(source: string): ConfigurationError {
  return new ConfigurationError(
    `${source} is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
  )
}
