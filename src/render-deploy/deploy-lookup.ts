import type { RenderDeploy } from './render-api.js'

/** Milliseconds since the epoch of a deploy's `createdAt`, or NaN when absent or malformed. */
export function createdAtMs(deploy: RenderDeploy): number {
  return deploy.createdAt === undefined ? Number.NaN : Date.parse(deploy.createdAt)
}

const newestFirst = (a: RenderDeploy, b: RenderDeploy) => createdAtMs(b) - createdAtMs(a)

/** Whether two image references name the same image, allowing Render's registry/library prefixes. */
function sameImage(a: string, b: string): boolean {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`)
}

/** Whether a deploy builds what was asked for (any deploy matches when nothing specific was). */
export function deployMatches(
  deploy: RenderDeploy,
  wanted: { commitId?: string; imageUrl?: string },
): boolean {
  if (wanted.commitId !== undefined) {
    const commit = deploy.commit?.id?.toLowerCase()
    const asked = wanted.commitId.toLowerCase()
    if (commit === undefined || !(commit.startsWith(asked) || asked.startsWith(commit))) return false
  }
  if (wanted.imageUrl !== undefined) {
    const ref = deploy.image?.ref
    if (ref !== undefined && !sameImage(ref, wanted.imageUrl)) return false
  }
  return true
}

/**
 * The deploy a trigger created, when Render answered 202 without it (or a deploy hook gave no id):
 * the newest deploy created at or after `createdAfter` that builds what was asked for.
 */
export function findTriggeredDeploy(
  deploys: readonly RenderDeploy[],
  criteria: { createdAfter: number; commitId?: string; imageUrl?: string },
): RenderDeploy | undefined {
  return deploys
    .filter((d) => createdAtMs(d) >= criteria.createdAfter && deployMatches(d, criteria))
    .sort(newestFirst)[0]
}

/**
 * Where to roll back to after `failed`: the newest deploy created before it that is still `live`
 * (a failed deploy leaves the previous one serving), else the newest `deactivated` one before it
 * (it was live once). Undefined when the service never had a live deploy before this one.
 */
export function rollbackTarget(
  deploys: readonly RenderDeploy[],
  failed: RenderDeploy,
): RenderDeploy | undefined {
  const failedAt = createdAtMs(failed)
  const earlier = deploys
    .filter((d) => d.id !== failed.id && (Number.isNaN(failedAt) || createdAtMs(d) < failedAt))
    .sort(newestFirst)
  return earlier.find((d) => d.status === 'live') ?? earlier.find((d) => d.status === 'deactivated')
}

/** The newest deploy created after `deploy`: what replaced it when it ended `deactivated`. */
export function supersedingDeploy(
  deploys: readonly RenderDeploy[],
  deploy: RenderDeploy,
): RenderDeploy | undefined {
  const at = createdAtMs(deploy)
  if (Number.isNaN(at)) return undefined
  return deploys.filter((d) => d.id !== deploy.id && createdAtMs(d) > at).sort(newestFirst)[0]
}

/** What a deploy runs, for logs: `commit abc1234 (message)`, `image ref`, or `—`. */
export function describeSource(deploy: RenderDeploy): string {
  const commit = deploy.commit
  if (commit?.id !== undefined) {
    const message = commit.message?.split('\n')[0]?.trim()
    return `commit ${commit.id.slice(0, 7)}${message ? ` (${message.length > 60 ? `${message.slice(0, 60)}…` : message})` : ''}`
  }
  const image = deploy.image
  if (image?.ref !== undefined) {
    return `image ${image.ref}${image.sha ? ` (${image.sha.slice(0, 19)})` : ''}`
  }
  return '—'
}
