import { describe, expect, it } from '@jest/globals'
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
