import { readFileSync } from 'node:fs'
import { awsClientConfig } from '../lib/aws/client.js'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import type { EcrApi } from './ecr.js'
import { ecrApi } from './ecr-sdk.js'

export interface Deps extends RunnerPorts {
  /** Reads a file the inputs name (a lifecycle policy). */
  readFile: (path: string) => string
  /** An ECR API for a region; the real one imports the SDK only when called. */
  ecr: (region: string) => Promise<EcrApi>
}

/** What a push needs: the runner's IO, docker, and ECR. */
export type PushToEcrPorts = Pick<Deps, 'io' | 'exec' | 'ecr'>

/** The real ECR API for a region, over the SDK imported once the inputs are valid. */
export async function sdkEcr(region: string): Promise<EcrApi> {
  const sdk = await import('@aws-sdk/client-ecr')
  return ecrApi(new sdk.ECRClient(awsClientConfig(region)), sdk)
}

/** The only place this action touches the world. */
export function defaultDeps(): Deps {
  return {
    ...realPorts(),
    readFile: (path) => readFileSync(path, 'utf8'),
    ecr: sdkEcr,
  }
}
