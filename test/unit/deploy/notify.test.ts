import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { notify, notifyText, runLink } from '../../../src/deploy/notify.js'
import type { DeployOptions } from '../../../src/deploy/options.js'
import type { DeployResult } from '../../../src/deploy/result.js'
import type { DeployPorts } from '../../../src/deploy/deps.js'
import { nodeHttpClient } from '../../../src/lib/http/client.js'
import { fakeClock } from '../../helpers/clock.js'
import { recordingIO } from '../../helpers/io.js'
import { stub } from '../../helpers/stub.js'

// The webhook message against a real HTTP server on the loopback interface, sent by the suite's
// HTTP client through lib/retry, as an incoming webhook (Slack's `{"text": …}`) receives it.

const DIGEST = `sha256:${'e'.repeat(64)}`
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@${DIGEST}`
const ENV = {
  GITHUB_SHA: '4f2c9d1e0b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d',
  GITHUB_REF_NAME: 'main',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/web',
  GITHUB_RUN_ID: '123',
  GITHUB_RUN_ATTEMPT: '2',
}

interface Received {
  method?: string
  contentType?: string
  body: string
}

let server: http.Server
let base: string
const received: Received[] = []
/** What the server answers, one status per request; the last repeats. */
let answers: number[] = [200]

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => {
      received.push({ method: req.method, contentType: req.headers['content-type'], body })
      const status = answers[Math.min(received.length - 1, answers.length - 1)] ?? 200
      res.writeHead(status, { 'Content-Type': 'text/plain' })
      res.end(status === 200 ? 'ok' : 'no_service')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  received.length = 0
  answers = [200]
})

function options(
  on: 'always' | 'failure' = 'always',
  webhook = `${base}/services/T0/B0/secret-path`,
): DeployOptions {
  return {
    target: 'ecs',
    deploy: { services: ['web'], cluster: 'production' },
    notify: { webhook: new URL(webhook), on },
  } as unknown as DeployOptions
}

function result(failure?: string): DeployResult {
  return {
    target: 'ecs',
    origin: 'promoted',
    imageUri: IMAGE,
    imageDeployed: IMAGE,
    deploymentId: 'arn:aws:ecs:eu-west-1:1:service-deployment/production/web/abc',
    status: failure === undefined ? 'SUCCESSFUL' : 'ROLLBACK_SUCCESSFUL',
    url: 'https://www.example.com/',
    phases: [],
    summary: '',
    failure,
  }
}

function ports() {
  const io = recordingIO()
  const clock = fakeClock()
  const deployPorts = stub<DeployPorts>(
    { io, http: nodeHttpClient, env: ENV, sleep: clock.sleep, now: clock.now, random: () => 0.5 },
    'ports',
  )
  return { io, clock, deployPorts }
}

describe('deploy notify-webhook', () => {
  it('posts one Slack-style message with the outcome, service, image, commit and run link', async () => {
    const { io, deployPorts } = ports()
    await notify(deployPorts, options(), result())
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ method: 'POST', contentType: 'application/json' })
    const text = (JSON.parse(received[0]?.body ?? '{}') as { text: string }).text
    expect(text).toBe(
      [
        '✅ Deploy to web (ECS cluster production) succeeded',
        `Image: ${IMAGE} (promoted, not built here)`,
        `Commit: ${ENV.GITHUB_SHA} (main)`,
        'Status: SUCCESSFUL',
        'Run: https://github.com/acme/web/actions/runs/123/attempts/2',
      ].join('\n'),
    )
    expect(io.lines).toEqual(['Notified the webhook (1 try)'])
    expect(io.annotations).toEqual([])
  })

  it('says why a failed run failed', async () => {
    const { deployPorts } = ports()
    await notify(deployPorts, options('failure'), result('Phase ecs-blue-green-deploy failed: rolled back'))
    const text = (JSON.parse(received[0]?.body ?? '{}') as { text: string }).text
    expect(text.split('\n')[0]).toBe(
      '❌ Deploy to web (ECS cluster production) failed: Phase ecs-blue-green-deploy failed: rolled back',
    )
  })

  it('with notify-on: failure, says nothing about a run that succeeded', async () => {
    const { io, deployPorts } = ports()
    await notify(deployPorts, options('failure'), result())
    expect(received).toEqual([])
    expect(io.lines).toEqual([])
  })

  it('tries a throttled or failing webhook again, with backoff', async () => {
    answers = [503, 429, 200]
    const { io, clock, deployPorts } = ports()
    await notify(deployPorts, options(), result())
    expect(received).toHaveLength(3)
    expect(clock.sleeps).toHaveLength(2)
    expect(io.lines).toEqual(['Notified the webhook (3 tries)'])
  })

  it('warns, never throws, when the webhook keeps failing or refuses the message, and never prints its URL', async () => {
    answers = [500]
    const { io, deployPorts } = ports()
    await expect(notify(deployPorts, options(), result())).resolves.toBeUndefined()
    expect(received).toHaveLength(3)
    answers = [404]
    await notify(deployPorts, options(), result())
    expect(received).toHaveLength(4)
    expect(io.annotations.map((a) => [a.level, a.message])).toEqual([
      ['warning', "Could not notify the webhook after 3 tries: HTTP 500. The deploy's outcome is unchanged."],
      ['warning', "Could not notify the webhook after 1 try: HTTP 404. The deploy's outcome is unchanged."],
    ])
    expect(JSON.stringify(io.annotations)).not.toContain('secret-path')
  })

  it('warns when nothing answers at the webhook', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const { io, deployPorts } = ports()
    await notify(deployPorts, options('always', `http://127.0.0.1:${port}/hook`), result())
    expect(io.annotations).toHaveLength(1)
    expect(io.annotations[0]?.message).toMatch(
      /^Could not notify the webhook after 3 tries: connection refused/,
    )
  })

  it('links the run only inside a workflow run, and names a Render service and a repository build', () => {
    expect(runLink({})).toBeUndefined()
    expect(runLink({ ...ENV, GITHUB_RUN_ATTEMPT: '1' })).toBe('https://github.com/acme/web/actions/runs/123')
    const render = {
      target: 'render',
      deploy: { serviceId: 'srv-abc' },
      notify: { on: 'always' },
    } as unknown as DeployOptions
    const text = notifyText(render, { ...result(), origin: 'none', imageDeployed: '', status: 'live' }, {})
    expect(text).toBe(
      [
        '✅ Deploy to srv-abc (Render) succeeded',
        'Image: built by Render from the repository',
        'Commit: unknown',
        'Status: live',
      ].join('\n'),
    )
  })
})
