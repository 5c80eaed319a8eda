import * as sdk from '@aws-sdk/client-ecr'
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  PutLifecyclePolicyCommand,
} from '@aws-sdk/client-ecr'
import { mockClient } from 'aws-sdk-client-mock'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import type { Exec, ExecOptions } from '../../../src/lib/process/exec.js'
import { parsePushToEcrOptions, pushToEcrOutputs, runPushToEcr } from '../../../src/push-to-ecr/api.js'
import type { Deps } from '../../../src/push-to-ecr/deps.js'
import { ecrApi } from '../../../src/push-to-ecr/ecr-sdk.js'
import { keepLastPolicy } from '../../../src/push-to-ecr/lifecycle.js'
import { run } from '../../../src/push-to-ecr/main.js'
import { inputsOf, recordingIO, type RecordedIO } from '../../helpers/io.js'
import { repoRoot } from '../../helpers/run-action.js'
import { stub } from '../../helpers/stub.js'

const ecrMock = mockClient(ECRClient)
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
const URI = `${REGISTRY}/team/web`
const PASSWORD = 'ecr-password-0123456789'
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64')
const IMAGE_ID = `sha256:${'c'.repeat(64)}`
const PUSHED = `sha256:${'d'.repeat(64)}`
const OLD = `sha256:${'e'.repeat(64)}`

const awsError = (name: string, message = name) =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } })

const repository = (over: Partial<sdk.Repository> = {}): sdk.Repository => ({
  repositoryName: 'team/web',
  repositoryUri: URI,
  registryId: '123456789012',
  imageTagMutability: 'IMMUTABLE',
  imageScanningConfiguration: { scanOnPush: true },
  encryptionConfiguration: { encryptionType: 'AES256' },
  ...over,
})

interface ExecCall {
  args: readonly string[]
  options?: ExecOptions
}

/** A docker CLI stand-in: knows one local image, pushes report PUSHED. */
function fakeDocker(events: string[], { image = 'web:1.2', pushFails = '' } = {}) {
  const calls: ExecCall[] = []
  const exec: Exec = async (_command, args, options) => {
    calls.push({ args, options })
    events.push(`docker ${args.slice(0, 2).join(' ')}`)
    const ok = (stdout = '') => ({ exitCode: 0, stdout, stderr: '', stderrTail: '' })
    if (args[0] === 'image' && args[1] === 'inspect') {
      if (args[4] !== image)
        return { exitCode: 1, stdout: '', stderr: `Error: No such image: ${args[4]}`, stderrTail: '' }
      return ok(JSON.stringify({ Id: IMAGE_ID, RepoTags: [image], RepoDigests: [] }))
    }
    if (args[0] === 'image' && args[1] === 'push') {
      if (pushFails) return { exitCode: 1, stdout: '', stderr: pushFails, stderrTail: pushFails }
      const tag = String(args[2]).split(':').pop()
      const stdout = `abc: Pushed\n${tag}: digest: ${PUSHED} size: 528\n`
      options?.onStdout?.(stdout)
      return ok(stdout)
    }
    return ok()
  }
  return { exec, calls }
}

function setup(
  values: Record<string, string>,
  options: { image?: string; pushFails?: string; state?: Record<string, string> } = {},
) {
  const events: string[] = []
  const io: RecordedIO = recordingIO({ state: options.state })
  const setSecret = io.setSecret
  io.setSecret = (secret) => {
    events.push('mask')
    setSecret(secret)
  }
  const info = io.info
  io.info = (message) => {
    events.push('info')
    info(message)
  }
  const docker = fakeDocker(events, options)
  const regions: string[] = []
  const deps: Deps = {
    io,
    getInput: inputsOf({ image: 'web:1.2', repository: 'team/web', ...values }),
    env: { AWS_REGION: 'eu-west-1' },
    exec: docker.exec,
    http: stub<Pick<Deps, 'http'>>({}, 'ports').http,
    sleep: async () => undefined,
    now: () => 1_700_000_000_000,
    random: () => 0.5,
    readFile: () => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
    },
    ecr: async (region) => {
      regions.push(region)
      return ecrApi(new ECRClient({ region }), sdk)
    },
  }
  return { deps, io, docker, events, regions }
}

const sent = <T extends object>(command: new (input: never) => T) =>
  ecrMock.commandCalls(command as never).map((call) => call.args[0].input as Record<string, unknown>)

beforeEach(() => {
  ecrMock.reset()
  ecrMock.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${REGISTRY}` }],
  })
  ecrMock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException'))
})

/** After a push, DescribeImages lists the tag at the pushed digest. */
function imagesAfterPush() {
  ecrMock
    .on(DescribeImagesCommand)
    .rejectsOnce(awsError('ImageNotFoundException'))
    .resolves({ imageDetails: [{ imageDigest: PUSHED, imageTags: ['1.2'] }] })
}

describe('push-to-ecr run()', () => {
  test('creates a missing repository with the requested settings and policy, then pushes', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'))
    ecrMock.on(CreateRepositoryCommand).resolves({ repository: repository() })
    ecrMock.on(PutLifecyclePolicyCommand).resolves({})
    imagesAfterPush()
    const { deps, io, docker, regions } = setup({
      'lifecycle-policy': 'keep-last:10',
      'aws-region': 'eu-west-1',
    })

    await run(deps)

    expect(io.failures).toEqual([])
    expect(regions).toEqual(['eu-west-1'])
    expect(sent(CreateRepositoryCommand)).toEqual([
      {
        repositoryName: 'team/web',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'AES256' },
      },
    ])
    expect(sent(PutLifecyclePolicyCommand)).toEqual([
      { repositoryName: 'team/web', lifecyclePolicyText: keepLastPolicy(10) },
    ])
    expect(ecrMock.commandCalls(GetLifecyclePolicyCommand)).toHaveLength(0)
    expect(docker.calls.map((c) => c.args)).toEqual([
      ['image', 'inspect', '--format', '{{json .}}', 'web:1.2'],
      ['login', '--username', 'AWS', '--password-stdin', REGISTRY],
      ['image', 'tag', 'web:1.2', `${URI}:1.2`],
      ['image', 'push', `${URI}:1.2`],
    ])
    expect(docker.calls[1]?.options?.input).toBe(PASSWORD)
    expect(io.outputs).toEqual({
      registry: REGISTRY,
      'repository-uri': URI,
      'image-uri': `${URI}:1.2`,
      'image-uris': `${URI}:1.2`,
      digest: PUSHED,
      'image-uri-digest': `${URI}@${PUSHED}`,
    })
    expect(io.state).toEqual({ isPost: 'true', registry: REGISTRY })
    expect(io.summary).toContain('| Repository | `team/web` (created) |')
    expect(io.summary).toContain('| Lifecycle policy | keep-last:10 (applied) |')
    expect(io.summary).toContain('| `1.2` | pushed |')
  })

  test('masks the token and password before anything else is logged, and never logs them', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository()] })
    imagesAfterPush()
    const { deps, io, events } = setup({})
    await run(deps)
    expect(io.failures).toEqual([])
    expect(io.secrets).toEqual(expect.arrayContaining([TOKEN, PASSWORD]))
    expect(events.indexOf('mask')).toBeLessThan(events.indexOf('info'))
    expect(events.indexOf('mask')).toBeLessThan(events.indexOf('docker login --username'))
    expect(io.log()).not.toContain(PASSWORD)
    expect(io.log()).not.toContain(TOKEN)
  })

  test('an existing repository keeps its settings; an identical lifecycle policy is not rewritten', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({
      repositories: [
        repository({ imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false } }),
      ],
    })
    ecrMock
      .on(GetLifecyclePolicyCommand)
      .resolves({ lifecyclePolicyText: JSON.stringify(JSON.parse(keepLastPolicy(10)), null, 2) })
    imagesAfterPush()
    const { deps, io } = setup({ 'lifecycle-policy': 'keep-last:10', 'tag-mutability': 'IMMUTABLE' })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0)
    expect(ecrMock.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(0)
    expect(io.summary).toContain('| Tag mutability | MUTABLE |')
    expect(io.summary).toContain('| Scan on push | off |')
    expect(io.summary).toContain('(unchanged)')
  })

  test('a different lifecycle policy on an existing repository is replaced', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository()] })
    ecrMock.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: keepLastPolicy(3) })
    ecrMock.on(PutLifecyclePolicyCommand).resolves({})
    imagesAfterPush()
    const { deps, io } = setup({ 'lifecycle-policy': 'keep-last:10' })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(sent(PutLifecyclePolicyCommand)).toEqual([
      { repositoryName: 'team/web', lifecyclePolicyText: keepLastPolicy(10) },
    ])
  })

  test('a tag already holding this image is skipped with a note, nothing is pushed', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository()] })
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: OLD, imageTags: ['1.2'] }] })
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageId: { imageDigest: OLD, imageTag: '1.2' },
          imageManifest: JSON.stringify({ config: { digest: IMAGE_ID } }),
        },
      ],
    })
    const { deps, io, docker } = setup({})
    await run(deps)
    expect(io.failures).toEqual([])
    expect(docker.calls.map((c) => c.args[1])).not.toContain('push')
    expect(io.annotations).toEqual([
      { level: 'notice', message: `${URI}:1.2 already holds this image (${OLD}): skipped`, props: undefined },
    ])
    expect(io.outputs.digest).toBe(OLD)
    expect(io.summary).toContain('| `1.2` | skipped |')
  })

  test('another image under an existing tag of an IMMUTABLE repository fails before any push', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository()] })
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: OLD, imageTags: ['1.2'] }] })
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageId: { imageDigest: OLD },
          imageManifest: JSON.stringify({ config: { digest: `sha256:${'f'.repeat(64)}` } }),
        },
      ],
    })
    const { deps, io, docker } = setup({ tags: 'v2,1.2' })
    await run(deps)
    expect(io.failures).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Tag 'v2' already exists in IMMUTABLE repository 'team/web' at ${OLD}, and the local image is a different one`,
        ),
      ),
    ])
    expect(docker.calls.map((c) => c.args[1])).not.toContain('push')
    expect(docker.calls.map((c) => c.args[1])).not.toContain('tag')
  })

  test('a push the registry refuses as immutable (a race) is explained, not dumped', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository()] })
    ecrMock
      .on(DescribeImagesCommand)
      .rejectsOnce(awsError('ImageNotFoundException'))
      .resolves({ imageDetails: [{ imageDigest: OLD, imageTags: ['1.2'] }] })
    const { deps, io } = setup(
      {},
      {
        pushFails:
          "tag invalid: The image tag '1.2' already exists in the 'team/web' repository and cannot be overwritten because the repository is immutable.",
      },
    )
    await run(deps)
    expect(io.failures).toEqual([
      expect.stringMatching(
        new RegExp(`^Tag '1.2' already exists in IMMUTABLE repository 'team/web' at ${OLD}`),
      ),
    ])
  })

  test('a digest ECR does not confirm is an error', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository()] })
    ecrMock
      .on(DescribeImagesCommand)
      .rejectsOnce(awsError('ImageNotFoundException'))
      .resolves({ imageDetails: [{ imageDigest: OLD }] })
    const { deps, io } = setup({})
    await run(deps)
    expect(io.failures).toEqual([expect.stringContaining(`as ${PUSHED}, but ECR lists tag '1.2' at ${OLD}`)])
  })

  test('a missing repository with create-repository false is an error, nothing created', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'))
    const { deps, io, docker } = setup({ 'create-repository': 'false' })
    await run(deps)
    expect(io.failures).toEqual([
      "Repository 'team/web' does not exist in this account (region eu-west-1); create it, or set 'create-repository: true'",
    ])
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0)
    expect(docker.calls.map((c) => c.args[0])).not.toContain('login')
  })

  test('registry-id is passed to every call', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository()] })
    imagesAfterPush()
    const { deps, io } = setup({ 'registry-id': '210987654321' })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(sent(GetAuthorizationTokenCommand)).toEqual([{ registryIds: ['210987654321'] }])
    expect(sent(DescribeRepositoriesCommand)).toEqual([
      { repositoryNames: ['team/web'], registryId: '210987654321' },
    ])
    expect(sent(DescribeImagesCommand).every((input) => input.registryId === '210987654321')).toBe(true)
  })

  test.each([
    [
      'AccessDeniedException',
      'CreateRepository',
      /^AWS denied ecr:CreateRepository .*Grant the role 'ecr:CreateRepository'/,
    ],
    [
      'UnrecognizedClientException',
      'GetAuthorizationToken',
      /^AWS rejected the credentials calling ecr:GetAuthorizationToken/,
    ],
  ])('%s on %s becomes one clear failure line', async (name, op, message) => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'))
    if (op === 'CreateRepository') ecrMock.on(CreateRepositoryCommand).rejects(awsError(name))
    else ecrMock.on(GetAuthorizationTokenCommand).rejects(awsError(name))
    const { deps, io } = setup({})
    await run(deps)
    expect(io.failures).toEqual([expect.stringMatching(message)])
  })

  test('bad input and a missing local image fail before any AWS call', async () => {
    for (const [values, message] of [
      [{ repository: 'Team' }, "Invalid configuration: Input 'repository' must be lower case (got 'Team')"],
      [{ image: 'absent:1' }, "Local image 'absent:1' not found: build or load it before this step"],
    ] as const) {
      const { deps, io, regions } = setup(values)
      await run(deps)
      expect(io.failures).toEqual([expect.stringContaining(message)])
      expect(regions).toEqual([])
    }
    expect(ecrMock.calls()).toHaveLength(0)
  })
})

describe('push-to-ecr post step', () => {
  test('logs out of the registry main saved', async () => {
    const { deps, io, docker } = setup({}, { state: { isPost: 'true', registry: REGISTRY } })
    await run(deps)
    expect(docker.calls.map((c) => c.args)).toEqual([['logout', REGISTRY]])
    expect(io.lines).toContain(`Logged out of ${REGISTRY}`)
    expect(ecrMock.calls()).toHaveLength(0)
  })

  test('does nothing when main never logged in', async () => {
    const { deps, docker, io } = setup({}, { state: { isPost: 'true' } })
    await run(deps)
    expect(docker.calls).toEqual([])
    expect(io.failures).toEqual([])
  })

  test('a failed logout only warns', async () => {
    const { deps, io } = setup({}, { state: { isPost: 'true', registry: REGISTRY } })
    deps.exec = async () => ({ exitCode: 1, stdout: '', stderr: 'daemon gone', stderrTail: 'daemon gone' })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(io.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringContaining(`Could not log out of ${REGISTRY}`),
      }),
    ])
  })
})

// The public face deploy composes: the destination parses without an image when the caller
// supplies it, run returns what happened (outputs and summary are the caller's to write), and
// input names follow the composing action's.
describe('push-to-ecr api.ts', () => {
  const context = { env: { AWS_REGION: 'eu-west-1' }, readFile: () => '' }

  test('with imageFromPipeline, image and tags are neither required nor invented', () => {
    const destination = parsePushToEcrOptions(inputsOf({ repository: 'team/web' }), {
      ...context,
      imageFromPipeline: true,
    })
    expect(destination).toEqual({
      repository: 'team/web',
      region: 'eu-west-1',
      registryId: undefined,
      createRepository: true,
      tagMutability: 'IMMUTABLE',
      scanOnPush: true,
      lifecyclePolicy: undefined,
    })
    expect(() => parsePushToEcrOptions(inputsOf({ repository: 'team/web' }), context)).toThrow(
      "Input 'image' is required",
    )
  })

  test('messages name the inputs as the composing action calls them', async () => {
    const names = { repository: 'ecr-repository', 'aws-region': 'region', 'create-repository': 'create' }
    expect(() =>
      parsePushToEcrOptions(
        inputsOf({ 'ecr-repository': 'Team' }),
        { ...context, imageFromPipeline: true },
        names,
      ),
    ).toThrow("Input 'ecr-repository' must be lower case (got 'Team')")
    expect(() =>
      parsePushToEcrOptions(
        inputsOf({ 'ecr-repository': 'team/web', region: 'Europe' }),
        { ...context, imageFromPipeline: true },
        names,
      ),
    ).toThrow("Input 'region' must be an AWS region")
    ecrMock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'))
    const { deps } = setup({})
    const destination = parsePushToEcrOptions(
      inputsOf({ 'ecr-repository': 'team/web', create: 'false' }),
      { ...context, imageFromPipeline: true },
      names,
    )
    await expect(runPushToEcr(deps, { ...destination, image: 'web:1.2', tags: ['1.2'] })).rejects.toThrow(
      "create it, or set 'create: true'",
    )
  })

  test("run returns the push, writing no output or summary itself; the outputs are action.yml's", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository()] })
    imagesAfterPush()
    const { deps, io } = setup({})
    const result = await runPushToEcr(deps, parsePushToEcrOptions(deps.getInput, deps))
    expect(result).toMatchObject({
      registry: REGISTRY,
      imageUris: [`${URI}:1.2`],
      digest: PUSHED,
      imageUriDigest: `${URI}@${PUSHED}`,
      tags: [{ tag: '1.2', result: 'pushed', digest: PUSHED }],
    })
    expect(result.failure).toBeUndefined()
    expect(result.summary).toContain('| `1.2` | pushed |')
    expect(io.outputs).toEqual({})
    expect(io.summary).toBe('')
    const declared = Object.keys(
      (
        parse(readFileSync(join(repoRoot(), 'actions/push-to-ecr/action.yml'), 'utf8')) as {
          outputs: Record<string, unknown>
        }
      ).outputs,
    )
    expect(Object.keys(pushToEcrOutputs(result)).sort()).toEqual(declared.sort())
  })
})
