import { readFileSync } from 'node:fs'
import { awsClientConfig } from '../lib/aws.js'
import { actionsCore, type ActionIO } from '../lib/core.js'
import * as docker from '../lib/docker.js'
import { OperationError } from '../lib/errors.js'
import { exec as realExec, type Exec } from '../lib/exec.js'
import { runGuarded } from '../lib/failure.js'
import { envInput, type GetInput } from '../lib/inputs.js'
import { decodeAuthorization } from './auth.js'
import { ecrApi, type EcrApi } from './ecr.js'
import { parseInputs } from './inputs.js'
import { publishTags } from './publish.js'
import { ensureRepository } from './repository.js'
import { pushSummary } from './summary.js'

export interface Deps {
  io: ActionIO
  getInput: GetInput
  env: NodeJS.ProcessEnv
  exec: Exec
  readFile: (path: string) => string
  /** An ECR API for a region; the real one imports the SDK only when called. */
  ecr: (region: string) => Promise<EcrApi>
}

export function defaultDeps(): Deps {
  return {
    io: actionsCore(),
    getInput: envInput(),
    env: process.env,
    exec: realExec,
    readFile: (path) => readFileSync(path, 'utf8'),
    ecr: async (region) => {
      const sdk = await import('@aws-sdk/client-ecr')
      return ecrApi(new sdk.ECRClient(awsClientConfig(region)), sdk)
    },
  }
}

/** State names shared by the main and post steps (the runner hands state back as STATE_<name>). */
export const STATE = { isPost: 'isPost', registry: 'registry' } as const

/** One bundle serves both steps: main saves `isPost`, so the post step finds it set. */
export async function run(deps: Deps = defaultDeps()): Promise<void> {
  if (deps.io.getState(STATE.isPost) === 'true') await runPost(deps)
  else await runMain(deps)
}

export async function runMain(deps: Deps): Promise<void> {
  const { io } = deps
  io.saveState(STATE.isPost, 'true')
  await runGuarded(io, async () => {
    const inputs = parseInputs(deps.getInput, { env: deps.env, readFile: deps.readFile })

    const local = await docker.inspectImage(deps.exec, inputs.image)
    if (local === undefined) {
      throw new OperationError(
        `Local image '${inputs.image}' not found: build or load it before this step (docker image ls lists what the daemon has)`,
      )
    }

    const ecr = await deps.ecr(inputs.region)
    const login = decodeAuthorization(io, await ecr.authorizationData(inputs.registryId))

    const outcome = await io.group(`Repository ${inputs.repository}`, () => ensureRepository(ecr, inputs, io))
    const { repository } = outcome

    // Saved before logging in, so the post step logs out even if this step fails half-way.
    io.saveState(STATE.registry, login.registry)
    await io.group(`Log in to ${login.registry}`, async () => {
      await docker.login(deps.exec, login.registry, login.username, login.password)
      io.info(`Logged in to ${login.registry}`)
    })

    const results = await io.group(`Push ${inputs.image} to ${repository.uri}`, () =>
      publishTags(ecr, deps.exec, io, {
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
    io.setOutput('registry', login.registry)
    io.setOutput('repository-uri', repository.uri)
    io.setOutput('image-uri', results[0]?.imageUri ?? '')
    io.setOutput('image-uris', results.map((r) => r.imageUri).join('\n'))
    io.setOutput('digest', digest)
    io.setOutput('image-uri-digest', `${repository.uri}@${digest}`)
    await io.appendSummary(
      pushSummary(login.registry, outcome, results, digest, inputs.lifecyclePolicy?.source),
    )
  })
}

/** The post step: log out of the registry main logged in to. A failed logout only warns. */
export async function runPost(deps: Deps): Promise<void> {
  const { io } = deps
  const registry = io.getState(STATE.registry)
  if (registry === '') {
    io.info('No registry login to undo')
    return
  }
  try {
    await docker.logout(deps.exec, registry)
    io.info(`Logged out of ${registry}`)
  } catch (error) {
    io.warning(`Could not log out of ${registry}: ${(error as Error).message}`)
  }
}
