import { afterEach, describe, expect, it } from '@jest/globals'
import { runStep, type StepRun } from '../helpers/run-step.js'
import type { FakeRender } from '../fakes/render.js'
import { startFakeRender, type FakeRenderOptions } from '../fakes/render.js'

let fake: FakeRender | undefined

afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function start(options: FakeRenderOptions = {}): Promise<FakeRender> {
  fake = await startFakeRender(options)
  return fake
}

function deployRun(
  render: FakeRender,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
) {
  return runStep(
    'render-deploy',
    {
      'service-id': 'srv-web',
      'api-key': render.apiKey,
      'api-url': render.apiUrl,
      'poll-interval': '100ms',
      timeout: '20s',
      ...inputs,
    },
    { env },
  )
}

/** The secrets must reach the runner only in its `::add-mask::` commands, never in anything shown. */
function expectNoSecrets(run: StepRun, secrets: string[]): void {
  const shown = [
    run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
  ].join('\n')
  for (const secret of secrets) expect(shown).not.toContain(secret)
}

describe('render-deploy against a fake Render API', () => {
  it('deploys a commit (201), prints each status change and reports it live', async () => {
    const render = await start()
    const run = await deployRun(render, { 'commit-id': 'abcdef1234567', 'clear-cache': 'true' })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const created = render.services.get('srv-web')?.deploys[0]
    expect(run.outputs).toEqual({
      'deploy-id': created?.id,
      status: 'live',
      'service-url': 'https://srv-web.onrender.com',
      'rolled-back': 'false',
    })
    const trigger = render.requests.find((r) => r.method === 'POST')
    expect(JSON.parse(trigger?.body ?? '')).toEqual({ clearCache: 'clear', commitId: 'abcdef1234567' })
    expect(trigger?.headers.authorization).toBe(`Bearer ${render.apiKey}`)
    for (const status of ['build_in_progress', 'update_in_progress', 'live'])
      expect(run.stdout).toContain(`Deploy ${created?.id}: ${status}`)
    expect(run.summary).toContain('Render deploy succeeded')
    expect(run.summary).toContain('Timeline')
    expect(run.stdout).toContain(`::add-mask::${render.apiKey}`)
    expectNoSecrets(run, [render.apiKey])
  })

  it('finds a queued deploy after a 202 answer through the deploy list', async () => {
    const render = await start({ triggerAnswer: 202 })
    const run = await deployRun(render)
    expect(run.exitCode).toBe(0)
    const created = render.services.get('srv-web')?.deploys[0]
    expect(run.outputs['deploy-id']).toBe(created?.id)
    expect(run.outputs.status).toBe('live')
    const lookup = render.requests.find((r) => r.method === 'GET' && r.query.get('status') === 'queued')
    expect(lookup?.query.get('createdAfter')).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(run.stdout).toContain('HTTP 202')
  })

  it('reads the key from RENDER_API_KEY when the input is empty', async () => {
    const render = await start()
    const run = await deployRun(render, { 'api-key': '' }, { RENDER_API_KEY: render.apiKey })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('live')
    expectNoSecrets(run, [render.apiKey])
  })

  it('rolls back to the last live deploy when the build fails, and fails the step', async () => {
    const render = await start({
      steps: [
        ['build_in_progress', 0],
        ['build_failed', 200],
      ],
    })
    const previous = render.services.get('srv-web')?.deploys.find((d) => d.status === 'live')
    const run = await deployRun(render, { 'rollback-on-failure': 'true' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.status).toBe('build_failed')
    expect(run.outputs['rolled-back']).toBe('true')
    const rollback = render.requests.find((r) => r.path.endsWith('/rollback'))
    expect(JSON.parse(rollback?.body ?? '')).toEqual({ deployId: previous?.id })
    const rollbackDeploy = render.services.get('srv-web')?.deploys.find((d) => d.trigger === 'rollback')
    expect(rollbackDeploy?.status).toBe('live')
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('ended build_failed')
    expect(run.errors[0]).toContain(`Rolled back to deploy ${previous?.id}`)
    expect(run.stdout).toContain(`Deploy ${rollbackDeploy?.id}: live`)
    expect(run.summary).toContain('failed, rolled back')
  })

  it('fails without rolling back when rollback-on-failure is off', async () => {
    const render = await start({ steps: [['update_failed', 100]] })
    const run = await deployRun(render)
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ status: 'update_failed', 'rolled-back': 'false' })
    expect(render.requests.some((r) => r.path.endsWith('/rollback'))).toBe(false)
    expect(run.errors[0]).toMatch(/ended update_failed.*source: commit [0-9a-f]{7}/)
  })

  it('waits out 429 bursts as Retry-After and Ratelimit-Reset ask', async () => {
    const render = await start()
    render.fail(/^POST \/v1\/services\/srv-web\/deploys$/, 1, 429, { 'ratelimit-reset': '1' })
    render.fail(/^GET \/v1\/services\/srv-web\/deploys\/dep-/, 2, 429, { 'retry-after': '1' })
    const run = await deployRun(render)
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('live')
    expect(run.stdout.match(/rate limit reached \(HTTP 429\) \(it asks to wait 1\.0s\)/g)).toHaveLength(3)
    expect(render.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
  })

  it('retries 5xx answers and keeps polling', async () => {
    const render = await start()
    render.fail(/^GET \/v1\/services\/srv-web$/, 1, 500, {}, 'oops')
    render.fail(/^POST \/v1\/services\/srv-web\/deploys$/, 2, 503)
    render.fail(/^GET \/v1\/services\/srv-web\/deploys\/dep-/, 2, 502)
    const run = await deployRun(render)
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('live')
    expect(run.stdout).toContain('Render answered HTTP 503 while triggering a deploy of srv-web; retrying')
  })

  it('does not repeat a trigger answered 500, which may have created a deploy', async () => {
    const render = await start()
    render.fail(
      /^POST \/v1\/services\/srv-web\/deploys$/,
      1,
      500,
      {},
      '{"id":"internal","message":"internal error"}',
    )
    const run = await deployRun(render)
    expect(run.exitCode).toBe(1)
    expect(render.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
    expect(run.errors[0]).toContain(
      'HTTP 500 while triggering a deploy of srv-web. Render said: internal error',
    )
  })

  it('explains a rejected API key (401) and triggers nothing', async () => {
    const render = await start()
    const run = await deployRun(render, { 'api-key': 'rnd_wrongwrongwrong' })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('Render rejected the API key (HTTP 401)')
    expect(render.requests.some((r) => r.method === 'POST')).toBe(false)
    expectNoSecrets(run, ['rnd_wrongwrongwrong'])
  })

  it('explains an unknown service (404)', async () => {
    const render = await start()
    const run = await deployRun(render, { 'service-id': 'srv-nothere' })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      "Render service 'srv-nothere' was not found (HTTP 404): check 'service-id'",
    )
  })

  it('times out on a deploy that never finishes, with its last status', async () => {
    const render = await start({ steps: [['build_in_progress', 50]] })
    const run = await deployRun(render, {
      timeout: '1500ms',
      'poll-interval': '200ms',
      'rollback-on-failure': 'true',
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ status: 'build_in_progress', 'rolled-back': 'false' })
    expect(run.errors[0]).toContain('Timed out after 1.5s waiting for deploy')
    expect(render.requests.some((r) => r.path.endsWith('/rollback'))).toBe(false)
  })

  it('deploys an image to an image-backed service, whose deploys have no commit', async () => {
    const render = await start()
    render.addService({ id: 'srv-img', image: 'ghcr.io/acme/web:1.0.0' })
    const run = await deployRun(render, { 'service-id': 'srv-img', 'image-url': 'ghcr.io/acme/web:1.1.0' })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const created = render.services.get('srv-img')?.deploys[0]
    expect(created?.commit).toBeNull()
    expect(run.outputs['deploy-id']).toBe(created?.id)
    expect(JSON.parse(render.requests.find((r) => r.method === 'POST')?.body ?? '')).toEqual({
      clearCache: 'do_not_clear',
      imageUrl: 'ghcr.io/acme/web:1.1.0',
    })
    expect(run.stdout).toContain('image ghcr.io/acme/web:1.1.0')
  })

  it('calls a deploy hook without an API key: triggers, warns that waiting needs a key, hides the hook', async () => {
    const render = await start()
    render.addService({ id: 'srv-img', image: 'ghcr.io/acme/web:1.0.0' })
    const hook = render.hookUrl('srv-img')
    const run = await runStep('render-deploy', {
      'deploy-hook-url': hook,
      'image-url': 'ghcr.io/acme/web:2.0.0',
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const call = render.requests.find((r) => r.path === '/deploy/srv-img')
    expect(call?.query.get('imgURL')).toBe('ghcr.io/acme/web:2.0.0')
    expect(run.outputs.status).toBe('triggered')
    expect(run.outputs['deploy-id']).toBe(render.services.get('srv-img')?.deploys[0]?.id)
    expect(render.services.get('srv-img')?.deploys[0]?.image?.ref).toBe('ghcr.io/acme/web:2.0.0')
    expect(run.stdout).toMatch(/::warning::.*waiting needs an API key/)
    expect(run.stdout).toContain(`::add-mask::${hook}`)
    expect(run.stdout).toContain(`::add-mask::${render.hookKey}`)
    expectNoSecrets(run, [hook, render.hookKey])
  })

  it('calls a deploy hook and follows the deploy when a key is given too', async () => {
    const render = await start({ hookReturnsId: false })
    const hook = render.hookUrl('srv-web')
    const run = await runStep('render-deploy', {
      'deploy-hook-url': hook,
      'api-key': render.apiKey,
      'api-url': render.apiUrl,
      'poll-interval': '100ms',
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const created = render.services.get('srv-web')?.deploys.find((d) => d.trigger === 'deploy_hook')
    expect(run.outputs).toMatchObject({ 'deploy-id': created?.id, status: 'live' })
    expect(render.requests.some((r) => r.method === 'POST' && r.path.startsWith('/v1/'))).toBe(false)
    expectNoSecrets(run, [hook, render.hookKey, render.apiKey])
  })

  it('explains a deploy hook Render rejects without echoing it', async () => {
    const render = await start()
    const hook = render.hookUrl('srv-web', 'stale-key-1234')
    const run = await runStep('render-deploy', { 'deploy-hook-url': hook })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Render rejected the deploy hook (HTTP 404)')
    expectNoSecrets(run, [hook, 'stale-key-1234'])
  })

  it.each([
    [{ 'api-key': '' }, "Set 'api-key' (or the RENDER_API_KEY environment variable)"],
    [
      { 'commit-id': 'abcdef1', 'image-url': 'ghcr.io/a/b:1' },
      "Inputs 'commit-id' and 'image-url' cannot be used together",
    ],
    [
      { 'deploy-hook-url': 'http://render.example/deploy/srv-web?key=hk-0f3a9' },
      "Input 'deploy-hook-url' must be an https URL",
    ],
    [{ timeout: 'ten minutes' }, "Input 'timeout' must be a positive duration"],
    [{ 'poll-interval': '0s' }, "Input 'poll-interval' must be a positive duration"],
    [{ 'service-id': 'web' }, "Input 'service-id' must be a Render service id like srv-abc123"],
    [{ 'api-url': 'ftp://api.render.com/v1' }, "Input 'api-url' must be an http or https URL"],
    [{ 'api-url': 'http://api.render.example/v1' }, "Input 'api-url' must be an https URL"],
  ])('rejects %j before any request', async (inputs, message) => {
    const render = await start()
    const run = await deployRun(render, inputs)
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(`Invalid configuration: ${message}`)
    expect(render.requests).toHaveLength(0)
    expectNoSecrets(run, [render.apiKey])
  })
})
