import type { TagResult } from './publish.js'
import type { RepositoryOutcome } from './repository.js'

/** What a push did: where the image is now, by tag and by digest, and the job summary. */
export interface PushToEcrResult {
  /** The registry host docker logged in to, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
  registry: string
  repository: RepositoryOutcome
  /** What happened to each tag, in the order given. */
  tags: TagResult[]
  /** `<repositoryUri>:<tag>` of each tag. */
  imageUris: string[]
  /** The manifest digest: of the first tag pushed, else of the first tag. */
  digest: string
  /** `<repositoryUri>@<digest>`: the exact image, whatever a tag points at later. */
  imageUriDigest: string
  summary: string
  /** Why the step fails; undefined when it succeeded. */
  failure?: string
}

/** The outputs of action.yml. */
export type PushToEcrOutput =
  'registry' | 'repository-uri' | 'image-uri' | 'image-uris' | 'digest' | 'image-uri-digest'

/** The step's outputs from a result: the one place the output names appear. */
export function pushToEcrOutputs(result: PushToEcrResult): Record<PushToEcrOutput, string> {
  return {
    registry: result.registry,
    'repository-uri': result.repository.repository.uri,
    'image-uri': result.imageUris[0] ?? '',
    'image-uris': result.imageUris.join('\n'),
    digest: result.digest,
    'image-uri-digest': result.imageUriDigest,
  }
}
