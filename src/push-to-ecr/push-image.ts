import type { ActionIO } from '../lib/runner/io.js'
import * as docker from '../lib/docker/cli.js'
import { OperationError } from '../lib/errors.js'
import type { Exec } from '../lib/process/exec.js'
import { decodeAuthorization } from './auth.js'
import type { EcrApi } from './ecr.js'
import type { Inputs } from './inputs.js'
import { publishTags } from './publish.js'
import { ensureRepository } from './repository.js'
import { pushSummary } from './summary.js'

/** State names shared by the main and post steps (the runner hands state back as STATE_<name>). */
export const STATE = { isPost: 'isPost', registry: 'registry' } as const

export interface PushPorts {
  io: ActionIO
  exec: Exec
  /** An ECR API for a region; the real one imports the SDK only when called. */
  ecr: (region: string) => Promise<EcrApi>
}

/** The action's outputs, in the order it sets them. */
export interface PushOutputs {
  registry: string
  'repository-uri': string
  'image-uri': string
  'image-uris': string
  digest: string
  'image-uri-digest': string
}

/**
 * Everything after the inputs are valid: find the local image, make sure the repository exists,
 * log in (saving the registry as state first, so a post step logs out even after a failure
 * half-way), push every tag and write the job summary. Used by push-to-ecr and by deploy.
 */
export async function pushImage(ports: PushPorts, inputs: Inputs): Promise<PushOutputs> {
  const { io, exec } = ports
  const local = await docker.inspectImage(exec, inputs.image)
  if (local === undefined) {
    throw new OperationError(
      `Local image '${inputs.image}' not found: build or load it before this step (docker image ls lists what the daemon has)`,
    )
  }

  const ecr = await ports.ecr(inputs.region)
  const login = decodeAuthorization(io, await ecr.authorizationData(inputs.registryId))

  const outcome = await io.group(`Repository ${inputs.repository}`, () => ensureRepository(ecr, inputs, io))
  const { repository } = outcome

  io.saveState(STATE.registry, login.registry)
  await io.group(`Log in to ${login.registry}`, async () => {
    await docker.login(exec, login.registry, login.username, login.password)
    io.info(`Logged in to ${login.registry}`)
  })

  const results = await io.group(`Push ${inputs.image} to ${repository.uri}`, () =>
    publishTags(ecr, exec, io, {
      image: inputs.image,
      local,
      repository,
      registryId: inputs.registryId,
      tags: inputs.tags,
    }),
  )

  const digests = [...new Set(results.map((r) => r.digest))]
  const digest = (results.find((r) => r.result !== 'skipped') ?? results[0])?.digest ?? ''
  if (digests.length > 1) {
    io.notice(`The tags point at different manifests (${digests.join(', ')}); 'digest' is ${digest}`)
  }
  await io.appendSummary(
    pushSummary(login.registry, outcome, results, digest, inputs.lifecyclePolicy?.source),
  )
  return {
    registry: login.registry,
    'repository-uri': repository.uri,
    'image-uri': results[0]?.imageUri ?? '',
    'image-uris': results.map((r) => r.imageUri).join('\n'),
    digest,
    'image-uri-digest': `${repository.uri}@${digest}`,
  }
}

/** Logs out of the registry a main step logged in to (read from its saved state). A failed logout only warns. */
export async function logoutOfSavedRegistry(ports: Pick<PushPorts, 'io' | 'exec'>): Promise<void> {
  const { io } = ports
  const registry = io.getState(STATE.registry)
  if (registry === '') {
    io.info('No registry login to undo')
    return
  }
  try {
    await docker.logout(ports.exec, registry)
    io.info(`Logged out of ${registry}`)
  } catch (error) {
    io.warning(`Could not log out of ${registry}: ${(error as Error).message}`)
  }
}
