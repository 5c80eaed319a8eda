// What the demo needs from this machine, checked before anything starts: each missing piece is
// named with what it is for, and one command installs or starts them all.
import { spawnSync } from 'node:child_process'
import {
  DEBIAN_PYTHON,
  E2E_DATABASE_URL,
  requireDjango,
  requireDocker,
  requirePostgres,
} from '../../test/helpers/prerequisites.js'

export const BASE_IMAGE = 'devops-actions/python-django:bookworm'
export const INSTALL_HINT =
  'Install and start what is missing with `bash scripts/e2e/setup.sh` (it asks sudo for what needs root).'

const succeeds = (command: string, args: string[]) =>
  spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 }).status === 0

export interface Preflight {
  missing: string[]
  /** Whether Trivy is on PATH; without it the scan (only) is skipped. */
  trivy: boolean
}

export async function preflight(): Promise<Preflight> {
  const missing: string[] = []
  const check = async (what: string, probe: () => unknown) => {
    try {
      await probe()
    } catch {
      missing.push(what)
    }
  }
  await check('a running Docker engine (docker.io: `docker info` must work)', requireDocker)
  const database = new URL(E2E_DATABASE_URL)
  await check(
    `PostgreSQL accepting connections at ${database.hostname}:${database.port || 5432} (database ${database.pathname.slice(1)})`,
    () => requirePostgres(),
  )
  await check(`Debian's python3-django and python3-psycopg2 (for ${DEBIAN_PYTHON})`, requireDjango)
  if (!succeeds(DEBIAN_PYTHON, ['-c', 'import coverage'])) missing.push("Debian's python3-coverage")
  if (!succeeds('docker-registry', ['--version']))
    missing.push("Debian's docker-registry (the local image registry)")
  if (!succeeds('htpasswd', ['-h']) && !succeeds('sh', ['-c', 'command -v htpasswd'])) {
    missing.push('htpasswd (apache2-utils, for the local registry login)')
  }
  if (
    missing.every((m) => !m.startsWith('a running Docker')) &&
    !succeeds('docker', ['image', 'inspect', BASE_IMAGE])
  ) {
    missing.push(`the base image ${BASE_IMAGE} (made offline with mmdebstrap)`)
  }
  return { missing, trivy: succeeds('trivy', ['--version']) }
}
