// The action's public face as deploy uses it: parse, run, outputs. The run returns its result
// (the failure included) and writes no output or summary itself.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { parse } from 'yaml'
import {
  ecsDeployOutputs,
  parseEcsDeployOptions,
  runEcsDeploy,
  type EcsDeployOptions,
} from '../../../src/ecs-blue-green-deploy/api.js'
import { ConfigurationError } from '../../../src/lib/errors.js'
import { repoRoot } from '../../helpers/run-action.js'
import { arnOf, broken, ecsMock, PAUSED_AT_GATE, setupWorld, webService, workerService } from './ecs-world.js'

async function optionsOf(world: ReturnType<typeof setupWorld>, imageFromPipeline = false) {
  const { deps } = world
  return parseEcsDeployOptions(deps.getInput, { readFile: deps.readFile, env: deps.env, imageFromPipeline })
}

beforeEach(() => {
  ecsMock.reset()
})

test('a successful run: a typed result, and nothing written to the outputs or the summary', async () => {
  const world = setupWorld([webService()], { service: 'web', image: 'web:new' })
  const result = await runEcsDeploy(world.deps, await optionsOf(world))
  expect(result).toMatchObject({
    status: 'SUCCESSFUL',
    rolledBack: false,
    taskDefinitionArn: arnOf('web', 2),
    deploymentArn: expect.stringContaining('service-deployment/prod/web/'),
    deployments: [
      {
        service: 'web',
        cluster: 'prod',
        strategy: 'blue-green',
        taskDefinitionArn: arnOf('web', 2),
        previousTaskDefinitionArn: arnOf('web', 1),
        status: 'SUCCESSFUL',
        rolledBack: false,
        serviceTaskDefinitionArn: arnOf('web', 2),
      },
    ],
  })
  expect(result.failure).toBeUndefined()
  expect(result.summary).toContain('| web | blue-green | `web:2` |')
  expect(world.io.outputs).toEqual({})
  expect(world.io.summary).toBe('')
})

test('a failed gate is returned, not thrown: the failure line, rolled back, and where the service is', async () => {
  const web = webService()
  web.scripts.push(PAUSED_AT_GATE)
  const world = setupWorld(
    [web],
    { service: 'web', image: 'web:new', 'test-url': 'http://test.internal', timeout: '2m' },
    broken,
  )
  world.rollBackOnAnswer()
  const result = await runEcsDeploy(world.deps, await optionsOf(world))
  expect(result).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', rolledBack: true })
  expect(result.failure).toMatch(
    /^Deployment of web:2 to service 'web' was rolled back: the service is back on web:1\./,
  )
  expect(result.summary).toContain('Test gate')
  expect(ecsDeployOutputs(result)).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', 'rolled-back': 'true' })
})

test('an image from the pipeline: parsed without one, registered with the one the caller sets', async () => {
  const world = setupWorld([webService()], { service: 'web' })
  const options = await optionsOf(world, true)
  expect(options.image).toBeUndefined()
  // A caller that forgets to set it has a bug: it is caught before any AWS client is made.
  await expect(runEcsDeploy(world.deps, options)).rejects.toThrow(/none was set/)
  expect(world.ecsCreated()).toBe(0)
  const digest = `repo/web@sha256:${'a'.repeat(64)}`
  const withImage: EcsDeployOptions = { ...options, image: digest }
  const result = await runEcsDeploy(world.deps, withImage)
  expect(result.status).toBe('SUCCESSFUL')
  const registered = ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input
  expect(registered?.containerDefinitions?.[0]?.image).toBe(digest)
})

test('options a service cannot take are bad input: thrown before anything is registered', async () => {
  const world = setupWorld([workerService()], { service: 'worker', image: 'w:2', strategy: 'blue-green' })
  await expect(runEcsDeploy(world.deps, await optionsOf(world))).rejects.toBeInstanceOf(ConfigurationError)
  expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
  expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0)
})

test('a missing service is an operational failure before any change: returned with status NOT_STARTED', async () => {
  const world = setupWorld([webService()], { services: 'web, worker', image: 'web:new' })
  const result = await runEcsDeploy(world.deps, await optionsOf(world))
  expect(result).toMatchObject({ status: 'NOT_STARTED', rolledBack: false, deployments: [] })
  expect(result.failure).toBe("Service 'worker' not found in cluster 'prod' (MISSING, region us-east-1)")
})

test("ecsDeployOutputs sets exactly action.yml's outputs, all strings", async () => {
  const yml = parse(
    readFileSync(join(repoRoot(), 'actions', 'ecs-blue-green-deploy', 'action.yml'), 'utf8'),
  ) as { outputs: Record<string, unknown> }
  const world = setupWorld([webService()], { service: 'web', image: 'web:new' })
  const outputs = ecsDeployOutputs(await runEcsDeploy(world.deps, await optionsOf(world)))
  expect(Object.keys(outputs).sort()).toEqual(Object.keys(yml.outputs).sort())
  expect(Object.values(outputs).every((value) => typeof value === 'string')).toBe(true)
  expect(JSON.parse(outputs.deployments)).toEqual([expect.objectContaining({ service: 'web' })])
  expect(outputs['migration-task-arn']).toBe('')
})
