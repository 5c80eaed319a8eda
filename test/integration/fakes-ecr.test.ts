// The fake ECR's own tests, through the real SDK (@aws-sdk/client-ecr, which speaks awsJson1_1:
// POST /, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.<Op>, errors as {"__type","message"}),
// and the same scenarios against moto (an emulator nobody here wrote) for the calls moto
// implements. Images reach the fake through its real registry (Debian's docker-registry, pushed
// over the /v2 API) and moto through PutImage; after that both are read the same way.
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  PutImageCommand,
  PutLifecyclePolicyCommand,
} from '@aws-sdk/client-ecr'
import { randomBytes } from 'node:crypto'
import { startFakeEcr, type FakeEcr } from '../fakes/ecr.js'
import { motoInstalled, startMoto, type Moto } from '../fakes/ecs-moto.js'
import { startLocalRegistry, type LocalRegistry } from '../fakes/local-registry.js'
import { DOCKER_MANIFEST, imageManifest, pushImage } from '../fakes/registry-push.js'
import { requireCommand } from '../helpers/prerequisites.js'

const POLICY = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'Keep only the newest 5 images',
      selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 },
      action: { type: 'expire' },
    },
  ],
})

interface Target {
  client(options?: { accessKeyId?: string; maxAttempts?: number }): ECRClient
  /** Puts an image under `tag` the way this ECR gets one; returns the manifest text. */
  putImage(repository: string, tag: string, label: string): Promise<string>
  close(): Promise<void>
}

function client(url: string, accessKeyId: string, maxAttempts = 3): ECRClient {
  return new ECRClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId, secretAccessKey: 'secret' },
    maxAttempts,
  })
}

async function startFake(): Promise<Target & { fake: FakeEcr }> {
  requireCommand('docker-registry', ['--version'], "Debian's docker-registry")
  const registry: LocalRegistry = await startLocalRegistry()
  const fake = await startFakeEcr(registry)
  return {
    fake,
    client: (options = {}) => client(fake.url, options.accessKeyId ?? fake.accessKeyId, options.maxAttempts),
    putImage: async (repository, tag, label) => (await pushImage(registry, repository, tag, label)).body,
    close: async () => {
      await fake.close()
      await registry.close()
    },
  }
}

async function startReference(): Promise<Target> {
  // The reference must be there: a missing moto fails this suite rather than skipping it.
  expect(motoInstalled()).toBe(true)
  const moto: Moto = await startMoto()
  const target: Target = {
    client: (options = {}) =>
      client(moto.url, options.accessKeyId ?? 'AKIAMOTOMOTOMOTO', options.maxAttempts),
    putImage: async (repository, tag, label) => {
      const digest = (c: string) => `sha256:${Buffer.from(label).toString('hex').padEnd(64, c).slice(0, 64)}`
      const manifest = imageManifest({ digest: digest('a'), size: 100 }, [
        { digest: digest('b'), size: 1234 },
      ])
      await target
        .client()
        .send(new PutImageCommand({ repositoryName: repository, imageTag: tag, imageManifest: manifest }))
      return manifest
    },
    close: () => moto.close(),
  }
  return target
}

/** What an SDK call threw: its name, HTTP status and message. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; status?: number; message: string }> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined
  if (error === undefined) throw new Error('expected the call to fail')
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message }
}

describe.each(['fake', 'moto'] as const)('ECR API: %s', (kind) => {
  let target: Target
  let ecr: ECRClient
  const unique = () => `team/web-${randomBytes(3).toString('hex')}`

  beforeAll(async () => {
    target = kind === 'fake' ? await startFake() : await startReference()
    ecr = target.client()
  }, 30_000)
  afterAll(async () => {
    await target?.close()
  })

  test('creates a repository with the settings asked, and describes it the same way', async () => {
    const name = unique()
    const created = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'AES256' },
      }),
    )
    const repository = created.repository
    expect(repository).toMatchObject({
      repositoryName: name,
      registryId: expect.stringMatching(/^\d{12}$/),
      repositoryUri: expect.stringMatching(new RegExp(`^[^/]+/${name}$`)),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    })
    expect(repository?.repositoryArn).toBe(
      `arn:aws:ecr:us-east-1:${repository?.registryId}:repository/${name}`,
    )
    expect(repository?.createdAt).toBeInstanceOf(Date)
    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))
    expect(described.repositories).toEqual([repository])
  })

  test('the same create run twice: RepositoryAlreadyExistsException, and still one repository', async () => {
    const name = unique()
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }))
    expect(await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: name })))).toEqual({
      name: 'RepositoryAlreadyExistsException',
      status: 400,
      message: expect.stringContaining(`'${name}' already exists`),
    })
    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))
    expect(described.repositories?.map((r) => r.repositoryName)).toEqual([name])
    // Created without settings: the service's defaults.
    expect(described.repositories?.[0]).toMatchObject({
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'AES256' },
    })
  })

  test('a repository name ECR refuses is InvalidParameterException', async () => {
    expect(
      await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'Team/Web' }))),
    ).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    })
  })

  test('a tag mutability ECR does not have is InvalidParameterException, naming the values it has', async () => {
    const error = await failure(
      ecr.send(
        new CreateRepositoryCommand({ repositoryName: unique(), imageTagMutability: 'SOMETIMES' as never }),
      ),
    )
    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 })
    expect(error.message).toContain("'IMMUTABLE'")
  })

  test('a missing repository is RepositoryNotFoundException, for describe and for its policy', async () => {
    const name = unique()
    const calls = [
      () => ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })),
      () => ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name })),
      () => ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] })),
    ]
    for (const call of calls) {
      expect(await failure(call())).toEqual({
        name: 'RepositoryNotFoundException',
        status: 400,
        message: expect.stringContaining(`'${name}' does not exist`),
      })
    }
  })

  test('a lifecycle policy: none yet, then put, read back as put, and a broken one refused', async () => {
    const name = unique()
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }))
    expect(await failure(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name })))).toMatchObject({
      name: 'LifecyclePolicyNotFoundException',
      status: 400,
    })
    const put = await ecr.send(
      new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: POLICY }),
    )
    expect(put).toMatchObject({ repositoryName: name, lifecyclePolicyText: POLICY })
    const got = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }))
    expect(got).toMatchObject({ repositoryName: name, lifecyclePolicyText: POLICY })
    for (const broken of ['{rules', '[1]', '{}', '{"rules":[{"rulePriority":1}]}']) {
      const error = await failure(
        ecr.send(new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: broken })),
      )
      expect([broken, error]).toEqual([
        broken,
        {
          name: 'InvalidParameterException',
          status: 400,
          message: expect.stringContaining("Invalid parameter at 'LifecyclePolicyText'"),
        },
      ])
    }
    // The policy in force is still the last good one.
    const kept = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }))
    expect(kept.lifecyclePolicyText).toBe(POLICY)
  })

  test('an authorization token is base64 of AWS:<password>, for the registry at proxyEndpoint', async () => {
    for (const input of [{}, { registryIds: ['123456789012'] }]) {
      const out = await ecr.send(new GetAuthorizationTokenCommand(input))
      expect(out.authorizationData).toHaveLength(1)
      const data = out.authorizationData?.[0]
      expect(Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8')).toMatch(/^AWS:.+$/)
      expect(data?.proxyEndpoint).toMatch(/^https:\/\/[^/]+$/)
      expect(data?.expiresAt).toBeInstanceOf(Date)
    }
  })

  test('a tag not there: ImageNotFoundException from DescribeImages, a failure entry from BatchGetImage', async () => {
    const name = unique()
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }))
    expect(
      await failure(
        ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] })),
      ),
    ).toEqual({
      name: 'ImageNotFoundException',
      status: 400,
      message: expect.stringContaining("imageTag:'v1'"),
    })
    const batch = await ecr.send(
      new BatchGetImageCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] }),
    )
    expect(batch.images).toEqual([])
    expect(batch.failures).toEqual([
      {
        imageId: { imageTag: 'v1' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
    ])
  })

  test('an image under a tag: DescribeImages and BatchGetImage agree on its digest and return its manifest', async () => {
    const name = unique()
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }))
    const manifest = await target.putImage(name, 'v1', `image of ${name}`)
    const described = await ecr.send(
      new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] }),
    )
    const detail = described.imageDetails?.[0]
    expect(described.imageDetails).toHaveLength(1)
    expect(detail).toMatchObject({
      repositoryName: name,
      registryId: expect.stringMatching(/^\d{12}$/),
      imageDigest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
      imageTags: ['v1'],
      imageManifestMediaType: DOCKER_MANIFEST,
      imageSizeInBytes: expect.any(Number),
    })
    expect(detail?.imagePushedAt).toBeInstanceOf(Date)
    const batch = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: name,
        imageIds: [{ imageTag: 'v1' }],
        acceptedMediaTypes: [DOCKER_MANIFEST],
      }),
    )
    expect(batch.failures).toEqual([])
    expect(batch.images?.[0]?.imageId).toEqual({ imageTag: 'v1', imageDigest: detail?.imageDigest })
    expect(batch.images?.[0]?.imageManifestMediaType).toBe(DOCKER_MANIFEST)
    expect(JSON.parse(batch.images?.[0]?.imageManifest ?? '{}')).toEqual(JSON.parse(manifest))
  })

  test('a second tag for the same image: DescribeImages lists both tags at one digest', async () => {
    const name = unique()
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }))
    await target.putImage(name, 'v1', `shared ${name}`)
    await target.putImage(name, 'latest', `shared ${name}`)
    const byTag = async (tag: string) =>
      (await ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: tag }] })))
        .imageDetails?.[0]
    const [v1, latest] = [await byTag('v1'), await byTag('latest')]
    expect(v1?.imageDigest).toBe(latest?.imageDigest)
    expect([...(v1?.imageTags ?? [])].sort()).toEqual(['latest', 'v1'])
  })
})

// What only the fake can be made to do (moto neither throttles on request nor checks keys), held
// to what the SDK does with such answers.
describe('ECR API: fake only', () => {
  let target: Awaited<ReturnType<typeof startFake>>

  beforeAll(async () => {
    target = await startFake()
  }, 30_000)
  afterAll(async () => {
    await target?.close()
  })

  test('reads the operation from X-Amz-Target, as the SDK sends it', async () => {
    const start = target.fake.calls.length
    await target.client().send(new GetAuthorizationTokenCommand({ registryIds: ['123456789012'] }))
    expect(target.fake.calls.slice(start)).toEqual([
      { op: 'GetAuthorizationToken', body: { registryIds: ['123456789012'] } },
    ])
  })

  test('throttling the SDK retries is absorbed; throttling past its attempts surfaces as ThrottlingException', async () => {
    target.fake.seed('team/throttled')
    const start = target.fake.calls.length
    target.fake.throttle('DescribeRepositories', 2)
    const out = await target
      .client({ maxAttempts: 3 })
      .send(new DescribeRepositoriesCommand({ repositoryNames: ['team/throttled'] }))
    expect(out.repositories?.[0]?.repositoryName).toBe('team/throttled')
    expect(out.$metadata.attempts).toBe(3)
    expect(target.fake.calls.slice(start).map((c) => c.op)).toEqual([
      'DescribeRepositories',
      'DescribeRepositories',
      'DescribeRepositories',
    ])
    target.fake.throttle('DescribeRepositories', 2)
    const error = await target
      .client({ maxAttempts: 2 })
      .send(new DescribeRepositoriesCommand({ repositoryNames: ['team/throttled'] }))
      .catch((e: unknown) => e as { name: string; $metadata: { attempts?: number; httpStatusCode?: number } })
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      $metadata: { attempts: 2, httpStatusCode: 400 },
    })
  })

  test('an access key it does not know is UnrecognizedClientException, which the SDK does not retry', async () => {
    const start = target.fake.calls.length
    const error = await failure(
      target.client({ accessKeyId: 'AKIAUNKNOWN000000000' }).send(new GetAuthorizationTokenCommand({})),
    )
    expect(error).toEqual({
      name: 'UnrecognizedClientException',
      status: 400,
      message: 'The security token included in the request is invalid.',
    })
    expect(target.fake.calls.length - start).toBe(1)
  })

  test('a request that is not awsJson1_1 gets an AWS JSON error, not a crash', async () => {
    const answer = await fetch(target.fake.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Amz-Target': 'AmazonEC2ContainerRegistry_V20150921.Nope',
      },
      body: '{}',
    })
    expect(answer.status).toBe(400)
    expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.1')
    expect(await answer.json()).toEqual({
      __type: 'SerializationException',
      message: 'Expected POST with application/x-amz-json-1.1',
    })
  })

  test("images are the registry's: a tag moved in the registry is what DescribeImages answers next", async () => {
    const ecr = target.client()
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/moving' }))
    await target.putImage('team/moving', 'latest', 'one')
    const first = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'team/moving', imageIds: [{ imageTag: 'latest' }] }),
    )
    await target.putImage('team/moving', 'latest', 'two')
    const second = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'team/moving', imageIds: [{ imageTag: 'latest' }] }),
    )
    expect(second.imageDetails?.[0]?.imageDigest).not.toBe(first.imageDetails?.[0]?.imageDigest)
  })
})
