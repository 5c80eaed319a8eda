import { quote } from '../lib/errors.js'

/** One path component: lower-case letters and digits, single separators between them. */
const COMPONENT = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/

/**
 * Why `name` is not a valid ECR repository name, or undefined when it is. ECR's rules: 2–256
 * characters, lower case, `[a-z0-9._/-]`, components separated by `/`, no leading, trailing or
 * doubled separator.
 */
export function repositoryNameProblem(name: string): string | undefined {
  if (/\.amazonaws\.com(\.cn)?\//.test(name) || name.includes(':') || name.includes('@')) {
    return 'give the repository name (e.g. team/web), not an image URI or reference'
  }
  if (name.length < 2 || name.length > 256) {
    return `must be 2 to 256 characters long (got ${name.length})`
  }
  if (/[A-Z]/.test(name)) return 'must be lower case'
  const bad = /[^a-z0-9._/-]/.exec(name)
  if (bad) return `may contain only a-z, 0-9, '.', '_', '-' and '/' (found ${quote(bad[0])})`
  if (!name.split('/').every((component) => COMPONENT.test(component))) {
    return 'must not start or end with a separator, nor have two separators in a row'
  }
  return undefined
}

/** A docker tag: up to 128 characters of `[A-Za-z0-9_.-]`, not starting with '.' or '-'. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

/**
 * The tag a local image reference names: `web:1.2` → `1.2`, `web` → `latest`; undefined for an
 * image ID or a digest reference, which carry no tag.
 */
export function tagOfReference(image: string): string | undefined {
  if (image.includes('@')) return undefined
  if (/^(sha256:)?[a-f0-9]{12,64}$/.test(image)) return undefined
  const lastSlash = image.lastIndexOf('/')
  const colon = image.indexOf(':', lastSlash + 1)
  return colon === -1 ? 'latest' : image.slice(colon + 1)
}
