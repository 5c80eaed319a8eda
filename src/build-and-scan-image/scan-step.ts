import { readFile, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { OperationError } from '../lib/errors.js'
import { parseDockerfile, targetStage } from './dockerfile.js'
import { inputName } from './options.js'
import type { ScanResult } from './result.js'
import type { BuildRun } from './run-context.js'
import { toSarif } from './sarif.js'
import { runTrivy, trivyVersion, writeSbom } from './scan.js'
import { withCachedTrivyDb } from '../lib/trivy/db-cache.js'
import {
  assess,
  gateFailures,
  parseTrivyReport,
  severitiesAtOrAbove,
  type Assessment,
} from './trivy-report.js'
import { parseTrivyIgnore, type IgnoreRules } from './trivyignore.js'

/** The ignore file's rules in force today; an expired entry is warned about at its line. */
async function ignoreRules(run: BuildRun, today: Date): Promise<IgnoreRules> {
  const { paths } = run.options
  if (!paths.trivyignore) return { ids: new Set<string>(), expired: [] }
  const ignore = parseTrivyIgnore(await readFile(paths.trivyignore, 'utf8'), today)
  for (const entry of ignore.expired) {
    run.ports.io.warning(`Ignore entry ${entry.id} expired on ${entry.expires}; it is counted again`, {
      file: relative(paths.workspace, paths.trivyignore),
      startLine: entry.line,
    })
  }
  return ignore
}

/** The SARIF log, its alerts pointing at the FROM of the stage the image is built from. */
async function writeSarif(
  run: BuildRun,
  assessment: Assessment,
  image: string,
  sarifFile: string,
  version: string | undefined,
): Promise<void> {
  const { options } = run
  const final = targetStage(parseDockerfile(run.dockerfileText, options.buildArgs), options.target)
  const sarif = toSarif(assessment.findings, {
    image,
    location: { uri: options.paths.dockerfileShown, line: final?.line ?? 1 },
    trivyVersion: version,
  })
  await writeFile(sarifFile, JSON.stringify(sarif, null, 2))
}

function gateFailure(run: BuildRun, scan: ScanResult, image: string): OperationError {
  const { threshold, assessment } = scan
  const failures = gateFailures(assessment.counts, threshold)
  const counts = severitiesAtOrAbove(threshold)
    .map((s) => `${s} ${assessment.counts[s]}`)
    .join(', ')
  const name = (input: string) => inputName(run.options, input)
  const gated = new Set(severitiesAtOrAbove(threshold))
  const secrets = assessment.findings.filter((f) => f.kind === 'secret' && gated.has(f.severity)).length
  const what =
    secrets === 0
      ? `vulnerabilit${failures === 1 ? 'y' : 'ies'}`
      : `finding${failures === 1 ? '' : 's'} (${secrets} secret${secrets === 1 ? '' : 's'} in the image)`
  return new OperationError(
    `${failures} ${what} at or above ${threshold} (${counts}) in ${image}; ` +
      `fix them, or raise '${name('severity-threshold')}' / add IDs to '${name('trivyignore')}'`,
  )
}

/**
 * Scans the image with Trivy once and derives everything from that report: the counts after
 * ignore-unfixed and the ignore file, the SARIF file, the outputs, and the gate.
 */
export async function scanStep(run: BuildRun, work: string, image: string): Promise<void> {
  const { io, exec, now } = run.ports
  const { options } = run
  await io.group(`Scan ${image} with Trivy`, async () => {
    const log = (line: string) => io.info(line)
    const trivy = options.paths.trivy ?? (await run.ports.installTrivy(options.trivyVersion, log))
    const cacheDir = join(run.ports.homeDir, '.cache', 'trivy')
    const reportFile = join(work, 'trivy-report.json')
    const sbomFile = options.sbomFile && resolve(options.paths.workspace, options.sbomFile)
    const scanners = options.scanners
    const listAllPackages = sbomFile !== undefined
    const where = { cacheDir, today: new Date(now()), platform: run.ports.platform }
    const report = await withCachedTrivyDb(run.ports.dbCache(log), where, log, () =>
      runTrivy(exec, { trivy, image, reportFile, cacheDir, scanners, listAllPackages }),
    )
    if (sbomFile) {
      await writeSbom(exec, trivy, reportFile, sbomFile)
      io.info(`CycloneDX SBOM written to ${sbomFile}`)
    }

    const ignore = await ignoreRules(run, new Date(now()))
    const assessment = assess(parseTrivyReport(report), { ignoreUnfixed: options.ignoreUnfixed, ignore })
    const threshold = options.severityThreshold
    const passed = gateFailures(assessment.counts, threshold) === 0
    const sarifFile = resolve(options.paths.workspace, options.sarifFile ?? join(work, 'trivy-results.sarif'))
    await writeSarif(run, assessment, image, sarifFile, await trivyVersion(exec, trivy))
    const scan: ScanResult = { assessment, threshold, passed, sarifFile, reportFile, sbomFile }
    run.facts.scan = scan
    io.info(`Vulnerabilities: ${JSON.stringify(assessment.counts)}`)
    if (!passed) throw gateFailure(run, scan, image)
  })
}
