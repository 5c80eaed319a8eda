import type { SummaryFacts } from './summary.js'
import type { Assessment, Threshold } from './trivy-report.js'

/** What the scan found and where its files are. */
export interface ScanResult {
  assessment: Assessment
  threshold: Threshold
  /** No finding at or above the threshold. */
  passed: boolean
  /** The SARIF log for code scanning. */
  sarifFile: string
  /** Trivy's own JSON report, unfiltered. */
  reportFile: string
  /** The CycloneDX SBOM, when `sbom-file` asked for one. */
  sbomFile?: string
}

/** What a run learned, step by step: filled in as it goes, so a failed run still reports it. */
export interface BuildFacts extends SummaryFacts {
  scan?: ScanResult
}

export interface BuildAndScanImageResult extends BuildFacts {
  /** The job summary markdown. */
  summary: string
  /** Why the step fails (a policy error, a failed build, the size limit, the scan gate, a push); undefined when it passed. */
  failure?: string
}

/** The outputs of action.yml. */
export type BuildAndScanImageOutput =
  | 'image-id'
  | 'image'
  | 'tags'
  | 'digest'
  | 'size'
  | 'vulnerabilities'
  | 'scan-passed'
  | 'sarif-file'
  | 'report-file'
  | 'sbom-file'

/** The step's outputs from a result: the one place the output names appear. Unknown values are ''. */
export function buildAndScanImageOutputs(
  result: BuildAndScanImageResult,
): Record<BuildAndScanImageOutput, string> {
  const { scan } = result
  return {
    'image-id': result.imageId ?? '',
    image: result.image,
    tags: result.references.join('\n'),
    digest: result.digest ?? '',
    size: result.size === undefined ? '' : String(result.size),
    vulnerabilities: scan ? JSON.stringify(scan.assessment.counts) : '',
    'scan-passed': scan ? String(scan.passed) : '',
    'sarif-file': scan?.sarifFile ?? '',
    'report-file': scan?.reportFile ?? '',
    'sbom-file': scan?.sbomFile ?? '',
  }
}
