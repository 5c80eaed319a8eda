import { OperationError } from '../lib/errors.js'
import { tail, type Exec } from '../lib/process/exec.js'
import { runTrivyScan, trivyScanArgv, type TrivyScan } from '../lib/trivy/scan.js'

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

function imageScan({
  image,
  reportFile,
  cacheDir,
  scanners,
  listAllPackages,
}: Omit<TrivyRun, 'trivy'>): TrivyScan {
  const extra = listAllPackages ? ['--list-all-pkgs'] : []
  return { command: 'image', target: image, scanners, reportFile, cacheDir, extra }
}

/** The one Trivy invocation: every finding of the scanners, unfiltered, as JSON; filtering is ours. */
export function trivyArgv(run: Omit<TrivyRun, 'trivy'>): string[] {
  return trivyScanArgv(imageScan(run))
}

/** Runs Trivy and returns the JSON report it wrote. */
export async function runTrivy(exec: Exec, run: TrivyRun): Promise<string> {
  return runTrivyScan(exec, run.trivy, imageScan(run), { what: `scan ${run.image}` })
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
