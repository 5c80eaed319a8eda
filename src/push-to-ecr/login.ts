import * as docker from '../lib/docker/cli.js'
import type { ActionIO } from '../lib/runner/io.js'
import type { Exec } from '../lib/process/exec.js'
import { decodeAuthorization, type RegistryLogin } from './auth.js'
import type { PushToEcrPorts } from './deps.js'
import type { EcrApi } from './ecr.js'
import { STATE } from './post.js'

/** The registry's credentials from ecr:GetAuthorizationToken, masked before they are returned. */
export async function ecrCredentials(
  io: Pick<ActionIO, 'setSecret'>,
  ecr: EcrApi,
  registryId: string | undefined,
): Promise<RegistryLogin> {
  return decodeAuthorization(io, await ecr.authorizationData(registryId))
}

/**
 * `docker login` to the registry. The registry is saved as state first, so the post step logs
 * out even when the login or anything after it fails half-way.
 */
export async function dockerLogin(ports: { io: ActionIO; exec: Exec }, login: RegistryLogin): Promise<void> {
  const { io } = ports
  io.saveState(STATE.registry, login.registry)
  await io.group(`Log in to ${login.registry}`, async () => {
    await docker.login(ports.exec, login.registry, login.username, login.password)
    io.info(`Logged in to ${login.registry}`)
  })
}

/**
 * Logs docker in to the account's ECR registry in a region, for a caller that needs the login
 * before the push: deploy, whose build may start `FROM` a private image in that registry. The
 * login is handed to runPushToEcr (options.login), which then pushes with it.
 */
export async function logInToEcr(
  ports: PushToEcrPorts,
  destination: { region: string; registryId?: string },
): Promise<RegistryLogin> {
  const ecr = await ports.ecr(destination.region)
  const login = await ecrCredentials(ports.io, ecr, destination.registryId)
  await dockerLogin(ports, login)
  return login
}
