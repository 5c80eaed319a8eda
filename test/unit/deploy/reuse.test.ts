import * as ecrSdk from '@aws-sdk/client-ecr'
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Deps } from '../../../src/deploy/deps.js'
import { run } from '../../../src/deploy/main.js'
import { commitTag, planImage } from '../../../src/deploy/reuse.js'
import type { EcsApi } from '../../../src/ecs-blue-green-deploy/ecs-api.js'
import { OperationError } from '../../../src/lib/errors.js'
import type { Exec } from '../../../src/lib/process/exec.js'
import type { HttpClient } from '../../../src/lib/http/client.js'
import { ecrApi, type EcrApi, type RemoteImage, type RepositoryInfo } from '../../../src/push-to-ecr/api.js'
import { fakeClock } from '../../helpers/clock.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'
import { stub } from '../../helpers/stub.js'

const URI = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web'
const DIGEST = `sha256:${'d'.repeat(64)}`
const SHA = 'abc1234def5678abc1234def5678abc1234def56'
const REPOSITORY: RepositoryInfo = {
  name: 'team/web',
  uri: URI,
  registryId: '123456789012',
  tagMutability: 'IMMUTABLE',
  scanOnPush: true,
  encryption: 'AES256',
}
const IMAGE: RemoteImage = { digest: DIGEST, tags: ['sha-abc1234'] }
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
const AUTHORIZATION = {
  authorizationData: async () => ({
    token: Buffer.from('AWS:ecr-password-1').toString('base64'),
    proxyEndpoint: `https://${REGISTRY}`,
  }),
}
const WHY = `sha-abc1234 is already in ${URI} at ${DIGEST}: built, scanned and pushed by an earlier run; deploying it`

describe('commitTag', () => {
  it.each([
    [['main', 'latest', 'sha-abc1234'], false, 'sha-abc1234'],
    [['pr-7', 'sha-0123abc'], false, 'sha-0123abc'],
    [['main', 'latest', 'sha-abc1234'], true, undefined],
    [['v1.2.3', 'latest'], false, undefined],
    [[], false, undefined],
  ])('of %j (user gave tags: %s) is %s', (derived, userGaveTags, expected) => {
    expect(commitTag(derived, userGaveTags)).toBe(expected)
  })
})

describe('planImage', () => {
  it('builds when the repository is not there yet', () => {
    expect(planImage({ tag: 'sha-abc1234' })).toEqual({ action: 'build' })
  })

  it('builds when the tag is not there yet', () => {
    expect(planImage({ tag: 'sha-abc1234', repository: REPOSITORY })).toEqual({ action: 'build' })
  })

  it('reuses the image an earlier run pushed, by digest', () => {
    expect(planImage({ tag: 'sha-abc1234', repository: REPOSITORY, image: IMAGE })).toEqual({
      action: 'reuse',
      imageUri: `${URI}:sha-abc1234`,
      imageUriDigest: `${URI}@${DIGEST}`,
      why: WHY,
    })
  })
})

// run() with target ecs: the ECR lookup decides whether the build starts. The fake docker refuses
// to build (so a build that starts ends the run there), and the fake ECS records the task
// definition it is asked to register, then stops the run.
describe('deploy run() with target ecs, re-run for the same commit', () => {
  let workspace: string
  const ecrMock = mockClient(ECRClient)

  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'deploy-reuse-'))
    writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\nUSER 10001\n')
  })
  afterAll(() => rmSync(workspace, { recursive: true, force: true }))
  beforeEach(() => {
    ecrMock.reset()
  })

  function setup(ecr: EcrApi, extra: Record<string, string> = {}) {
    const io = recordingIO()
    const clock = fakeClock(1_700_000_000_000)
    const docker: string[][] = []
    const registered: { containerDefinitions?: { image?: string }[] }[] = []
    const regions: string[] = []
    const exec: Exec = async (command, args) => {
      docker.push([command, ...args])
      if (args[0] === 'login') return { exitCode: 0, stdout: 'Login Succeeded', stderr: '', stderrTail: '' }
      return { exitCode: 1, stdout: '', stderr: 'refused by the test', stderrTail: 'refused by the test' }
    }
    const ecs = stub<EcsApi>(
      {
        describeServices: async () => [{ serviceName: 'web', status: 'ACTIVE', taskDefinition: 'td:1' }],
        describeTaskDefinition: async () => ({
          taskDefinition: {
            taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/web:1',
            family: 'web',
            containerDefinitions: [{ name: 'web', image: 'old', essential: true }],
          },
          tags: [],
        }),
        registerTaskDefinition: async (request) => {
          registered.push(request as (typeof registered)[number])
          throw new OperationError('stopped by the test after registering')
        },
      },
      'ecs',
    )
    const deps: Deps = {
      io,
      getInput: inputsOf({
        target: 'ecs',
        repository: 'team/web',
        'aws-region': 'eu-west-1',
        cluster: 'prod',
        service: 'web',
        lint: 'false',
        scan: 'false',
        url: 'https://web.example.com/',
        ...extra,
      }),
      env: { GITHUB_WORKSPACE: workspace, GITHUB_SHA: SHA, GITHUB_REF: 'refs/heads/main' },
      exec,
      readFile: () => {
        throw new Error('readFile not expected')
      },
      http: stub<{ http: HttpClient }>({}, 'http').http,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      build: stub<Deps['build']>(
        { homeDir: workspace, platform: 'linux', cwd: workspace, tempDir: workspace },
        'build',
      ),
      ecr: async (region) => {
        regions.push(region)
        return ecr
      },
      ecs: async () => ecs,
    }
    return { deps, io, docker, registered, regions }
  }

  const dockerBuilt = (docker: string[][]) => docker.some((argv) => argv[1] === 'build')

  it('skips build and push when the commit tag is in ECR, and deploys that digest', async () => {
    const lookups: string[] = []
    const ecr = stub<EcrApi>(
      {
        describeRepository: async (name) => (lookups.push(`repo ${name}`), REPOSITORY),
        imageByTag: async (name, tag) => (lookups.push(`${name}:${tag}`), IMAGE),
      },
      'ecr',
    )
    const { deps, io, docker, registered, regions } = setup(ecr)
    await run(deps)
    expect(lookups).toEqual(['repo team/web', 'team/web:sha-abc1234'])
    expect(regions).toEqual(['eu-west-1'])
    expect(docker).toEqual([])
    expect(registered[0]?.containerDefinitions?.[0]?.image).toBe(`${URI}@${DIGEST}`)
    expect(io.outputs['image-uri']).toBe(`${URI}:sha-abc1234`)
    expect(io.lines).toContain(`Skipping 1/4 build-and-scan-image: ${WHY}`)
    expect(io.lines).toContain(`Skipping 2/4 push-to-ecr: ${WHY}`)
    expect(io.summary).toContain(`| 1. build-and-scan-image | ⏭️ skipped |`)
    expect(io.summary).toContain(`| 2. push-to-ecr | ⏭️ skipped |`)
    expect(io.summary).toContain(WHY)
    // The run went on to the deploy (stopped there by the fake ECS), not to a login or a push.
    expect(io.failures).toEqual(['Phase ecs-blue-green-deploy failed: stopped by the test after registering'])
    expect(io.state.registry).toBeUndefined()
  })

  it.each([
    ['the repository', undefined, undefined],
    ['the tag', REPOSITORY, undefined],
  ])('builds when %s is not there yet', async (_what, repository, image) => {
    const ecr = stub<EcrApi>(
      { describeRepository: async () => repository, imageByTag: async () => image, ...AUTHORIZATION },
      'ecr',
    )
    const { deps, io, docker, registered } = setup(ecr)
    await run(deps)
    expect(io.lines).toContain('sha-abc1234 is not in ECR yet: building it')
    expect(dockerBuilt(docker)).toBe(true)
    // Logged in to the registry before the build (a FROM of a private image there must pull).
    const login = docker.findIndex((argv) => argv[1] === 'login')
    expect(docker[login]).toEqual(['docker', 'login', '--username', 'AWS', '--password-stdin', REGISTRY])
    expect(login).toBeLessThan(docker.findIndex((argv) => argv[1] === 'build'))
    expect(io.state.registry).toBe(REGISTRY)
    expect(io.secrets).toContain('ecr-password-1')
    expect(io.failures).toHaveLength(1)
    expect(io.failures[0]).toMatch(/^Phase build-and-scan-image failed: /)
    expect(io.summary).not.toContain('skipped')
    expect(registered).toEqual([])
  })

  it('fails the phase naming the AWS call when ECR answers with another error', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryName: 'team/web', repositoryUri: URI, registryId: '123456789012' }],
    })
    ecrMock.on(DescribeImagesCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: ecr:DescribeImages'), {
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    )
    const client = new ECRClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    })
    const { deps, io, docker, registered } = setup(ecrApi(client, ecrSdk))
    await run(deps)
    expect(io.failures).toHaveLength(1)
    expect(io.failures[0]).toMatch(
      /^Phase build-and-scan-image failed: Could not tell whether sha-abc1234 is already in ECR repository 'team\/web': AWS denied ecr:DescribeImages \(AccessDeniedException/,
    )
    expect(docker).toEqual([])
    expect(registered).toEqual([])
    expect(io.summary).toContain('## Deploy to Amazon ECS: failed in build-and-scan-image')
  })

  it('does not look anything up when the user gave explicit tags', async () => {
    const { deps, io, docker, regions } = setup(stub<EcrApi>(AUTHORIZATION, 'ecr'), { tags: 'v1.2.3' })
    await run(deps)
    // Only the login's ecr:GetAuthorizationToken: no lookup of the tags.
    expect(regions).toEqual(['eu-west-1'])
    expect(dockerBuilt(docker)).toBe(true)
    expect(io.failures[0]).toMatch(/^Phase build-and-scan-image failed: /)
  })

  it('promotes existing-image: nothing looked up, built, pushed or logged in to; that digest is deployed', async () => {
    const existing = `${URI}@${DIGEST}`
    const { deps, io, docker, registered, regions } = setup(stub<EcrApi>({}, 'ecr'), {
      repository: '',
      lint: '',
      scan: '',
      'existing-image': existing,
    })
    await run(deps)
    expect(regions).toEqual([])
    expect(docker).toEqual([])
    expect(registered[0]?.containerDefinitions?.[0]?.image).toBe(existing)
    expect(io.outputs['image-uri']).toBe(existing)
    const why = `promoting ${existing}: built and pushed by an earlier job, deployed as it is (not built here)`
    expect(io.lines).toContain(`Skipping 1/4 build-and-scan-image: ${why}`)
    expect(io.lines).toContain(`Skipping 2/4 push-to-ecr: ${why}`)
    expect(io.summary).toContain('| Image (promoted: built by an earlier job, not built here) |')
    expect(io.failures).toEqual(['Phase ecs-blue-green-deploy failed: stopped by the test after registering'])
    expect(io.state.registry).toBeUndefined()
  })
})
