import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inputsOf } from '../../helpers/io.js'
import { repoRoot } from '../../helpers/run-action.js'
import { ConfigurationError } from '../../../src/lib/errors.js'
import { parseEcsDeployOptions } from '../../../src/ecs-blue-green-deploy/api.js'
import { deployOutputs, parseDeployOptions } from '../../../src/deploy/api.js'

// Inputs deploy forwards to its phases: each reaches the phase's options as the phase itself
// would parse it, and a bad combination fails with the phase's own message, under deploy's names.

const env = { GITHUB_WORKSPACE: join(repoRoot(), 'test', 'fixtures', 'django-app'), AWS_REGION: 'eu-west-1' }
const noFile = (path: string): string => {
  throw new Error(`ENOENT: ${path}`)
}
const context = { env, readFile: noFile, cwd: repoRoot(), tempDir: tmpdir() }
const parse = (values: Record<string, string>) => parseDeployOptions(inputsOf(values), context)

const ecs = { target: 'ecs', repository: 'team/web', url: 'https://web.example.com/' }
const render = { target: 'render', 'service-id': 'srv-abc123', 'api-key': 'rnd_key' }

async function ecsPlan(values: Record<string, string>) {
  const plan = await parse({ ...ecs, ...values })
  if (plan.target !== 'ecs') throw new Error('expected ecs')
  return plan
}

/** What ecs-blue-green-deploy's own parser makes of the same inputs, as deploy parses them (image from the pipeline). */
async function ecsPhaseMessage(values: Record<string, string>): Promise<string> {
  try {
    await parseEcsDeployOptions(inputsOf(values), { readFile: noFile, env, imageFromPipeline: true })
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('the phase accepted it')
}

describe('deploy forwards ecs-blue-green-deploy services and images', () => {
  it('services: every service, in order, to the ECS phase', async () => {
    const plan = await ecsPlan({ services: 'web\nworker, beat' })
    expect(plan.deploy.services).toEqual(['web', 'worker', 'beat'])
  })

  it('images: container=image lines to the ECS phase, beside the container that gets the built image', async () => {
    const plan = await ecsPlan({
      service: 'web',
      'container-name': 'app',
      images: 'log-router=public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
    })
    expect(plan.deploy.images).toEqual({
      'log-router': 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
    })
    expect(plan.deploy.containerName).toBe('app')
  })

  it.each([
    [{ service: 'web', services: 'worker' }, "Inputs 'service' and 'services' cannot be used together"],
    [{ services: 'web\nweb' }, "Input 'services' names 'web' twice"],
    [{ service: 'web', images: 'sidecar' }, "Input 'images' must be container=image lines (got 'sidecar')"],
    [
      { service: 'web', 'container-name': 'web', images: 'web=registry.example/web:1' },
      "Inputs 'image' and 'images' both set container 'web'",
    ],
    [
      { services: 'web,worker', 'task-definition': 'td.json' },
      "Input 'task-definition' takes one service's task definition; with 'services'",
    ],
  ])('refuses %j with the phase own message, before anything runs', async (values, message) => {
    const attempt = parse({ ...ecs, ...values })
    await expect(attempt).rejects.toThrow(ConfigurationError)
    await expect(attempt).rejects.toThrow(message)
    // The same words as ecs-blue-green-deploy itself says them.
    expect(await ecsPhaseMessage(values)).toContain(message)
  })

  it('refuses services and images with target render, naming the input', async () => {
    await expect(parse({ ...render, services: 'web' })).rejects.toThrow(
      "Input 'services' applies only to target: ecs (this step's target is render); remove it",
    )
    await expect(parse({ ...render, images: 'a=b:1' })).rejects.toThrow(
      "Input 'images' applies only to target: ecs",
    )
  })

  it('deployments: one JSON record per service; empty when no ECS phase reported any', () => {
    const record = {
      service: 'web',
      cluster: 'prod',
      strategy: 'ROLLING',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/web:2',
      previousTaskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/web:1',
      deploymentArn: null,
      status: 'SUCCESSFUL',
      rolledBack: false,
      serviceTaskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/web:2',
    }
    const base = { imageUri: '', deploymentId: '', status: '', url: '' }
    const two = [record, { ...record, service: 'worker' }]
    expect(JSON.parse(deployOutputs({ ...base, deployments: two }).deployments)).toEqual(two)
    expect(deployOutputs(base).deployments).toBe('')
  })
})

describe('deploy forwards build-and-scan-image provenance, sbom and sbom-file', () => {
  it('to the build phase as its own parser reads them (an ECR-bound build)', async () => {
    const plan = await ecsPlan({
      service: 'web',
      provenance: 'mode=max',
      sbom: 'true',
      'sbom-file': 'sbom.cdx.json',
    })
    expect(plan.build).toMatchObject({
      provenance: 'mode=max',
      sbom: 'true',
      sbomFile: 'sbom.cdx.json',
      ecrBound: true,
    })
    const unset = await ecsPlan({ service: 'web' })
    expect([unset.build?.provenance, unset.build?.sbom, unset.build?.sbomFile]).toEqual([
      undefined,
      undefined,
      undefined,
    ])
    const built = await parse({
      ...render,
      image: 'ghcr.io/acme/web',
      provenance: 'false',
      sbom: 'generator=docker/scout-sbom-indexer:1',
    })
    expect(built.build).toMatchObject({
      provenance: 'false',
      sbom: 'generator=docker/scout-sbom-indexer:1',
      ecrBound: false,
    })
  })

  it('sbom-file out of deploy, as build-and-scan-image gives it; empty when nothing wrote one', () => {
    const base = { imageUri: '', deploymentId: '', status: '', url: '' }
    expect(deployOutputs({ ...base, sbomFile: '/ws/sbom.cdx.json' })['sbom-file']).toBe('/ws/sbom.cdx.json')
    expect(deployOutputs(base)['sbom-file']).toBe('')
  })

  it.each([
    [
      { ...ecs, service: 'web', provenance: 'always' },
      "Input 'provenance' must be true, false or buildx's key=value options",
    ],
    [
      { ...ecs, service: 'web', sbom: 'yes please' },
      "Input 'sbom' must be true, false or buildx's key=value options",
    ],
    [
      { ...ecs, service: 'web', 'sbom-file': 'sbom.json', scan: 'false' },
      "Input 'sbom-file' writes the SBOM from the scan, but 'scan' is false",
    ],
    [
      {
        ...ecs,
        service: 'web',
        'existing-image': `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@sha256:${'c'.repeat(64)}`,
        repository: '',
        'sbom-file': 'sbom.json',
      },
      "Inputs 'existing-image' and 'sbom-file' cannot be used together",
    ],
    [{ ...render, provenance: 'true' }, "Input 'provenance' needs 'image' with target: render"],
  ])('refuses %j before anything runs: %s', async (values, message) => {
    const attempt = parse(values)
    await expect(attempt).rejects.toThrow(ConfigurationError)
    await expect(attempt).rejects.toThrow(message)
  })
})

describe("deploy forwards build-and-scan-image's pull request comment", () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-forward-event-'))
  const event = join(dir, 'event.json')
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: 'b'.repeat(40) } } }))
  const github = (eventName: string) => ({
    ...env,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/web',
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_JOB: 'preview',
  })
  const parseIn = (values: Record<string, string>, environment: NodeJS.ProcessEnv) =>
    parseDeployOptions(inputsOf(values), { ...context, env: environment })
  const preview = { ...render, image: 'ghcr.io/acme/web', comment: 'auto', 'github-token': 'ghs_token' }

  it("on a pull request: the comment, with deploy's github-token, goes to the build phase", async () => {
    const plan = await parseIn(preview, github('pull_request'))
    expect(plan.build?.comment).toMatchObject({
      post: true,
      token: 'ghs_token',
      target: { owner: 'acme', repo: 'web', issueNumber: 7 },
      jobKey: 'Deploy/preview',
    })
  })

  it('on a push to main (no pull request): nothing is posted and nothing fails, as in build-and-scan-image', async () => {
    const push = await parseIn(preview, { ...github('push'), GITHUB_EVENT_PATH: '' })
    expect(push.build?.comment).toMatchObject({ post: false, target: undefined })
    const always = await parseIn(
      { ...preview, comment: 'true' },
      { ...github('push'), GITHUB_EVENT_PATH: '' },
    )
    expect(always.build?.comment.post).toBe(false)
    const off = await parseIn({ ...preview, comment: '' }, github('pull_request'))
    expect(off.build?.comment.post).toBe(false)
  })

  it('comment-key: a matrix leg keeps its own comment, and a bad key is refused under its name', async () => {
    const plan = await parseIn({ ...preview, 'comment-key': 'eu-west-1' }, github('pull_request'))
    expect(plan.build?.comment).toMatchObject({ post: true, commentKey: 'eu-west-1' })
    const attempt = parseIn({ ...preview, 'comment-key': 'no\nnewlines' }, github('pull_request'))
    await expect(attempt).rejects.toThrow(ConfigurationError)
    await expect(attempt).rejects.toThrow("Input 'comment-key'")
  })

  it('github-token is not a build input: it goes with existing-image and with a Render build from the repository', async () => {
    const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@sha256:${'c'.repeat(64)}`
    const promoted = await parse({
      target: 'ecs',
      service: 'web',
      url: 'https://web.example.com/',
      'existing-image': image,
      'github-token': 'ghs_token',
    })
    expect(promoted.existingImage).toBe(image)
    const fromRepository = await parse({ ...render, 'github-token': 'ghs_token' })
    expect(fromRepository.build).toBeUndefined()
  })

  it.each([
    [
      { ...preview, comment: 'sometimes' },
      "Input 'comment' must be one of auto, true, false (got 'sometimes')",
    ],
    [
      { ...preview, comment: 'true', 'github-token': '' },
      "Input 'comment' is true, but 'github-token' is empty",
    ],
    [{ ...render, comment: 'auto' }, "Input 'comment' needs 'image' with target: render"],
  ])('refuses %j before anything runs: %s', async (values, message) => {
    const attempt = parseIn(values, github('pull_request'))
    await expect(attempt).rejects.toThrow(ConfigurationError)
    await expect(attempt).rejects.toThrow(message)
  })
})
