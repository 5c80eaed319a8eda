import type { ActionIO } from '../lib/runner/io.js'
import { InputReader } from '../lib/runner/inputs.js'
import { OperationError } from '../lib/errors.js'
import type { EcrApi, RepositoryInfo } from './ecr.js'
import type { PushToEcrDestination } from './inputs.js'
import { samePolicy } from './lifecycle.js'

export interface RepositoryOutcome {
  repository: RepositoryInfo
  created: boolean
  /** What happened to the lifecycle policy, for the summary; undefined when none was asked for. */
  lifecycle?: 'applied' | 'unchanged'
}

/**
 * Finds the repository, creating it when missing (and allowed) with the requested tag
 * mutability, scan on push and AES256 encryption. An existing repository keeps its settings.
 * A requested lifecycle policy is applied in both cases, unless the repository already has
 * exactly that policy, so a re-run changes nothing.
 */
export async function ensureRepository(
  ecr: EcrApi,
  inputs: PushToEcrDestination,
  io: Pick<ActionIO, 'info'>,
): Promise<RepositoryOutcome> {
  const { repository: name, registryId } = inputs
  let repository = await ecr.describeRepository(name, registryId)
  let created = false
  if (repository === undefined) {
    if (!inputs.createRepository) {
      const input = new InputReader(() => '', inputs.names).name('create-repository')
      throw new OperationError(
        `Repository '${name}' does not exist in ${registryId ? `registry ${registryId}` : 'this account'} ` +
          `(region ${inputs.region}); create it, or set '${input}: true'`,
      )
    }
    repository = await ecr.createRepository({
      name,
      registryId,
      tagMutability: inputs.tagMutability,
      scanOnPush: inputs.scanOnPush,
    })
    created = true
    io.info(
      `Created repository ${repository.uri} (tags ${repository.tagMutability}, scan on push ${
        repository.scanOnPush ? 'on' : 'off'
      }, ${repository.encryption} encryption)`,
    )
  } else {
    io.info(
      `Repository ${repository.uri} exists (tags ${repository.tagMutability}, scan on push ${
        repository.scanOnPush ? 'on' : 'off'
      }); its settings are left as they are`,
    )
  }

  const policy = inputs.lifecyclePolicy
  if (policy === undefined) return { repository, created }
  const current = created ? undefined : await ecr.lifecyclePolicy(name, registryId)
  if (current !== undefined && samePolicy(current, policy.text)) {
    io.info(`Lifecycle policy (${policy.source}) already in place`)
    return { repository, created, lifecycle: 'unchanged' }
  }
  await ecr.putLifecyclePolicy(name, policy.text, registryId)
  io.info(`Applied lifecycle policy (${policy.source})`)
  return { repository, created, lifecycle: 'applied' }
}
