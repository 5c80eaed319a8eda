import { afterEach, describe, expect, it } from '@jest/globals'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { startFakeRender, type FakeRender, type FakeRenderOptions } from '../fakes/render.js'
import { runStep } from '../helpers/run-step.js'

// render-deploy with `github-environment`, from its action.yml on the model runner, against the
// fake Render API and the fake GitHub API (test/fakes/github.ts, held to Octokit's types and
// clients): the deployment GitHub records for the commit, its statuses and URLs.

const REPO = 'octo-org/web'
const SHA = 'e'.repeat(40)
let render: FakeRender | undefined
let github: FakeGitHub | undefined

afterEach(async () => {
  await render?.close()
  await github?.close()
  render = undefined
  github = undefined
})

async function start(options: FakeRenderOptions = {}) {
  render = await startFakeRender(options)
  github = await startFakeGitHub({ repositories: [REPO] })
  return { render, github }
}

function deploy(r: FakeRender, g: FakeGitHub, inputs: Record<string, string>, token = g.token) {
  return runStep(
    'render-deploy',
    {
      'service-id': 'srv-web',
      'api-key': r.apiKey,
      'api-url': r.apiUrl,
      'poll-interval': '100ms',
      timeout: '20s',
      ...inputs,
    },
    {
      github: {
        repository: REPO,
        sha: SHA,
        api_url: g.apiUrl,
        token,
        run_id: '4242',
        server_url: 'https://github.com',
      },
    },
  )
}

describe('render-deploy records a GitHub deployment', () => {
  it('in_progress, then success with the service URL and the run as log URL', async () => {
    const { render: r, github: g } = await start()
    const run = await deploy(r, g, { 'github-environment': 'staging' })
    expect(run.exitCode).toBe(0)
    expect(run.warnings).toEqual([])
    const [deployment] = g.deployments
    expect(deployment).toMatchObject({
      sha: SHA,
      ref: SHA,
      environment: 'staging',
      description: 'render-deploy: srv-web',
    })
    const statuses = g.statuses.get(Number(deployment?.id)) ?? []
    expect(statuses.map((s) => [s.state, s.environment_url, s.log_url])).toEqual([
      ['in_progress', '', 'https://github.com/octo-org/web/actions/runs/4242'],
      ['success', 'https://srv-web.onrender.com', 'https://github.com/octo-org/web/actions/runs/4242'],
    ])
    expect(run.log).not.toContain(g.token)
  })

  it('failure when the deploy fails', async () => {
    const { render: r, github: g } = await start({
      steps: [
        ['build_in_progress', 0],
        ['build_failed', 200],
      ],
    })
    const run = await deploy(r, g, { 'github-environment': 'production' })
    expect(run.exitCode).toBe(1)
    const statuses = g.statuses.get(Number(g.deployments[0]?.id)) ?? []
    expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'failure'])
    expect(statuses[1]?.description.length).toBeLessThanOrEqual(140)
  })

  it('requests nothing of GitHub without github-environment', async () => {
    const { render: r, github: g } = await start()
    const run = await deploy(r, g, {})
    expect(run.exitCode).toBe(0)
    expect(g.requests).toEqual([])
  })

  it('a token that may not create deployments: a warning, and the deploy goes on', async () => {
    const { render: r, github: g } = await start()
    const run = await deploy(r, g, { 'github-environment': 'staging' }, g.readToken)
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('live')
    expect(run.warnings).toEqual([
      'The GitHub deployment in staging could not be recorded: GitHub answered 403 Resource not accessible by integration (the job needs `permissions: deployments: write`)',
    ])
  })

  it('rejects github-environment with an empty token before any request', async () => {
    const { render: r, github: g } = await start()
    const run = await deploy(r, g, { 'github-environment': 'staging', 'github-token': '' }, '')
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toBe(
      "Invalid configuration: Input 'github-environment' is set, but 'github-token' is empty: a deployment needs a token with deployments: write (the default is the job's GITHUB_TOKEN)",
    )
    expect(r.requests).toEqual([])
    expect(g.requests).toEqual([])
  })
})
