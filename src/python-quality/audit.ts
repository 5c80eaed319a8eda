import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OperationError } from '../lib/errors.js'
import { tail } from '../lib/process/exec.js'
import { withCachedTrivyDb } from '../lib/trivy/db-cache.js'
import type { PythonQualityPorts } from './deps.js'
import type { Finding } from './finding.js'
import { parseAuditReport } from './audit-report.js'
import type { PythonQualityOptions } from './options.js'

/**
 * `trivy fs` over the working directory, vulnerabilities only, as JSON. Trivy's pip analyzer
 * reads only a file named requirements.txt unless told of others (`--file-patterns`, Trivy's
 * docs: "Selecting files for scanning").
 */
export function trivyFsArgv(files: readonly string[], reportFile: string, cacheDir: string): string[] {
  const extraRequirements = files.some((file) => /^requirements.+\.txt$/.test(file))
  return [
    'fs',
    '--scanners',
    'vuln',
    '--format',
    'json',
    '--output',
    reportFile,
    '--cache-dir',
    cacheDir,
    '--quiet',
    ...(extraRequirements ? ['--file-patterns', 'pip:requirements.*\\.txt'] : []),
    '.',
  ]
}

/** Audits the requirement and lock files with the suite's verified Trivy (or `trivy-path`'s). */
export async function runAudit(ports: PythonQualityPorts, options: PythonQualityOptions): Promise<Finding[]> {
  const { io, exec } = ports
  const log = (line: string) => io.info(line)
  const files = options.audit.files
  io.info(`Auditing ${files.join(', ')}`)
  const trivy = options.audit.trivyPath ?? (await ports.installTrivy(options.audit.trivyVersion, log))
  const cacheDir = join(ports.homeDir, '.cache', 'trivy')
  const reportFile = join(options.tempDir, `python-quality-audit-${ports.now()}.json`)
  const where = { cacheDir, today: new Date(ports.now()), platform: ports.platform }
  const result = await withCachedTrivyDb(ports.dbCache(log), where, log, () =>
    exec(trivy, trivyFsArgv(files, reportFile, cacheDir), { cwd: options.workingDirectory }),
  )
  if (result.exitCode !== 0) {
    throw new OperationError(
      `Trivy could not audit ${files.join(', ')} (exit code ${result.exitCode}): ${tail(result.stderr || result.stdout, 1)}`,
    )
  }
  let text: string
  try {
    text = await readFile(reportFile, 'utf8')
  } catch {
    throw new OperationError(`Trivy exited 0 but wrote no report at ${reportFile}`)
  }
  return parseAuditReport(text, files)
}
