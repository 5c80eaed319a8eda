import { errorMessage, OperationError } from '../lib/errors.js'
import type { EcrApi, RemoteImage, RepositoryInfo } from '../push-to-ecr/api.js'
import { COMMIT_TAG } from './tags.js'

/**
 * The tag the ECS target pushes for this commit, when it can be known before the build: the
 * tags are derived from the git context (the user gave none) and they include `sha-<7>`.
 * Explicit tags are the user's to manage, so they are never looked up.
 */
export function commitTag(derivedTags: readonly string[], userGaveTags: boolean): string | undefined {
  if (userGaveTags) return undefined
  return derivedTags.find((tag) => COMMIT_TAG.test(tag))
}

/** What ECR holds for the commit's tag: either may be missing ("not there yet"). */
export interface CommitImageLookup {
  tag: string
  repository?: RepositoryInfo
  image?: RemoteImage
}

export type ImagePlan =
  | { action: 'build' }
  | {
      action: 'reuse'
      /** `<repositoryUri>:sha-<7>`, the `image-uri` output. */
      imageUri: string
      /** `<repositoryUri>@<digest>`, what is deployed. */
      imageUriDigest: string
      /** Why building and pushing are skipped, for the log and the summary. */
      why: string
    }

/**
 * Re-running a deploy of the same commit must succeed: a rebuild makes a new image (the
 * builder stamps creation times), which the IMMUTABLE repository refuses under the same tag.
 * So an image already pushed under the commit's tag is deployed as it is.
 */
export function planImage(lookup: CommitImageLookup): ImagePlan {
  const { tag, repository, image } = lookup
  if (repository === undefined || image === undefined) return { action: 'build' }
  return {
    action: 'reuse',
    imageUri: `${repository.uri}:${tag}`,
    imageUriDigest: `${repository.uri}@${image.digest}`,
    why: `${tag} is already in ${repository.uri} at ${image.digest}: built, scanned and pushed by an earlier run; deploying it`,
  }
}

/** Looks the commit's tag up in the repository; any answer but "not found" fails, naming the AWS call. */
export async function lookUpCommitImage(
  ecr: EcrApi,
  repository: string,
  tag: string,
  registryId?: string,
): Promise<CommitImageLookup> {
  try {
    const info = await ecr.describeRepository(repository, registryId)
    if (info === undefined) return { tag }
    return { tag, repository: info, image: await ecr.imageByTag(repository, tag, registryId) }
  } catch (error) {
    throw new OperationError(
      `Could not tell whether ${tag} is already in ECR repository '${repository}': ${errorMessage(error)}`,
    )
  }
}
