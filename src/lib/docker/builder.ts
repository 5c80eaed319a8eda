import type { Exec } from '../process/exec.js'

/** Whether the buildx plugin is installed: `docker buildx version` exits 0. */
export async function hasBuildx(exec: Exec): Promise<boolean> {
  try {
    return (await exec('docker', ['buildx', 'version'])).exitCode === 0
  } catch {
    return false
  }
}

/** The current buildx builder's driver (`docker`, `docker-container`, ...); undefined if unknown. */
export async function buildxDriver(exec: Exec): Promise<string | undefined> {
  const result = await exec('docker', ['buildx', 'inspect'])
  if (result.exitCode !== 0) return undefined
  return /^Driver:\s*(\S+)/m.exec(result.stdout)?.[1]
}
