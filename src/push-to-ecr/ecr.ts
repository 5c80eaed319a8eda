/** The repository facts this action uses and reports. */
export interface RepositoryInfo {
  name: string
  uri: string
  registryId: string
  tagMutability: string
  scanOnPush: boolean
  encryption: string
}

export interface AuthorizationData {
  /** base64 of `AWS:<password>`. */
  token: string
  /** `https://<account>.dkr.ecr.<region>.amazonaws.com`. */
  proxyEndpoint: string
  expiresAt?: Date
}

export interface RemoteImage {
  digest: string
  tags: string[]
  sizeBytes?: number
}

export interface RemoteManifest {
  digest: string
  mediaType?: string
  manifest: string
}

export interface CreateRepositoryRequest {
  name: string
  registryId?: string
  tagMutability: string
  scanOnPush: boolean
}

/**
 * The ECR calls this action makes, as a small port: the run talks to this; ecr-sdk.ts implements
 * it over the SDK client (tests hand that client in under aws-sdk-client-mock). "Not found"
 * answers come back as undefined; every other SDK error becomes a message naming the IAM action
 * (see awsFailure).
 */
export interface EcrApi {
  authorizationData(registryId?: string): Promise<AuthorizationData>
  describeRepository(name: string, registryId?: string): Promise<RepositoryInfo | undefined>
  createRepository(request: CreateRepositoryRequest): Promise<RepositoryInfo>
  lifecyclePolicy(name: string, registryId?: string): Promise<string | undefined>
  putLifecyclePolicy(name: string, policy: string, registryId?: string): Promise<void>
  imageByTag(name: string, tag: string, registryId?: string): Promise<RemoteImage | undefined>
  manifestByTag(name: string, tag: string, registryId?: string): Promise<RemoteManifest | undefined>
}
