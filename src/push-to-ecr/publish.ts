import type { ActionIO } from '../lib/runner/io.js'
import * as docker from '../lib/docker/cli.js'
import type { LocalImage } from '../lib/docker/image.js'
import { OperationError } from '../lib/errors.js'
import { describeEnd, type Exec } from '../lib/process/exec.js'
import type { EcrApi, RepositoryInfo } from './ecr.js'
import { isSameImage, planTag, type TagPlan } from './plan.js'

export interface TagResult {
  tag: string
  imageUri: string
  /** pushed: new tag; replaced: moved from another image (MUTABLE); skipped: already this image. */
  result: 'pushed' | 'replaced' | 'skipped'
  digest: string
  previousDigest?: string
}

const IMMUTABLE_REFUSAL = /already exists.*cannot be overwritten|immutable/i

function conflictError(repository: RepositoryInfo, tag: string, digest: string): OperationError {
  return new OperationError(
    `Tag '${tag}' already exists in IMMUTABLE repository '${repository.name}' at ${digest}, ` +
      'and the local image is a different one. Push under a new tag (e.g. the commit SHA), ' +
      'or delete that tag from the repository if it is really meant to move.',
  )
}

/**
 * Decides every tag first (so an IMMUTABLE conflict stops the run before anything is pushed),
 * then tags and pushes the ones that need it, and confirms each pushed digest with ECR.
 */
export async function publishTags(
  ecr: EcrApi,
  exec: Exec,
  io: Pick<ActionIO, 'info' | 'notice'>,
  options: {
    image: string
    local: LocalImage
    repository: RepositoryInfo
    registryId?: string
    tags: string[]
  },
): Promise<TagResult[]> {
  const { repository, local, registryId } = options
  const plans: { tag: string; plan: TagPlan }[] = []
  for (const tag of options.tags) {
    const remote = await ecr.imageByTag(repository.name, tag, registryId)
    const manifest =
      remote === undefined || local.id === remote.digest
        ? undefined
        : await ecr.manifestByTag(repository.name, tag, registryId)
    const same = remote !== undefined && isSameImage(local, repository.uri, remote, manifest)
    const plan = planTag(remote, same, repository.tagMutability)
    if (plan.action === 'conflict') throw conflictError(repository, tag, plan.digest)
    plans.push({ tag, plan })
  }

  const results: TagResult[] = []
  for (const { tag, plan } of plans) {
    const imageUri = `${repository.uri}:${tag}`
    if (plan.action === 'skip') {
      io.notice(`${imageUri} already holds this image (${plan.digest}): skipped`)
      results.push({ tag, imageUri, result: 'skipped', digest: plan.digest })
      continue
    }
    await docker.tag(exec, options.image, imageUri)
    io.info(`Pushing ${imageUri}`)
    const pushed = await docker.push(exec, imageUri, (line) => io.info(line))
    if (pushed.exitCode !== 0) {
      if (IMMUTABLE_REFUSAL.test(pushed.stderrTail)) {
        const remote = await ecr.imageByTag(repository.name, tag, registryId)
        throw conflictError(repository, tag, remote?.digest ?? 'another digest')
      }
      throw new OperationError(
        `'docker push ${imageUri}' ${describeEnd(pushed)}: ${pushed.stderrTail || 'no output'}`,
      )
    }
    const confirmed = await ecr.imageByTag(repository.name, tag, registryId)
    if (confirmed === undefined) {
      throw new OperationError(`Pushed ${imageUri}, but ECR does not list tag '${tag}' (ecr:DescribeImages)`)
    }
    if (pushed.digest !== undefined && pushed.digest !== confirmed.digest) {
      throw new OperationError(
        `Pushed ${imageUri} as ${pushed.digest}, but ECR lists tag '${tag}' at ${confirmed.digest}: ` +
          'another job may have pushed the same tag at the same time',
      )
    }
    results.push({
      tag,
      imageUri,
      result: plan.action === 'replace' ? 'replaced' : 'pushed',
      digest: confirmed.digest,
      previousDigest: plan.action === 'replace' ? plan.previousDigest : undefined,
    })
    io.info(`${imageUri}: ${confirmed.digest}`)
  }
  return results
}
