import type * as EcrSdk from '@aws-sdk/client-ecr'
import { awsFailure, isAwsError } from '../lib/aws/client.js'
import { OperationError } from '../lib/errors.js'
import type {
  AuthorizationData,
  CreateRepositoryRequest,
  EcrApi,
  RemoteImage,
  RemoteManifest,
  RepositoryInfo,
} from './ecr.js'

/** The client and the lazily imported @aws-sdk/client-ecr module its commands come from. */
interface Sdk {
  client: EcrSdk.ECRClient
  sdk: typeof EcrSdk
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
]

const registry = (registryId?: string) => (registryId === undefined ? {} : { registryId })

/** Sends one call; the `notFound` error (if named) is undefined, any other error names the IAM action. */
async function call<T>(action: string, send: () => Promise<T>, notFound?: string): Promise<T | undefined> {
  try {
    return await send()
  } catch (error) {
    if (notFound !== undefined && isAwsError(error, notFound)) return undefined
    throw awsFailure(error, action)
  }
}

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

async function authorizationData({ client, sdk }: Sdk, registryId?: string): Promise<AuthorizationData> {
  const input = registryId === undefined ? {} : { registryIds: [registryId] }
  const out = await call('ecr:GetAuthorizationToken', () =>
    client.send(new sdk.GetAuthorizationTokenCommand(input)),
  )
  const data = out?.authorizationData?.[0]
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new OperationError('ecr:GetAuthorizationToken answered without a token')
  }
  return { token: data.authorizationToken, proxyEndpoint: data.proxyEndpoint, expiresAt: data.expiresAt }
}

async function describeRepository(
  { client, sdk }: Sdk,
  name: string,
  registryId?: string,
): Promise<RepositoryInfo | undefined> {
  const action = 'ecr:DescribeRepositories'
  const command = new sdk.DescribeRepositoriesCommand({ repositoryNames: [name], ...registry(registryId) })
  const out = await call(action, () => client.send(command), 'RepositoryNotFoundException')
  return out === undefined ? undefined : repositoryInfo(out.repositories?.[0], action)
}

async function createRepository(
  { client, sdk }: Sdk,
  request: CreateRepositoryRequest,
): Promise<RepositoryInfo> {
  const command = new sdk.CreateRepositoryCommand({
    repositoryName: request.name,
    ...registry(request.registryId),
    imageTagMutability: request.tagMutability as EcrSdk.ImageTagMutability,
    imageScanningConfiguration: { scanOnPush: request.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  })
  const out = await call('ecr:CreateRepository', () => client.send(command))
  return repositoryInfo(out?.repository, 'ecr:CreateRepository')
}

async function lifecyclePolicy(
  { client, sdk }: Sdk,
  name: string,
  registryId?: string,
): Promise<string | undefined> {
  const command = new sdk.GetLifecyclePolicyCommand({ repositoryName: name, ...registry(registryId) })
  const out = await call(
    'ecr:GetLifecyclePolicy',
    () => client.send(command),
    'LifecyclePolicyNotFoundException',
  )
  return out?.lifecyclePolicyText
}

async function putLifecyclePolicy(
  { client, sdk }: Sdk,
  name: string,
  policy: string,
  registryId?: string,
): Promise<void> {
  const command = new sdk.PutLifecyclePolicyCommand({
    repositoryName: name,
    lifecyclePolicyText: policy,
    ...registry(registryId),
  })
  await call('ecr:PutLifecyclePolicy', () => client.send(command))
}

async function imageByTag(
  { client, sdk }: Sdk,
  name: string,
  tag: string,
  registryId?: string,
): Promise<RemoteImage | undefined> {
  const command = new sdk.DescribeImagesCommand({
    repositoryName: name,
    imageIds: [{ imageTag: tag }],
    ...registry(registryId),
  })
  const out = await call('ecr:DescribeImages', () => client.send(command), 'ImageNotFoundException')
  const image = out?.imageDetails?.[0]
  if (!image?.imageDigest) return undefined
  return { digest: image.imageDigest, tags: image.imageTags ?? [], sizeBytes: image.imageSizeInBytes }
}

async function manifestByTag(
  { client, sdk }: Sdk,
  name: string,
  tag: string,
  registryId?: string,
): Promise<RemoteManifest | undefined> {
  const command = new sdk.BatchGetImageCommand({
    repositoryName: name,
    imageIds: [{ imageTag: tag }],
    acceptedMediaTypes: MANIFEST_TYPES,
    ...registry(registryId),
  })
  const out = await call('ecr:BatchGetImage', () => client.send(command))
  const image = out?.images?.[0]
  if (!image?.imageManifest || !image.imageId?.imageDigest) return undefined
  return {
    digest: image.imageId.imageDigest,
    mediaType: image.imageManifestMediaType,
    manifest: image.imageManifest,
  }
}

/** The EcrApi over an SDK client; `sdk` is the lazily imported @aws-sdk/client-ecr module. */
export function ecrApi(client: EcrSdk.ECRClient, sdk: typeof EcrSdk): EcrApi {
  const ecr: Sdk = { client, sdk }
  return {
    authorizationData: (registryId) => authorizationData(ecr, registryId),
    describeRepository: (name, registryId) => describeRepository(ecr, name, registryId),
    createRepository: (request) => createRepository(ecr, request),
    lifecyclePolicy: (name, registryId) => lifecyclePolicy(ecr, name, registryId),
    putLifecyclePolicy: (name, policy, registryId) => putLifecyclePolicy(ecr, name, policy, registryId),
    imageByTag: (name, tag, registryId) => imageByTag(ecr, name, tag, registryId),
    manifestByTag: (name, tag, registryId) => manifestByTag(ecr, name, tag, registryId),
  }
}
