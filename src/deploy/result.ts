import type { DeploymentRecord } from '../ecs-blue-green-deploy/api.js'
import type { PhaseRecord } from './pipeline.js'

/** Where the deployed image came from. */
export type ImageOrigin =
  /** Built, scanned and pushed by this run. */
  | 'built'
  /** Pushed under the commit's tag by an earlier run of this commit, deployed as it is. */
  | 'reused'
  /** `existing-image`: built and pushed by an earlier job, promoted here. */
  | 'promoted'
  /** Render built the service from its repository. */
  | 'none'

/** What a deploy did: the facts its outputs give, each phase's record, and the job summary. */
export interface DeployResult {
  target: 'ecs' | 'render'
  origin: ImageOrigin
  /** The image's URI as reported (`image-uri`): the pushed tag, or the existing image. */
  imageUri: string
  /** The image deployed, by digest; empty when Render builds the service. */
  imageDeployed: string
  /** The ECS deployment ARN or the Render deploy id. */
  deploymentId: string
  status: string
  /**
   * ecs: one record per service (ecs-blue-green-deploy's `deployments`), once that phase ran;
   * undefined for render and when the run stopped before the deployment.
   */
  deployments?: DeploymentRecord[]
  /** The CycloneDX SBOM the build wrote (`sbom-file`); undefined when none was asked for or nothing was built. */
  sbomFile?: string
  /** The URL smoke-tested. */
  url: string
  phases: PhaseRecord[]
  summary: string
  /** The failure line, naming the phase; undefined when every phase passed. */
  failure?: string
}

/** The outputs of action.yml. */
export type DeployOutput = 'image-uri' | 'deployment-id' | 'status' | 'url' | 'deployments' | 'sbom-file'

/** The step's outputs from a result: the one place their names appear. */
export function deployOutputs(
  result: Pick<DeployResult, 'imageUri' | 'deploymentId' | 'status' | 'url' | 'deployments' | 'sbomFile'>,
): Record<DeployOutput, string> {
  return {
    'image-uri': result.imageUri,
    'deployment-id': result.deploymentId,
    status: result.status,
    url: result.url,
    deployments: result.deployments === undefined ? '' : JSON.stringify(result.deployments),
    'sbom-file': result.sbomFile ?? '',
  }
}
