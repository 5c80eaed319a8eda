import type * as EcrSdk from '@aws-sdk/client-ecr'
import { awsFailure, isAwsError } from '../lib/aws/client.js'
import { OperationError } from '../lib/errors.js'

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
 * The ECR calls this action makes, as a small port: `main` talks to this, tests hand in the SDK
 * client under aws-sdk-client-mock. "Not found" answers come back as undefined; every other SDK
 * error becomes a message naming the IAM action (see awsFailure).
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

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
]

function repositoryInfo(repository: EcrSdk.Repository | undefined, action: string): RepositoryInfo {
  if (!repository?.repositoryName || !repository.repositoryUri) {
    throw new OperationError(`${action} answered without a repository`)
  }
  return {
    name: repository.repositoryName,
    uri: repository.repositoryUri,
    registryId: repository.registryId ?? '',
    tagMutability: repository.imageTagMutability ?? 'MUTABLE',
    scanOnPush: repository.imageScanningConfiguration?.scanOnPush ?? false,
    encryption: repository.encryptionConfiguration?.encryptionType ?? 'AES256',
  }
}

/** The EcrApi over an SDK client; `sdk` is the lazily imported @aws-sdk/client-ecr module. */
export function ecrApi(client: EcrSdk.ECRClient, sdk: typeof EcrSdk): EcrApi {
  async function call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send()
    } catch (error) {
      throw awsFailure(error, action)
    }
  }
  const registry = (registryId?: string) => (registryId === undefined ? {} : { registryId })

  return {
    async authorizationData(registryId) {
      const out = await call('ecr:GetAuthorizationToken', () =>
        client.send(
          new sdk.GetAuthorizationTokenCommand(registryId === undefined ? {} : { registryIds: [registryId] }),
        ),
      )
      const data = out.authorizationData?.[0]
      if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new OperationError('ecr:GetAuthorizationToken answered without a token')
      }
      return { token: data.authorizationToken, proxyEndpoint: data.proxyEndpoint, expiresAt: data.expiresAt }
    },

    async describeRepository(name, registryId) {
      try {
        const out = await client.send(
          new sdk.DescribeRepositoriesCommand({ repositoryNames: [name], ...registry(registryId) }),
        )
        return repositoryInfo(out.repositories?.[0], 'ecr:DescribeRepositories')
      } catch (error) {
        if (isAwsError(error, 'RepositoryNotFoundException')) return undefined
        throw awsFailure(error, 'ecr:DescribeRepositories')
      }
    },

    async createRepository(request) {
      const out = await call('ecr:CreateRepository', () =>
        client.send(
          new sdk.CreateRepositoryCommand({
            repositoryName: request.name,
            ...registry(request.registryId),
            imageTagMutability: request.tagMutability as EcrSdk.ImageTagMutability,
            imageScanningConfiguration: { scanOnPush: request.scanOnPush },
            encryptionConfiguration: { encryptionType: 'AES256' },
          }),
        ),
      )
      return repositoryInfo(out.repository, 'ecr:CreateRepository')
    },

    async lifecyclePolicy(name, registryId) {
      try {
        const out = await client.send(
          new sdk.GetLifecyclePolicyCommand({ repositoryName: name, ...registry(registryId) }),
        )
        return out.lifecyclePolicyText
      } catch (error) {
        if (isAwsError(error, 'LifecyclePolicyNotFoundException')) return undefined
        throw awsFailure(error, 'ecr:GetLifecyclePolicy')
      }
    },

    async putLifecyclePolicy(name, policy, registryId) {
      await call('ecr:PutLifecyclePolicy', () =>
        client.send(
          new sdk.PutLifecyclePolicyCommand({
            repositoryName: name,
            lifecyclePolicyText: policy,
            ...registry(registryId),
          }),
        ),
      )
    },

    async imageByTag(name, tag, registryId) {
      try {
        const out = await client.send(
          new sdk.DescribeImagesCommand({
            repositoryName: name,
            imageIds: [{ imageTag: tag }],
            ...registry(registryId),
          }),
        )
        const image = out.imageDetails?.[0]
        if (!image?.imageDigest) return undefined
        return { digest: image.imageDigest, tags: image.imageTags ?? [], sizeBytes: image.imageSizeInBytes }
      } catch (error) {
        if (isAwsError(error, 'ImageNotFoundException')) return undefined
        throw awsFailure(error, 'ecr:DescribeImages')
      }
    },

    async manifestByTag(name, tag, registryId) {
      const out = await call('ecr:BatchGetImage', () =>
        client.send(
          new sdk.BatchGetImageCommand({
            repositoryName: name,
            imageIds: [{ imageTag: tag }],
            acceptedMediaTypes: MANIFEST_TYPES,
            ...registry(registryId),
          }),
        ),
      )
      const image = out.images?.[0]
      if (!image?.imageManifest || !image.imageId?.imageDigest) return undefined
      return {
        digest: image.imageId.imageDigest,
        mediaType: image.imageManifestMediaType,
        manifest: image.imageManifest,
      }
    },
  }
}
