import { afterEach, expect, test } from '@jest/globals'
import type { FakeEcs, FakeEcsOptions } from '../fakes/ecs.js'
import { startFakeWithWeb } from '../fakes/ecs-fixtures.js'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { runStep } from '../helpers/run-step.js'

// ecs-blue-green-deploy with `github-environment`, from its action.yml on the model runner,
// against the fake ECS and the fake GitHub API (test/fakes/github.ts, held to Octokit's types and
// clients): the deployment recorded for the commit, success or failure after the rollout.

const REPO = 'octo-org/web'
const SHA = 'f'.repeat(40)
let ecs: FakeEcs | undefined
let github: FakeGitHub | undefined

afterEach(async () => {
  await ecs?.close()
  await github?.close()
  ecs = undefined
  github = undefined
})

async function start(options: FakeEcsOptions = {}) {
  ecs = await startFakeWithWeb(options)
  github = await startFakeGitHub({ repositories: [REPO] })
  return { ecs, github }
}

function deploy(e: FakeEcs, g: FakeGitHub, inputs: Record<string, string>) {
  return runStep(
    'ecs-blue-green-deploy',
    {
      cluster: 'prod',
      service: 'web',
      'container-name': 'web',
      'poll-interval': '100ms',
      timeout: '60s',
      ...inputs,
    },
    {
      env: e.env(),
      github: {
        repository: REPO,
        sha: SHA,
        api_url: g.apiUrl,
        token: g.token,
        run_id: '77',
        server_url: 'https://github.com',
      },
    },
  )
}

test('a successful rollout: in_progress, then success with the environment URL', async () => {
  const { ecs: e, github: g } = await start()
  const run = await deploy(e, g, {
    image: 'registry.example/web:new',
    'github-environment': 'production',
    'github-environment-url': 'https://web.example.com/',
  })
  expect(run.exitCode).toBe(0)
  expect(g.deployments.map((d) => [d.sha, d.environment, d.description])).toEqual([
    [SHA, 'production', 'ecs-blue-green-deploy: web in prod'],
  ])
  const statuses = g.statuses.get(Number(g.deployments[0]?.id)) ?? []
  expect(statuses.map((s) => [s.state, s.environment_url, s.log_url])).toEqual([
    ['in_progress', '', 'https://github.com/octo-org/web/actions/runs/77'],
    ['success', 'https://web.example.com/', 'https://github.com/octo-org/web/actions/runs/77'],
  ])
  expect(run.log).not.toContain(g.token)
})

test('a rollout that fails and rolls back: failure', async () => {
  const { ecs: e, github: g } = await start({ behaviour: 'fail' })
  const run = await deploy(e, g, { image: 'registry.example/web:crash', 'github-environment': 'production' })
  expect(run.exitCode).toBe(1)
  expect(run.outputs['rolled-back']).toBe('true')
  const statuses = g.statuses.get(Number(g.deployments[0]?.id)) ?? []
  expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'failure'])
})

test('nothing is requested of GitHub without github-environment, and a bad URL fails first', async () => {
  const { ecs: e, github: g } = await start()
  const run = await deploy(e, g, { image: 'registry.example/web:new' })
  expect(run.exitCode).toBe(0)
  expect(g.requests).toEqual([])
  const bad = await deploy(e, g, {
    image: 'registry.example/web:new',
    'github-environment': 'production',
    'github-environment-url': 'web.example.com',
  })
  expect(bad.exitCode).toBe(1)
  expect(bad.errors[0]).toMatch(/^Invalid configuration: Input 'github-environment-url'/)
  expect(g.requests).toEqual([])
})
