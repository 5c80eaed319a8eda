import { readFile } from 'node:fs/promises'
import { OperationError } from '../lib/errors.js'
import { tail, type Exec } from '../lib/process/exec.js'

export interface TrivyRun {
  trivy: string
  image: string
  reportFile: string
  cacheDir: string
  /** `--scanners`: vuln and secret by default (Trivy's own default). */
  scanners: readonly string[]
  /** Every package in the report, not only vulnerable ones: what an SBOM is converted from. */
  listAllPackages?: boolean
}

/** The one Trivy invocation: every finding of the scanners, unfiltered, as JSON; filtering is ours. */
export function trivyArgv({
  image,
  reportFile,
  cacheDir,
  scanners,
  listAllPackages,
}: Omit<TrivyRun, 'trivy'>): string[] {
  return [
    'image',
    '--scanners',
    scanners.join(','),
    ...(listAllPackages ? ['--list-all-pkgs'] : []),
    '--format',
    'json',
    '--output',
    reportFile,
    '--cache-dir',
    cacheDir,
    '--quiet',
    image,
  ]
}

/** Runs Trivy and returns the JSON report it wrote. */
export async function runTrivy(exec: Exec, run: TrivyRun): Promise<string> {
  const result = await exec(run.trivy, trivyArgv(run))
  if (result.exitCode !== 0) {
    throw new OperationError(
      `Trivy could not scan ${run.image} (exit code ${result.exitCode}): ${tail(result.stderr || result.stdout, 1)}`,
    )
  }
  try {
    return await readFile(run.reportFile, 'utf8')
  } catch {
    throw new OperationError(`Trivy exited 0 but wrote no report at ${run.reportFile}`)
  }
}

/** `Version: 0.67.2` from `trivy --version`, best effort (only for the SARIF tool entry). */
export async function trivyVersion(exec: Exec, trivy: string): Promise<string | undefined> {
  try {
    const result = await exec(trivy, ['--version'])
    return /Version:\s*v?(\S+)/.exec(result.stdout)?.[1]
  } catch {
    return undefined
  }
}

/**
 * Trivy's CycloneDX SBOM of the image, converted from the JSON report of the scan already done
 * (`trivy convert`, which needs that report made with --list-all-pkgs): no second scan.
 */
export async function writeSbom(
  exec: Exec,
  trivy: string,
  reportFile: string,
  sbomFile: string,
): Promise<void> {
  const result = await exec(trivy, ['convert', '--format', 'cyclonedx', '--output', sbomFile, reportFile])
  if (result.exitCode !== 0) {
    throw new OperationError(
      `Trivy could not write the SBOM ${sbomFile} (exit code ${result.exitCode}): ${tail(result.stderr || result.stdout, 1)}`,
    )
  }
}
