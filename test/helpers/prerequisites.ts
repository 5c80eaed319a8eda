import { spawnSync } from 'node:child_process'
import net from 'node:net'

/** Debian's interpreter, which has python3-django (a pyenv `python3` earlier on PATH may not). */
export const DEBIAN_PYTHON = process.env.E2E_PYTHON ?? '/usr/bin/python3'
export const E2E_DATABASE_URL =
  process.env.E2E_DATABASE_URL ?? 'postgres://devops:devops@127.0.0.1:5432/devops'

const HOW = 'Install and start them with `bash scripts/e2e/setup.sh` (it asks sudo for what needs root).'

/**
 * Fails (never skips) when an end-to-end prerequisite is missing, saying which and how to get it:
 * a green e2e run that tested nothing would be worse than a red one.
 */
export function requireCommand(command: string, args: string[], what: string): void {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 })
  if (run.error || run.status !== 0) {
    throw new Error(`E2E prerequisite missing: ${what} (\`${command} ${args.join(' ')}\` failed). ${HOW}`)
  }
}

export function requireDjango(): void {
  requireCommand(
    DEBIAN_PYTHON,
    ['-c', 'import django, psycopg2'],
    "Debian's python3-django and python3-psycopg2",
  )
}

export function requireDocker(): void {
  requireCommand('docker', ['info'], 'a running Docker engine')
}

export async function requirePostgres(url = E2E_DATABASE_URL): Promise<void> {
  const { hostname, port } = new URL(url)
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432) })
    socket.setTimeout(3000)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
  if (!ok)
    throw new Error(
      `E2E prerequisite missing: PostgreSQL accepting connections at ${hostname}:${port || 5432}. ${HOW}`,
    )
}
