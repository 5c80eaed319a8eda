import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { OperationError } from '../lib/errors.js'
import { parseDockerfile, targetStage } from './dockerfile.js'
import type { Inputs } from './inputs.js'
import type { Deps } from './main.js'
import type { Paths } from './paths.js'
import { toSarif } from './sarif.js'
import { runTrivy, trivyVersion } from './scan.js'
import type { SummaryFacts } from './summary.js'
import { trivyDbCacheKey } from './trivy-db-cache.js'
import { assess, gateFailures, parseTrivyReport, severitiesAtOrAbove } from './trivy-report.js'
import { parseTrivyIgnore } from './trivyignore.js'

/**
 * Scans the image with Trivy once and derives everything from that report: the counts after
 * ignore-unfixed and the ignore file, the SARIF file, the outputs, and the gate.
 */
export async function scan(
  deps: Deps,
  inputs: Inputs,
  paths: Paths,
  work: string,
  image: string,
  facts: SummaryFacts,
): Promise<void> {
  const { io, exec } = deps
  await io.group(`Scan ${image} with Trivy`, async () => {
    const log = (line: string) => io.info(line)
    const trivy = paths.trivy ?? (await deps.installTrivy(inputs.trivyVersion, log))
    const cacheDir = join(homedir(), '.cache', 'trivy')
    await mkdir(cacheDir, { recursive: true })
    const dbPaths = [join(cacheDir, 'db')]
    const key = trivyDbCacheKey(deps.now(), process.platform)
    const cache = deps.dbCache((line) => io.info(line))
    const restored = await cache.restore(dbPaths, key, [key.replace(/\d{4}-\d{2}-\d{2}$/, '')])
    if (restored) io.info(`Trivy database restored from cache ${restored}`)

    const reportFile = join(work, 'trivy-report.json')
    const report = await runTrivy(exec, { trivy, image, reportFile, cacheDir })
    if (restored !== key) await cache.save(dbPaths, key)

    const ignore = paths.trivyignore
      ? parseTrivyIgnore(await readFile(paths.trivyignore, 'utf8'), deps.now())
      : { ids: new Set<string>(), expired: [] }
    for (const entry of ignore.expired) {
      io.warning(`Ignore entry ${entry.id} expired on ${entry.expires}; it is counted again`, {
        file: relative(paths.workspace, paths.trivyignore ?? ''),
        startLine: entry.line,
      })
    }
    const assessment = assess(parseTrivyReport(report), { ignoreUnfixed: inputs.ignoreUnfixed, ignore })
    const failures = gateFailures(assessment.counts, inputs.severityThreshold)
    const passed = failures === 0
    facts.scan = { assessment, threshold: inputs.severityThreshold, passed }

    const sarifFile = resolve(paths.workspace, inputs.sarifFile ?? join(work, 'trivy-results.sarif'))
    const final = targetStage(
      parseDockerfile(await readFile(paths.dockerfile, 'utf8'), inputs.buildArgs),
      inputs.target,
    )
    const sarif = toSarif(assessment.findings, {
      image,
      location: { uri: paths.dockerfileShown, line: final?.line ?? 1 },
      trivyVersion: await trivyVersion(exec, trivy),
    })
    await writeFile(sarifFile, JSON.stringify(sarif, null, 2))
    const counts = JSON.stringify(assessment.counts)
    io.info(`Vulnerabilities: ${counts}`)
    io.setOutput('vulnerabilities', counts)
    io.setOutput('scan-passed', String(passed))
    io.setOutput('sarif-file', sarifFile)
    io.setOutput('report-file', reportFile)
    if (!passed) {
      throw new OperationError(
        `${failures} vulnerabilit${failures === 1 ? 'y' : 'ies'} at or above ${inputs.severityThreshold} (${severitiesAtOrAbove(
          inputs.severityThreshold,
        )
          .map((s) => `${s} ${assessment.counts[s]}`)
          .join(', ')}) in ${image}; fix them, or raise 'severity-threshold' / add IDs to 'trivyignore'`,
      )
    }
  })
}
