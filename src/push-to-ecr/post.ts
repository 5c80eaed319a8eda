import * as docker from '../lib/docker/cli.js'
import { errorMessage } from '../lib/errors.js'
import type { ActionIO } from '../lib/runner/io.js'
import type { Exec } from '../lib/process/exec.js'

/** State names shared by the main and post steps (the runner hands state back as STATE_<name>). */
export const STATE = { isPost: 'isPost', registry: 'registry' } as const

/** Logs out of the registry a main step logged in to (read from its saved state). A failed logout only warns. */
export async function logoutOfSavedRegistry(ports: { io: ActionIO; exec: Exec }): Promise<void> {
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
    io.warning(`Could not log out of ${registry}: ${errorMessage(error)}`)
  }
}
