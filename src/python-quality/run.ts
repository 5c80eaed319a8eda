import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { errorMessage } from '../lib/errors.js'
import type { StepAnnotation } from '../lib/runner/step.js'
import { runAudit } from './audit.js'
import type { PythonQualityPorts } from './deps.js'
import type { Source } from './finding.js'
import { describeGate } from './gate.js'
import { annotationOf, byImportance, locate, type Located } from './located.js'
import type { PythonQualityOptions } from './options.js'
import type { PythonQualityResult } from './result.js'
import { toSarif } from './sarif.js'
import { qualitySummary } from './summary.js'
import { ensureTools } from './toolchain.js'
import { runTool, type ToolReport } from './tool-run.js'

/** The runner keeps 10 error and 10 warning annotations per step; the verdict is the first error. */
const ERROR_ANNOTATIONS = 9
const WARNING_ANNOTATIONS = 10

async function auditReport(ports: PythonQualityPorts, options: PythonQualityOptions): Promise<ToolReport> {
  const started = ports.now()
  const config = options.audit.files.join(', ')
  try {
    const findings = await ports.io.group('Audit dependencies with Trivy', () => runAudit(ports, options))
    return { source: 'audit', config, findings, diffs: [], durationMs: ports.now() - started }
  } catch (error) {
    return {
      source: 'audit',
      config,
      findings: [],
      diffs: [],
      error: errorMessage(error),
      durationMs: ports.now() - started,
    }
  }
}

function counts(reports: readonly ToolReport[]): Partial<Record<Source, number>> {
  return Object.fromEntries(reports.filter((r) => !r.error).map((r) => [r.source, r.findings.length]))
}

function failureLine(
  options: PythonQualityOptions,
  reports: readonly ToolReport[],
  failing: readonly Located[],
): string | undefined {
  const problems = reports.filter((r) => r.error).map((r) => r.error as string)
  if (failing.length > 0) {
    const bySource = reports
      .map((r) => [r.source, failing.filter((f) => f.source === r.source).length] as const)
      .filter(([, n]) => n > 0)
      .map(([source, n]) => `${source} ${n}`)
    problems.unshift(
      `${failing.length} finding${failing.length === 1 ? '' : 's'} fail the gate ('${options.inputNames['fail-on']}: ${describeGate(options.failOn)}'): ${bySource.join(', ')}; see the annotations and the job summary`,
    )
  }
  return problems.length > 0 ? problems.join('; ') : undefined
}

/** Runs each tool, then the audit, and gates, annotates and reports what they found. */
export async function pythonQuality(
  ports: PythonQualityPorts,
  options: PythonQualityOptions,
): Promise<PythonQualityResult> {
  const { io } = ports
  if (options.tools.length === 0 && options.autoTools) {
    io.warning(
      `No tool is configured in ${options.workingDirectoryShown} (pyproject.toml, setup.cfg, tox.ini, .flake8, ...): ` +
        `list the tools to run in '${options.inputNames.tools}'`,
    )
  }
  await ensureTools(ports, options)
  const reports: ToolReport[] = []
  for (const selected of options.tools) {
    reports.push(await io.group(`Run ${selected.tool}`, () => runTool(ports, options, selected)))
  }
  if (options.audit.enabled && options.audit.files.length > 0) reports.push(await auditReport(ports, options))
  const located = reports.flatMap((r) => locate(r.findings, options, options.failOn)).sort(byImportance)
  const failing = located.filter((f) => f.failsGate)
  for (const finding of located.filter((f) => !f.failsGate).slice(0, WARNING_ANNOTATIONS)) {
    const { message, props } = annotationOf(finding)
    io.warning(message, props)
  }
  const annotations: StepAnnotation[] = failing.slice(0, ERROR_ANNOTATIONS).map(annotationOf)
  await mkdir(dirname(options.sarifFile), { recursive: true })
  const ran = reports.filter((r) => !r.error)
  await writeFile(
    options.sarifFile,
    JSON.stringify(
      toSarif(ran.map((r) => ({ source: r.source, findings: located.filter((f) => f.source === r.source) }))),
      null,
      2,
    ),
  )
  const failure = failureLine(options, reports, failing)
  const verdict = failure === undefined ? `passed, ${located.length} finding(s) under the gate` : `failed`
  io.info(`Findings: ${JSON.stringify(counts(reports))}`)
  const summary = qualitySummary({
    reports,
    located,
    failOn: options.failOn,
    verdict,
    workingDirectory: options.workingDirectoryShown,
    unannotated: Math.max(failing.length - annotations.length, 0),
  })
  return {
    reports,
    counts: counts(reports),
    failing: failing.length,
    sarifFile: options.sarifFile,
    summary,
    failure,
    annotations,
  }
}
