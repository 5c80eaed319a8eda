// render-deploy at Render's edges, run as a step on the model runner against the fake Render API:
// failure reasons and logs, cancel on timeout, service kinds, deploy_only, cron jobs, the trigger
// that must not be repeated, paged rollback targets, throttling of the new requests, and the same
// action run twice.
import { afterEach, describe, expect, it } from '@jest/globals'
import { runStep } from '../helpers/run-step.js'
import { startFakeRender, type FakeRender, type FakeRenderOptions } from '../fakes/render.js'

let fake: FakeRender | undefined

afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function start(options: FakeRenderOptions = {}): Promise<FakeRender> {
  fake = await startFakeRender(options)
  return fake
}

function deployRun(render: FakeRender, inputs: Record<string, string> = {}) {
  return runStep('render-deploy', {
    'service-id': 'srv-web',
    'api-key': render.apiKey,
    'api-url': render.apiUrl,
    'poll-interval': '100ms',
    timeout: '20s',
    ...inputs,
  })
}

const posts = (render: FakeRender, suffix: string) =>
  render.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix))

describe('render-deploy: why a deploy failed', () => {
  it('a failed build: the build log lines of its window, the dashboard link, in the log, error and summary', async () => {
    const render = await start({
      steps: [
        ['build_in_progress', 0],
        ['build_failed', 200],
      ],
      failure: {
        logs: ['Collecting Djangoo==5.0', 'ERROR: No matching distribution found for Djangoo==5.0'],
      },
    })
    const run = await deployRun(render)
    expect(run.exitCode).toBe(1)
    const deploy = render.services.get('srv-web')?.deploys[0]
    const logs = render.requests.find((r) => r.path === '/v1/logs')
    expect(logs?.query.get('ownerId')).toBe(render.services.get('srv-web')?.ownerId)
    expect(logs?.query.getAll('resource')).toEqual(['srv-web'])
    expect(logs?.query.getAll('type')).toEqual(['build'])
    expect(logs?.query.get('direction')).toBe('backward')
    expect(Date.parse(logs?.query.get('startTime') ?? '')).toBeLessThanOrEqual(
      Date.parse(deploy?.startedAt ?? ''),
    )
    expect(Date.parse(logs?.query.get('endTime') ?? '')).toBeGreaterThanOrEqual(
      Date.parse(deploy?.finishedAt ?? ''),
    )
    expect(run.stdout).toContain('ERROR: No matching distribution found for Djangoo==5.0')
    // Oldest first in the job log, as they were printed.
    expect(run.stdout.indexOf('Collecting Djangoo')).toBeLessThan(run.stdout.indexOf('ERROR: No matching'))
    const link = `https://dashboard.render.com/web/srv-web/deploys/${deploy?.id}`
    expect(run.stdout).toContain(link)
    expect(run.errors[0]).toContain(`ended build_failed`)
    expect(run.errors[0]).toContain(link)
    expect(run.summary).toContain('ERROR: No matching distribution found')
  })

  it.each([
    [{ nonZeroExit: 3 }, 'Reason: the application exited with status 3'],
    [{ oomKilled: { memoryLimit: '512Mi' } }, 'Reason: the application ran out of memory (limit 512Mi)'],
    [
      { timedOutSeconds: 900, timedOutReason: 'health check' },
      'Reason: it timed out after 900s: health check',
    ],
    [
      { unhealthy: 'GET /health returned 500' },
      'Reason: the instance was unhealthy: GET /health returned 500',
    ],
  ])('a failed update with %j says why from the service events', async (reason, said) => {
    const render = await start({
      steps: [
        ['update_in_progress', 0],
        ['update_failed', 150],
      ],
      failure: { reason, logs: ['Traceback (most recent call last):', 'RuntimeError: boom'] },
    })
    const run = await deployRun(render)
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(said)
    expect(run.stdout).toContain('RuntimeError: boom')
    const events = render.requests.find((r) => r.path === '/v1/services/srv-web/events')
    expect(events?.query.get('startTime')).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(render.requests.find((r) => r.path === '/v1/logs')?.query.getAll('type')).toEqual(['build', 'app'])
  })

  it('a Render that cannot give logs or events still fails the step for the deploy, not for them', async () => {
    const render = await start({ steps: [['update_failed', 100]] })
    render.fail(/^GET \/v1\/logs$/, 10, 403, {}, '{"id":"forbidden","message":"logs not allowed"}')
    render.fail(/^GET \/v1\/services\/srv-web\/events$/, 10, 404, {}, '{"id":"not_found","message":"nope"}')
    const run = await deployRun(render)
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('ended update_failed')
    expect(run.stdout).toContain("Could not read the deploy's logs")
    expect(run.stdout).toContain("Could not read the service's events")
  })
})

describe('render-deploy: timeouts', () => {
  const never: FakeRenderOptions = { steps: [['build_in_progress', 50]] }

  it('with cancel-on-timeout, cancels the deploy once and names the deploy the service stays on', async () => {
    const render = await start(never)
    const previous = render.services.get('srv-web')?.deploys.find((d) => d.status === 'live')
    const run = await deployRun(render, {
      timeout: '1500ms',
      'poll-interval': '200ms',
      'cancel-on-timeout': 'true',
    })
    expect(run.exitCode).toBe(1)
    const deploy = render.services.get('srv-web')?.deploys[0]
    expect(posts(render, '/cancel').map((r) => r.path)).toEqual([
      `/v1/services/srv-web/deploys/${deploy?.id}/cancel`,
    ])
    expect(deploy?.status).toBe('canceled')
    expect(run.outputs).toMatchObject({ status: 'canceled', 'rolled-back': 'false' })
    expect(run.errors[0]).toContain('Timed out after 1.5s')
    expect(run.errors[0]).toContain(`Canceled deploy ${deploy?.id} through the API`)
    expect(run.errors[0]).toContain(`The service stays on deploy ${previous?.id}`)
    expect(render.deploy('srv-web', previous?.id ?? '')?.status).toBe('live')
  })

  it('without cancel-on-timeout, leaves the deploy running and says how to cancel it', async () => {
    const render = await start(never)
    const run = await deployRun(render, { timeout: '1500ms', 'poll-interval': '200ms' })
    expect(run.exitCode).toBe(1)
    expect(posts(render, '/cancel')).toHaveLength(0)
    expect(render.services.get('srv-web')?.deploys[0]?.status).toBe('build_in_progress')
    expect(run.outputs.status).toBe('build_in_progress')
    expect(run.errors[0]).toContain("set 'cancel-on-timeout' to cancel it")
  })

  it('waits out a rate-limited cancel (429 with Retry-After) and cancels once', async () => {
    const render = await start(never)
    render.rateLimit(/^POST \/v1\/services\/srv-web\/deploys\/[^/]+\/cancel$/, 1, 1)
    const run = await deployRun(render, {
      timeout: '1s',
      'poll-interval': '200ms',
      'cancel-on-timeout': 'true',
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      'rate limit reached (HTTP 429) (it asks to wait 1.0s) while canceling deploy',
    )
    expect(render.services.get('srv-web')?.deploys[0]?.status).toBe('canceled')
    expect(run.outputs.status).toBe('canceled')
  })
})

describe('render-deploy: service kinds and modes', () => {
  it.each([
    ['private_service', "reachable only inside Render's network at queue:10000"],
    ['background_worker', 'no URL: it serves no HTTP'],
  ])('a %s deploys but never presents its address as service-url', async (type, said) => {
    const render = await start()
    render.addService({ id: 'srv-other', name: 'queue', type })
    const run = await deployRun(render, { 'service-id': 'srv-other' })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'live', 'service-url': '' })
    expect(run.stdout).toContain(said)
  })

  it('deploy-mode deploy_only sends deployMode alone and follows a deploy that never builds', async () => {
    const render = await start()
    const previous = render.services.get('srv-web')?.deploys.find((d) => d.status === 'live')
    const run = await deployRun(render, { 'deploy-mode': 'deploy_only' })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(posts(render, '/deploys')[0]?.body ?? '')).toEqual({ deployMode: 'deploy_only' })
    const deploy = render.services.get('srv-web')?.deploys[0]
    expect(deploy?.commit?.id).toBe(previous?.commit?.id)
    expect(run.stdout).not.toContain(`Deploy ${deploy?.id}: build_in_progress`)
    expect(run.stdout).toContain(`Deploy ${deploy?.id}: live`)
  })

  it('an image-backed service: the deploy skips the build statuses and goes live', async () => {
    const render = await start()
    render.addService({ id: 'srv-img', image: 'ghcr.io/acme/web:1.0.0' })
    const run = await deployRun(render, { 'service-id': 'srv-img', 'image-url': 'ghcr.io/acme/web:1.1.0' })
    expect(run.exitCode).toBe(0)
    const deploy = render.services.get('srv-img')?.deploys[0]
    expect(run.stdout).not.toContain(`Deploy ${deploy?.id}: build_in_progress`)
    expect(run.stdout).toContain(`Deploy ${deploy?.id}: update_in_progress`)
  })

  it.each([
    [{ 'commit-id': 'abcdef1234567' }, "Input 'commit-id' cannot be used for srv-cron, a cron job"],
    [{ 'cancel-on-timeout': 'true' }, "Input 'cancel-on-timeout' cannot be used for srv-cron, a cron job"],
  ])('a cron job refuses %j after reading the service, before triggering', async (inputs, message) => {
    const render = await start()
    render.addService({ id: 'srv-cron', type: 'cron_job' })
    const run = await deployRun(render, { 'service-id': 'srv-cron', ...inputs })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining(`Invalid configuration: ${message}`)])
    expect(render.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/services/srv-cron'])
  })

  it('deploy_only with a commit is refused before any request', async () => {
    const render = await start()
    const run = await deployRun(render, { 'deploy-mode': 'deploy_only', 'commit-id': 'abcdef1' })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain("Input 'commit-id' cannot be used with 'deploy-mode: deploy_only'")
    expect(render.requests).toHaveLength(0)
  })
})

describe('render-deploy: triggers and rollbacks', () => {
  it("does not repeat a trigger answered 503 by Render's API itself (its JSON error body)", async () => {
    const render = await start()
    render.fail(
      /^POST \/v1\/services\/srv-web\/deploys$/,
      1,
      503,
      {},
      '{"id":"unavailable","message":"deploys are temporarily unavailable"}',
    )
    const run = await deployRun(render)
    expect(run.exitCode).toBe(1)
    expect(posts(render, '/deploys')).toHaveLength(1)
    expect(run.errors[0]).toContain('HTTP 503 while triggering a deploy of srv-web')
    expect(run.errors[0]).toContain('It was not repeated')
  })

  it('finds the live deploy to roll back to beyond the first page of deploys (cursor)', async () => {
    const render = await start({
      steps: [['build_failed', 100]],
      rollbackSteps: [['live', 100]],
    })
    const service = render.services.get('srv-web')
    const live = service?.deploys.find((d) => d.status === 'live')
    // 120 failed deploys since the live one: more than a page of 100.
    const base = Date.parse(live?.createdAt ?? '')
    for (let i = 1; i <= 120; i++) {
      const at = new Date(base + i * 1000).toISOString()
      service?.deploys.unshift({
        ...(live as NonNullable<typeof live>),
        id: `dep-failed${String(i).padStart(4, '0')}`,
        status: 'build_failed',
        createdAt: at,
        updatedAt: at,
        finishedAt: at,
      })
    }
    const run = await deployRun(render, { 'rollback-on-failure': 'true' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs['rolled-back']).toBe('true')
    expect(JSON.parse(posts(render, '/rollback')[0]?.body ?? '')).toEqual({ deployId: live?.id })
    const pages = render.requests.filter(
      (r) => r.path === '/v1/services/srv-web/deploys' && r.method === 'GET',
    )
    expect(pages.some((r) => r.query.get('cursor') !== null)).toBe(true)
  })

  it('warns after a rollback that auto-deploy is on, and not when it is off', async () => {
    const steps: FakeRenderOptions = { steps: [['update_failed', 100]], rollbackSteps: [['live', 100]] }
    const render = await start(steps)
    const on = await deployRun(render, { 'rollback-on-failure': 'true' })
    expect(on.outputs['rolled-back']).toBe('true')
    expect(on.warnings).toEqual([expect.stringContaining('Auto-deploy is on for srv-web')])
    expect(on.warnings[0]).toContain('the next push to main deploys again and undoes this rollback')
    expect(on.summary).toContain('Auto-deploy is on')

    render.addService({ id: 'srv-quiet', autoDeploy: 'no' })
    const off = await deployRun(render, { 'service-id': 'srv-quiet', 'rollback-on-failure': 'true' })
    expect(off.outputs['rolled-back']).toBe('true')
    expect(off.warnings).toEqual([])
  })

  it('waits out rate-limited log and event reads (429 with Retry-After)', async () => {
    const render = await start({ steps: [['update_failed', 100]], failure: { reason: { nonZeroExit: 1 } } })
    render.rateLimit(/^GET \/v1\/logs$/, 1, 1)
    render.rateLimit(/^GET \/v1\/services\/srv-web\/events$/, 1, 1)
    const run = await deployRun(render)
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Reason: the application exited with status 1')
    expect(run.stdout).toContain(
      'rate limit reached (HTTP 429) (it asks to wait 1.0s) while reading the logs of srv-web',
    )
    expect(render.requests.filter((r) => r.path === '/v1/logs')).toHaveLength(2)
  })
})

describe('render-deploy: the same action run twice', () => {
  it('two runs: each reports its own deploy; the second supersedes the first', async () => {
    const render = await start()
    const first = await deployRun(render, { 'commit-id': 'aaaaaaa1111111' })
    const second = await deployRun(render, { 'commit-id': 'bbbbbbb2222222' })
    expect([first.exitCode, second.exitCode]).toEqual([0, 0])
    const [one, two] = [first.outputs['deploy-id'], second.outputs['deploy-id']]
    expect(one).not.toBe(two)
    expect(render.deploy('srv-web', one ?? '')?.status).toBe('deactivated')
    expect(render.deploy('srv-web', two ?? '')?.status).toBe('live')
    expect(posts(render, '/deploys')).toHaveLength(2)
  })

  it('a second run that fails rolls back to the first run’s deploy, which is live again', async () => {
    const render = await start({ rollbackSteps: [['live', 100]] })
    const first = await deployRun(render, { 'commit-id': 'aaaaaaa1111111' })
    expect(first.exitCode).toBe(0)
    render.options.steps = [['build_failed', 100]]
    const second = await deployRun(render, { 'commit-id': 'bbbbbbb2222222', 'rollback-on-failure': 'true' })
    expect(second.exitCode).toBe(1)
    expect(second.outputs['rolled-back']).toBe('true')
    expect(JSON.parse(posts(render, '/rollback')[0]?.body ?? '')).toEqual({
      deployId: first.outputs['deploy-id'],
    })
    const rollback = render.services.get('srv-web')?.deploys.find((d) => d.trigger === 'rollback')
    expect(rollback?.commit?.id).toBe('aaaaaaa1111111')
    expect(rollback?.status).toBe('live')
  })
})
