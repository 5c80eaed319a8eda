import type { LocalImage } from '../lib/docker/image.js'
import type { RemoteImage, RemoteManifest } from './ecr.js'

/** What to do with one tag, decided before anything is pushed. */
export type TagPlan =
  | { action: 'push' }
  | { action: 'replace'; previousDigest: string }
  | { action: 'skip'; digest: string }
  | { action: 'conflict'; digest: string }

/** The config digest of a single-platform manifest (docker v2 or OCI), if it is one. */
export function configDigest(manifest: RemoteManifest | undefined): string | undefined {
  if (!manifest) return undefined
  try {
    const parsed = JSON.parse(manifest.manifest) as { config?: { digest?: unknown } }
    return typeof parsed.config?.digest === 'string' ? parsed.config.digest : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether the image already in the repository is the local one. The manifest digest is only
 * known after a push, so identity is decided by what both sides already know: the image ID
 * equals the remote config digest (classic image store) or manifest digest (containerd store),
 * or this daemon recorded the remote digest for this repository when it last pushed.
 */
export function isSameImage(
  local: LocalImage,
  repositoryUri: string,
  remote: RemoteImage,
  manifest: RemoteManifest | undefined,
): boolean {
  return (
    local.id === remote.digest ||
    local.id === configDigest(manifest) ||
    local.repoDigests.includes(`${repositoryUri}@${remote.digest}`)
  )
}

/**
 * Re-running a workflow must be safe: a tag already holding this image is skipped; on an
 * IMMUTABLE repository a tag holding another image is a conflict to report, not to push into.
 * (IMMUTABLE_WITH_EXCLUSION is left to the registry: only it knows which tags are excluded.)
 */
export function planTag(remote: RemoteImage | undefined, same: boolean, tagMutability: string): TagPlan {
  if (remote === undefined) return { action: 'push' }
  if (same) return { action: 'skip', digest: remote.digest }
  if (tagMutability === 'IMMUTABLE') return { action: 'conflict', digest: remote.digest }
  return { action: 'replace', previousDigest: remote.digest }
}
