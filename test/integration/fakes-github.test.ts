// The fake GitHub REST API's own tests, over real HTTP. What "answers as GitHub does" is held
// against references nobody here wrote: the paths, bodies and status codes of
// github/rest-api-description as @octokit/openapi-types types them (the fake's objects are typed
// with its `issue-comment`, `deployment`, `deployment-status`, `basic-error` and
// `validation-error` schemas), and the real clients: @actions/github's getOctokit with
// @octokit/plugin-paginate-rest (follows rel="next" in Link headers), @octokit/request (turns an
// error body into RequestError's message), @octokit/plugin-retry (5xx) and
// @octokit/plugin-throttling (a 403 whose message says "secondary rate" with Retry-After).
import { afterEach, describe, expect, it } from '@jest/globals'
import { githubClient, type Octokit } from '../../src/lib/github/client.js'
import { commentMarker, postComment, upsertComment } from '../../src/lib/github/comment.js'
import { finishDeployment, startDeployment } from '../../src/lib/github/deployment.js'
import { githubFailure } from '../../src/lib/github/errors.js'
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../fakes/github.js'
import { recordingIO, type RecordedIO } from '../helpers/io.js'

const REPO = 'octo-org/web'
const target = { owner: 'octo-org', repo: 'web', issueNumber: 7 }
let fake: FakeGitHub

afterEach(async () => {
  await fake?.close()
})

async function start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  fake = await startFakeGitHub(options)
  fake.addPull(REPO, {
    number: 7,
    base: { ref: 'main', sha: 'a'.repeat(40) },
    head: { ref: 'feature', sha: 'b'.repeat(40) },
  })
  return fake
}

function client(io: RecordedIO = recordingIO(), token = fake.token, apiUrl = fake.apiUrl): Promise<Octokit> {
  return githubClient(io, { token, apiUrl, retryAfterBaseMs: 5 })
}

async function raw(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const token = init.token === undefined ? fake.token : init.token
  const response = await fetch(`${fake.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/vnd.github+json',
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  })
  return { status: response.status, headers: response.headers, json: (await response.json()) as unknown }
}

describe('the fake GitHub API on the wire', () => {
  it('pages a list with Link headers (per_page capped at 100) that Octokit paginate follows', async () => {
    await start()
    for (let i = 0; i < 130; i++) fake.seedComment(REPO, 7, `comment ${i}`)
    const first = await raw(`/repos/${REPO}/issues/7/comments?per_page=100`)
    expect(first.status).toBe(200)
    expect((first.json as unknown[]).length).toBe(100)
    const link = first.headers.get('link') ?? ''
    expect(link).toMatch(/<[^>]*[?&]page=2[^>]*>; rel="next"/)
    expect(link).toMatch(/<[^>]*[?&]page=2[^>]*>; rel="last"/)
    const second = await raw(`/repos/${REPO}/issues/7/comments?per_page=100&page=2`)
    expect((second.json as unknown[]).length).toBe(30)
    expect(second.headers.get('link')).toMatch(/rel="first".*rel="prev"/)
    expect(second.headers.get('link')).not.toMatch(/rel="next"/)
    const octokit = await client()
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      ...base(),
      issue_number: 7,
      per_page: 100,
    })
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 130 }, (_, i) => `comment ${i}`))
  })

  it('answers 401 Bad credentials for a missing or unknown token, with GitHub error body', async () => {
    await start()
    for (const token of [null, 'ghp_unknown']) {
      const answer = await raw(`/repos/${REPO}/pulls/7`, { token })
      expect(answer.status).toBe(401)
      expect(answer.json).toEqual({
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      })
    }
    const octokit = await client(recordingIO(), 'ghp_unknown')
    const error = await octokit.rest.pulls.get({ ...base(), pull_number: 7 }).catch((e: unknown) => e)
    expect(githubFailure(error)).toEqual({ status: 401, kind: 'unauthorized', message: 'Bad credentials' })
  })

  it('answers a read-only token’s write with 403 Resource not accessible by integration', async () => {
    await start()
    const answer = await raw(`/repos/${REPO}/issues/7/comments`, {
      method: 'POST',
      body: { body: 'x' },
      token: fake.readToken,
    })
    expect(answer.status).toBe(403)
    expect(answer.json).toMatchObject({ message: 'Resource not accessible by integration', status: '403' })
    expect(await raw(`/repos/${REPO}/issues/7/comments`, { token: fake.readToken })).toMatchObject({
      status: 200,
    })
    const outcome = await postComment(
      await client(recordingIO(), fake.readToken),
      target,
      commentMarker('k'),
      'hello',
    )
    expect(outcome).toEqual({
      posted: false,
      failure: { status: 403, kind: 'denied', message: 'Resource not accessible by integration' },
    })
    expect(fake.commentsOn(REPO, 7)).toEqual([])
  })

  it('answers 404 Not Found for an unknown repository, pull request or comment', async () => {
    await start()
    for (const path of [
      '/repos/octo-org/other/pulls/7',
      `/repos/${REPO}/pulls/8`,
      `/repos/${REPO}/issues/comments/1`,
    ]) {
      const answer = await raw(path)
      expect(answer).toMatchObject({ status: 404, json: { message: 'Not Found', status: '404' } })
    }
  })

  it('answers 422 Validation Failed with errors[] for an empty body, which Octokit puts in its message', async () => {
    await start()
    const answer = await raw(`/repos/${REPO}/issues/7/comments`, { method: 'POST', body: {} })
    expect(answer.status).toBe(422)
    expect(answer.json).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
    })
    const octokit = await client()
    const error = await octokit.rest.issues
      .createComment({ ...base(), issue_number: 7, body: '' })
      .catch((e: unknown) => e)
    const failure = githubFailure(error)
    expect(failure.status).toBe(422)
    expect(failure.message).toContain(
      'Validation Failed: {"resource":"IssueComment","code":"missing_field","field":"body"}',
    )
  })

  it('rate-limits with a 403 and Retry-After that plugin-throttling waits out, then gives up after its retries', async () => {
    await start()
    fake.rateLimit(/^POST .*\/comments$/, 1, 2)
    const io = recordingIO()
    const octokit = await client(io)
    const { data } = await octokit.rest.issues.createComment({
      ...base(),
      issue_number: 7,
      body: 'after the limit',
    })
    expect(data.body).toBe('after the limit')
    expect(fake.requests.filter((r) => r.method === 'POST').length).toBe(2)
    expect(io.lines.join('\n')).toContain(
      'secondary rate limit on POST /repos/{owner}/{repo}/issues/{issue_number}/comments: retrying in 2s',
    )

    fake.rateLimit(/^POST .*\/comments$/, 10, 1)
    const error = await octokit.rest.issues
      .createComment({ ...base(), issue_number: 7, body: 'x' })
      .catch((e: unknown) => e)
    expect(githubFailure(error)).toMatchObject({ status: 403, kind: 'other' })
    expect(githubFailure(error).message).toMatch(/secondary rate limit/)
  })

  it('retries a 502 (plugin-retry) and succeeds', async () => {
    await start()
    fake.failServer(/^GET .*\/pulls\/7$/, 2)
    const octokit = await client()
    const { data } = await octokit.rest.pulls.get({ ...base(), pull_number: 7 })
    expect(data.base.sha).toBe('a'.repeat(40))
    expect(fake.requests.filter((r) => r.path.endsWith('/pulls/7')).length).toBe(3)
  })

  it('a GitHub that accepts the request and never answers: each attempt ends at the timeout and is retried', async () => {
    await start()
    const pulls = () => fake.requests.filter((r) => r.path.endsWith('/pulls/7')).length
    const timed = (io = recordingIO()) =>
      githubClient(io, { token: fake.token, apiUrl: fake.apiUrl, retryAfterBaseMs: 5, requestTimeoutMs: 300 })
    // Once: the retry gets its answer.
    fake.hang(/^GET .*\/pulls\/7$/, 1)
    const { data } = await (await timed()).rest.pulls.get({ ...base(), pull_number: 7 })
    expect(data.number).toBe(7)
    expect(pulls()).toBe(2)
    // Always: plugin-retry's three retries, then a failure saying what happened (not a "500").
    fake.hang(/^GET .*\/pulls\/7$/, 10)
    const started = performance.now()
    const error = await (await timed()).rest.pulls.get({ ...base(), pull_number: 7 }).catch((e: unknown) => e)
    const elapsed = performance.now() - started
    expect(pulls()).toBe(2 + 4)
    // Four attempts of 300 ms each: bounded by the timeout, not by undici's 300 s.
    expect(elapsed).toBeGreaterThanOrEqual(4 * 300)
    expect(githubFailure(error)).toEqual({
      status: undefined,
      kind: 'other',
      message: `no answer from ${new URL(fake.apiUrl).host} within 0.3s`,
    })
  })

  it('serves a GitHub Enterprise Server base URL (/api/v3) and sends the token as Octokit does', async () => {
    await start({ prefix: '/api/v3' })
    const octokit = await client()
    await octokit.rest.pulls.get({ ...base(), pull_number: 7 })
    expect(fake.requests.at(-1)).toMatchObject({ path: `/api/v3/repos/${REPO}/pulls/7`, token: fake.token })
    const wrong = await client(recordingIO(), fake.token, fake.apiUrl.replace('/api/v3', ''))
    const error = await wrong.rest.pulls.get({ ...base(), pull_number: 7 }).catch((e: unknown) => e)
    expect(githubFailure(error).status).toBe(404)
  })
})

describe('comments and deployments against the fake', () => {
  it('finds the marked comment on a later page and updates it in place: one comment however often it runs', async () => {
    await start()
    for (let i = 0; i < 120; i++) fake.seedComment(REPO, 7, `review ${i}`)
    const octokit = await client()
    const marker = commentMarker('setup-django-test CI/test')
    const first = await upsertComment(octokit, target, marker, 'run 1')
    const second = await upsertComment(octokit, target, marker, 'run 2')
    expect(first.action).toBe('created')
    expect(second).toEqual({ action: 'updated', url: first.url })
    const ours = fake.commentsOn(REPO, 7).filter((c) => c.body?.includes(marker))
    expect(ours.map((c) => c.body)).toEqual([`${marker}\nrun 2`])
    expect(fake.commentsOn(REPO, 7).length).toBe(121)
    const other = await upsertComment(
      octokit,
      target,
      commentMarker('setup-django-test CI/lint'),
      'other job',
    )
    expect(other.action).toBe('created')
  })

  it('cuts a body over GitHub’s 65536-character limit instead of getting a 422', async () => {
    await start()
    const outcome = await postComment(await client(), target, commentMarker('k'), 'x'.repeat(70_000))
    expect(outcome.posted).toBe(true)
    expect(fake.commentsOn(REPO, 7)[0]?.body?.length).toBe(65536)
  })

  it('records a deployment: in_progress, then success with the environment URL and the run’s log URL', async () => {
    await start()
    const io = recordingIO()
    const octokit = await client(io)
    const deployTarget = {
      owner: 'octo-org',
      repo: 'web',
      sha: 'c'.repeat(40),
      environment: 'staging',
      logUrl: 'https://github.com/octo-org/web/actions/runs/42',
      description: 'render-deploy: srv-web',
    }
    const record = await startDeployment(io, octokit, deployTarget)
    expect(record).toBeDefined()
    if (!record) return
    await finishDeployment(io, octokit, deployTarget, record, {
      ok: true,
      environmentUrl: 'https://web.onrender.com',
      description: 'live',
    })
    const created = JSON.parse(
      fake.requests.find((r) => r.path.endsWith('/deployments'))?.body ?? '{}',
    ) as unknown
    expect(created).toMatchObject({
      ref: 'c'.repeat(40),
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
    })
    expect(fake.statuses.get(record.id)?.map((s) => [s.state, s.environment_url, s.log_url])).toEqual([
      ['in_progress', '', deployTarget.logUrl],
      ['success', 'https://web.onrender.com', deployTarget.logUrl],
    ])
    const second = await startDeployment(io, octokit, deployTarget)
    if (!second) throw new Error('no second deployment')
    await finishDeployment(io, octokit, deployTarget, second, { ok: true, description: 'live' })
    // auto_inactive: the earlier staging deployment is inactive now, as GitHub does.
    expect(fake.statuses.get(record.id)?.at(-1)?.state).toBe('inactive')
    expect(io.annotations).toEqual([])
  })

  it('warns (never throws) when the token may not create deployments', async () => {
    await start()
    const io = recordingIO()
    const record = await startDeployment(io, await client(io, fake.readToken), {
      owner: 'octo-org',
      repo: 'web',
      sha: 'c'.repeat(40),
      environment: 'production',
      logUrl: 'https://github.com/octo-org/web/actions/runs/42',
      description: 'ecs',
    })
    expect(record).toBeUndefined()
    expect(io.annotations.map((a) => a.message)).toEqual([
      'The GitHub deployment in production could not be recorded: GitHub answered 403 Resource not accessible by integration (the job needs `permissions: deployments: write`)',
    ])
    expect(fake.deployments).toEqual([])
  })

  it('answers an invalid status state and an over-long description with 422', async () => {
    await start()
    const created = await raw(`/repos/${REPO}/deployments`, { method: 'POST', body: { ref: 'd'.repeat(40) } })
    expect(created.status).toBe(201)
    const id = (created.json as { id: number }).id
    const bad = await raw(`/repos/${REPO}/deployments/${id}/statuses`, {
      method: 'POST',
      body: { state: 'done' },
    })
    expect(bad).toMatchObject({ status: 422, json: { errors: [{ field: 'state', code: 'invalid' }] } })
    const long = await raw(`/repos/${REPO}/deployments/${id}/statuses`, {
      method: 'POST',
      body: { state: 'success', description: 'x'.repeat(141) },
    })
    expect(long.status).toBe(422)
    const branch = await raw(`/repos/${REPO}/deployments`, {
      method: 'POST',
      body: { ref: 'no-such-branch' },
    })
    expect(branch).toMatchObject({ status: 422, json: { message: 'No ref found for: no-such-branch' } })
  })
})

function base() {
  return { owner: 'octo-org', repo: 'web' }
}
