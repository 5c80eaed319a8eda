import {
  runBuildAndScanImage,
  type BuildAndScanImageOptions,
  type BuildAndScanImageResult,
} from '../build-and-scan-image/api.js'
import { OperationError } from '../lib/errors.js'
import type { ActionIO } from '../lib/runner/io.js'
import { runSmokeTest, type SmokeTestOptions, type SmokeTestResult } from '../smoke-test/api.js'
import type { DeployPorts } from './deps.js'
import { done, type PhaseDone } from './pipeline.js'
import type { DeployResult } from './result.js'

/**
 * Builds (and scans, and for Render pushes) the image; a build that tagged nothing is a failure.
 * The SBOM's path goes into `facts` at once: a scan over the threshold fails the phase, but the
 * SBOM it wrote is still the step's `sbom-file`, as it is build-and-scan-image's.
 */
export async function buildPhase(
  ports: DeployPorts,
  io: ActionIO,
  build: BuildAndScanImageOptions,
  facts: Pick<DeployResult, 'sbomFile'>,
): Promise<PhaseDone<BuildAndScanImageResult>> {
  const result = await runBuildAndScanImage(
    { ...ports.build, io, env: ports.env, exec: ports.exec, now: ports.now },
    build,
  )
  facts.sbomFile = result.scan?.sbomFile
  if (result.failure === undefined && result.references.length === 0)
    throw new OperationError('The build reported no image tags')
  return done(result)
}

export async function smokePhase(
  ports: DeployPorts,
  io: ActionIO,
  options: SmokeTestOptions,
): Promise<PhaseDone<SmokeTestResult>> {
  return done(await runSmokeTest({ ...ports, io }, options))
}

/** Why build and push are skipped for `existing-image`, for the log and the summary. */
export function promotedWhy(image: string): string {
  return `promoting ${image}: built and pushed by an earlier job, deployed as it is (not built here)`
}
