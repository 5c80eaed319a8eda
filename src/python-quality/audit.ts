import { join } from 'node:path'
import { withCachedTrivyDb } from '../lib/trivy/db-cache.js'
import { runTrivyScan, trivyScanArgv, type TrivyScan } from '../lib/trivy/scan.js'
import type { PythonQualityPorts } from './deps.js'
import type { Finding } from './finding.js'
import { parseAuditReport } from './audit-report.js'
import type { PythonQualityOptions } from './options.js'

/**
 * `trivy fs` over the working directory, vulnerabilities only, as JSON. Trivy's pip analyzer
 * reads only a file named requirements.txt unless told of others (`--file-patterns`, Trivy's
 * docs: "Selecting files for scanning").
 */
function fsScan(files: readonly string[], reportFile: string, cacheDir: string): TrivyScan {
  const extraRequirements = files.some((file) => /^requirements.+\.txt$/.test(file))
  const extra = extraRequirements ? ['--file-patterns', 'pip:requirements.*\\.txt'] : []
  return { command: 'fs', target: '.', scanners: ['vuln'], reportFile, cacheDir, extra }
}

export function trivyFsArgv(files: readonly string[], reportFile: string, cacheDir: string): string[] {
  return trivyScanArgv(fsScan(files, reportFile, cacheDir))
}

/**
 * Audits the requirement and lock files with the suite's verified Trivy (or `trivy-path`'s).
 * A failed Trivy run leaves the database cache unsaved, as build-and-scan-image's scan does.
 */
export async function runAudit(ports: PythonQualityPorts, options: PythonQualityOptions): Promise<Finding[]> {
  const { io, exec } = ports
  const log = (line: string) => io.info(line)
  const files = options.audit.files
  io.info(`Auditing ${files.join(', ')}`)
  const trivy = options.audit.trivyPath ?? (await ports.installTrivy(options.audit.trivyVersion, log))
  const cacheDir = join(ports.homeDir, '.cache', 'trivy')
  const reportFile = join(options.tempDir, `python-quality-audit-${ports.now()}.json`)
  const where = { cacheDir, today: new Date(ports.now()), platform: ports.platform }
  const text = await withCachedTrivyDb(ports.dbCache(log), where, log, () =>
    runTrivyScan(exec, trivy, fsScan(files, reportFile, cacheDir), {
      what: `audit ${files.join(', ')}`,
      cwd: options.workingDirectory,
    }),
  )
  return parseAuditReport(text, files)
}
