import { inspectImage } from '../lib/docker/image.js'
import { OperationError } from '../lib/errors.js'
import type { PushToEcrPorts } from './deps.js'
import type { PushToEcrOptions } from './inputs.js'
import { dockerLogin, ecrCredentials } from './login.js'
import { publishTags } from './publish.js'
import { ensureRepository } from './repository.js'
import type { PushToEcrResult } from './result.js'
import { pushSummary } from './summary.js'

/**
 * Everything after the inputs are valid: find the local image, make sure the repository exists,
 * log in (saving the registry as state first, so a post step logs out even after a failure
 * half-way), push every tag and write the job summary. Used by push-to-ecr and by deploy, which
 * logs in before its build (logInToEcr) and passes that login in `options.login`.
 */
export async function runPushToEcr(
  ports: PushToEcrPorts,
  options: PushToEcrOptions,
): Promise<PushToEcrResult> {
  const { io, exec } = ports
  const local = await inspectImage(exec, options.image)
  if (local === undefined) {
    throw new OperationError(
      `Local image '${options.image}' not found: build or load it before this step (docker image ls lists what the daemon has)`,
    )
  }

  const ecr = await ports.ecr(options.region)
  const login = options.login ?? (await ecrCredentials(io, ecr, options.registryId))

  const outcome = await io.group(`Repository ${options.repository}`, () => ensureRepository(ecr, options, io))
  const { repository } = outcome

  if (options.login === undefined) await dockerLogin(ports, login)
  else io.info(`Pushing with the login to ${login.registry} made before the build`)

  const tags = await io.group(`Push ${options.image} to ${repository.uri}`, () =>
    publishTags(ecr, exec, io, {
      image: options.image,
      local,
      repository,
      registryId: options.registryId,
      tags: options.tags,
    }),
  )

  const digests = [...new Set(tags.map((r) => r.digest))]
  const digest = (tags.find((r) => r.result !== 'skipped') ?? tags[0])?.digest ?? ''
  if (digests.length > 1) {
    io.notice(`The tags point at different manifests (${digests.join(', ')}); 'digest' is ${digest}`)
  }
  return {
    registry: login.registry,
    repository: outcome,
    tags,
    imageUris: tags.map((r) => r.imageUri),
    digest,
    imageUriDigest: `${repository.uri}@${digest}`,
    summary: pushSummary(login.registry, outcome, tags, digest, options.lifecyclePolicy?.source),
  }
}
