import { readFile } from 'node:fs/promises'
import { OperationError } from '../errors.js'
import { tail, type Exec } from '../process/exec.js'

/**
 * One Trivy scan as build-and-scan-image (`trivy image`) and python-quality (`trivy fs`) run it:
 * every finding of the scanners, unfiltered, as a JSON report in a file; severities, ignore-unfixed
 * and the ignore file are applied by the action, not by Trivy, so the report is the same whatever
 * the gate. Flags: Trivy's CLI reference (`trivy image --help`, `trivy fs --help`).
 *
 * Neither passes `--skip-db-update` when the database cache was restored: the cache key is per day
 * and Trivy's database is rebuilt every few hours, so Trivy's own check of the restored database's
 * NextUpdate (its db.Client.NeedsUpdate) decides whether today's entry is still fresh enough.
 */
export interface TrivyScan {
  command: 'image' | 'fs'
  /** The image reference, or the folder for `fs`. */
  target: string
  scanners: readonly string[]
  reportFile: string
  /** Trivy's cache (`<cacheDir>/db` is the database lib/trivy/db-cache.ts restores). */
  cacheDir: string
  /** What only this scan asks for (`--list-all-pkgs`, `--file-patterns …`), after the shared flags. */
  extra?: readonly string[]
}

export function trivyScanArgv({
  command,
  target,
  scanners,
  reportFile,
  cacheDir,
  extra = [],
}: TrivyScan): string[] {
  return [
    command,
    '--scanners',
    scanners.join(','),
    '--format',
    'json',
    '--output',
    reportFile,
    '--cache-dir',
    cacheDir,
    '--quiet',
    ...extra,
    target,
  ]
}

/**
 * Runs the scan and returns the JSON report it wrote; a non-zero exit or a missing report is an
 * OperationError saying what could not be done (`what`: "scan shop:1.0", "audit requirements.txt").
 */
export async function runTrivyScan(
  exec: Exec,
  trivy: string,
  scan: TrivyScan,
  { what, cwd }: { what: string; cwd?: string },
): Promise<string> {
  const result = await exec(trivy, trivyScanArgv(scan), cwd === undefined ? undefined : { cwd })
  if (result.exitCode !== 0) {
    throw new OperationError(
      `Trivy could not ${what} (exit code ${result.exitCode}): ${tail(result.stderr || result.stdout, 1)}`,
    )
  }
  try {
    return await readFile(scan.reportFile, 'utf8')
  } catch {
    throw new OperationError(`Trivy exited 0 but wrote no report at ${scan.reportFile}`)
  }
}
