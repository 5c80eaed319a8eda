import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LocalRegistry } from './local-registry.js'

/**
 * A local Amazon ECR API speaking the real wire protocol (awsJson1_1: POST /, `X-Amz-Target:
 * AmazonEC2ContainerRegistry_V20150921.<Op>`, errors as `{"__type","message"}` with HTTP status
 * codes), reached through the SDK's standard `AWS_ENDPOINT_URL_ECR`. Its authorization tokens
 * point at a real local registry; DescribeImages and BatchGetImage read that registry's /v2 API,
 * so digests and manifests are the ones docker really pushed.
 */
export interface FakeRepository {
  repositoryName: string
  repositoryArn: string
  registryId: string
  repositoryUri: string
  createdAt: number
  imageTagMutability: string
  imageScanningConfiguration: { scanOnPush: boolean }
  encryptionConfiguration: { encryptionType: string; kmsKey?: string }
  lifecyclePolicyText?: string
}

export interface FakeEcrCall {
  op: string
  body: Record<string, unknown>
}

export interface FakeEcr {
  /** The endpoint, for AWS_ENDPOINT_URL_ECR. */
  url: string
  /** The only access key ID it accepts; others get UnrecognizedClientException. */
  accessKeyId: string
  accountId: string
  calls: FakeEcrCall[]
  repositories: Map<string, FakeRepository>
  /** Adds a repository as if created earlier (e.g. an existing IMMUTABLE one). */
  seed(name: string, settings?: Partial<FakeRepository>): FakeRepository
  /** Answers the next `times` calls of `op` with ThrottlingException (HTTP 400). */
  throttle(op: string, times: number): void
  close(): Promise<void>
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.'
const NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/
const MUTABILITIES = ['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION']

/**
 * Why ECR would refuse a lifecycle policy text, or undefined: it must be a JSON object with a
 * `rules` array whose rules each have a priority, a selection and an action (what moto checks,
 * in the words it answers with).
 */
function policyProblem(text: string): string | undefined {
  let policy: unknown
  try {
    policy = JSON.parse(text)
  } catch {
    return 'Could not map policyString into LifecyclePolicy.'
  }
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
    return 'Could not map policyString into LifecyclePolicy.'
  }
  const rules = (policy as { rules?: unknown }).rules
  if (!Array.isArray(rules)) return 'object has missing required properties (["rules"])'
  for (const rule of rules as Record<string, unknown>[]) {
    const missing = ['action', 'rulePriority', 'selection'].filter((key) => rule?.[key] === undefined)
    if (missing.length > 0) {
      return `object has missing required properties (${JSON.stringify(missing)})`
    }
  }
  return undefined
}

export async function startFakeEcr(
  registry: Pick<LocalRegistry, 'host' | 'username' | 'password' | 'manifest' | 'tags'>,
  { accessKeyId = 'AKIAFAKEECR000000001', accountId = '123456789012', region = 'us-east-1' } = {},
): Promise<FakeEcr> {
  const repositories = new Map<string, FakeRepository>()
  const calls: FakeEcrCall[] = []
  const throttles = new Map<string, number>()

  const seed = (name: string, settings: Partial<FakeRepository> = {}): FakeRepository => {
    const repository: FakeRepository = {
      repositoryName: name,
      repositoryArn: `arn:aws:ecr:${region}:${accountId}:repository/${name}`,
      registryId: accountId,
      repositoryUri: `${registry.host}/${name}`,
      createdAt: Math.floor(Date.now() / 1000),
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'AES256' },
      ...settings,
    }
    repositories.set(name, repository)
    return repository
  }

  const repositoryOf = (body: Record<string, unknown>): FakeRepository => {
    const name = String(body.repositoryName ?? '')
    const repository = repositories.get(name)
    if (!repository) {
      throw new ApiError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${accountId}'`,
      )
    }
    return repository
  }

  const publicRepository = (r: FakeRepository) => {
    const { lifecyclePolicyText: _policy, ...rest } = r
    return rest
  }

  const imageTagOf = (body: Record<string, unknown>): string => {
    const ids = body.imageIds as { imageTag?: string; imageDigest?: string }[] | undefined
    const id = ids?.[0]
    const reference = id?.imageTag ?? id?.imageDigest
    if (!reference || ids?.length !== 1) {
      throw new ApiError('InvalidParameterException', 'This fake supports exactly one imageId per call')
    }
    return reference
  }

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    async GetAuthorizationToken(body) {
      const ids = (body.registryIds as string[] | undefined) ?? [accountId]
      return {
        authorizationData: ids.map(() => ({
          authorizationToken: Buffer.from(`${registry.username}:${registry.password}`).toString('base64'),
          expiresAt: Math.floor(Date.now() / 1000) + 12 * 3600,
          proxyEndpoint: `https://${registry.host}`,
        })),
      }
    },
    async DescribeRepositories(body) {
      const names = body.repositoryNames as string[] | undefined
      if (!names) return { repositories: [...repositories.values()].map(publicRepository) }
      return { repositories: names.map((name) => publicRepository(repositoryOf({ repositoryName: name }))) }
    },
    async CreateRepository(body) {
      const name = String(body.repositoryName ?? '')
      if (!NAME.test(name) || name.length < 2 || name.length > 256) {
        throw new ApiError('InvalidParameterException', `Invalid parameter at 'repositoryName'`)
      }
      if (repositories.has(name)) {
        throw new ApiError(
          'RepositoryAlreadyExistsException',
          `The repository with name '${name}' already exists in the registry with id '${accountId}'`,
        )
      }
      const mutability = String(body.imageTagMutability ?? 'MUTABLE')
      if (!MUTABILITIES.includes(mutability)) {
        throw new ApiError(
          'InvalidParameterException',
          `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: must be one of ${MUTABILITIES.map((m) => `'${m}'`).join(', ')}`,
        )
      }
      const scanning = body.imageScanningConfiguration as { scanOnPush?: boolean } | undefined
      const encryption = body.encryptionConfiguration as FakeRepository['encryptionConfiguration'] | undefined
      return {
        repository: publicRepository(
          seed(name, {
            imageTagMutability: mutability,
            imageScanningConfiguration: { scanOnPush: scanning?.scanOnPush ?? false },
            encryptionConfiguration: encryption ?? { encryptionType: 'AES256' },
          }),
        ),
      }
    },
    async PutLifecyclePolicy(body) {
      const repository = repositoryOf(body)
      const text = String(body.lifecyclePolicyText ?? '')
      const problem = policyProblem(text)
      if (problem !== undefined) {
        throw new ApiError(
          'InvalidParameterException',
          `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${problem}'`,
        )
      }
      repository.lifecyclePolicyText = text
      return { registryId: accountId, repositoryName: repository.repositoryName, lifecyclePolicyText: text }
    },
    async GetLifecyclePolicy(body) {
      const repository = repositoryOf(body)
      if (repository.lifecyclePolicyText === undefined) {
        throw new ApiError(
          'LifecyclePolicyNotFoundException',
          `Lifecycle policy does not exist for the repository with name '${repository.repositoryName}'`,
        )
      }
      return {
        registryId: accountId,
        repositoryName: repository.repositoryName,
        lifecyclePolicyText: repository.lifecyclePolicyText,
      }
    },
    async DescribeImages(body) {
      const repository = repositoryOf(body)
      const reference = imageTagOf(body)
      const manifest = await registry.manifest(repository.repositoryName, reference)
      if (!manifest) {
        throw new ApiError(
          'ImageNotFoundException',
          `The image with imageId {imageDigest:'null', imageTag:'${reference}'} does not exist within the repository with name '${repository.repositoryName}' in the registry with id '${accountId}'`,
        )
      }
      const tags: string[] = []
      for (const tag of await registry.tags(repository.repositoryName)) {
        if ((await registry.manifest(repository.repositoryName, tag))?.digest === manifest.digest)
          tags.push(tag)
      }
      const parsed = JSON.parse(manifest.body) as { layers?: { size?: number }[]; config?: { size?: number } }
      const size = (parsed.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0)
      return {
        imageDetails: [
          {
            registryId: accountId,
            repositoryName: repository.repositoryName,
            imageDigest: manifest.digest,
            imageTags: tags,
            imageSizeInBytes: size,
            imagePushedAt: Math.floor(Date.now() / 1000),
            imageManifestMediaType: manifest.mediaType,
          },
        ],
      }
    },
    async BatchGetImage(body) {
      const repository = repositoryOf(body)
      const reference = imageTagOf(body)
      const manifest = await registry.manifest(repository.repositoryName, reference)
      const imageId = reference.startsWith('sha256:') ? { imageDigest: reference } : { imageTag: reference }
      if (!manifest) {
        return {
          images: [],
          failures: [{ imageId, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }],
        }
      }
      return {
        images: [
          {
            registryId: accountId,
            repositoryName: repository.repositoryName,
            imageId: { ...imageId, imageDigest: manifest.digest },
            imageManifest: manifest.body,
            imageManifestMediaType: manifest.mediaType,
          },
        ],
        failures: [],
      }
    },
  }

  const server = http.createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk))
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' })
        res.end(JSON.stringify(payload))
      }
      const target = String(req.headers['x-amz-target'] ?? '')
      const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : ''
      void (async () => {
        const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}
        calls.push({ op, body })
        if (
          req.method !== 'POST' ||
          !String(req.headers['content-type']).includes('application/x-amz-json-1.1')
        ) {
          throw new ApiError('SerializationException', 'Expected POST with application/x-amz-json-1.1')
        }
        const credential = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1]
        if (credential !== accessKeyId) {
          throw new ApiError(
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          )
        }
        const handler = operations[op]
        if (!handler) throw new ApiError('UnknownOperationException', `Unknown operation ${target}`)
        const remaining = throttles.get(op) ?? 0
        if (remaining > 0) {
          throttles.set(op, remaining - 1)
          throw new ApiError('ThrottlingException', 'Rate exceeded')
        }
        send(200, await handler(body))
      })().catch((error: unknown) => {
        if (error instanceof ApiError) send(error.status, { __type: error.type, message: error.message })
        else send(500, { __type: 'ServerException', message: String(error) })
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    accessKeyId,
    accountId,
    calls,
    repositories,
    seed,
    throttle: (op, times) => void throttles.set(op, times),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
