import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { githubClient } from '../../src/lib/github/client.js'
import {
  commentImageFindings,
  imageCommentBody,
  parseImageCommentOptions,
} from '../../src/build-and-scan-image/pr-comment.js'
import type { BuildAndScanImageResult } from '../../src/build-and-scan-image/result.js'
import { assess, parseTrivyReport } from '../../src/build-and-scan-image/trivy-report.js'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { inputsOf, recordingIO } from '../helpers/io.js'

// build-and-scan-image's pull request comment: the findings of a Trivy report (the unit tests'
// mixed.json) through the real Octokit to the fake GitHub API (test/fakes/github.ts).

const REPO = 'octo-org/web'
const dir = mkdtempSync(join(tmpdir(), 'image-comment-'))
const event = join(dir, 'event.json')
writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: 'b'.repeat(40) } } }))
let fake: FakeGitHub | undefined

async function startWithPull(): Promise<FakeGitHub> {
  const github = await startFakeGitHub({ repositories: [REPO] })
  github.addPull(REPO, {
    number: 7,
    base: { ref: 'main', sha: 'a'.repeat(40) },
    head: { ref: 'f', sha: 'b'.repeat(40) },
  })
  fake = github
  return github
}

afterEach(async () => {
  await fake?.close()
  fake = undefined
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function result(ignoreUnfixed: boolean): BuildAndScanImageResult {
  const text = readFileSync(
    new URL('../unit/build-and-scan-image/reports/mixed.json', import.meta.url),
    'utf8',
  )
  const assessment = assess(parseTrivyReport(text), {
    ignoreUnfixed,
    ignore: { ids: new Set(), expired: [] },
  })
  return {
    image: 'shop',
    references: ['shop:pr-7'],
    builder: 'docker',
    scan: { assessment, threshold: 'HIGH', passed: false, sarifFile: '', reportFile: '' },
    summary: '',
    failure: '3 findings at HIGH or above',
  }
}

function env(fakeUrl: string, eventName = 'pull_request') {
  return {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: fakeUrl,
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'image',
  }
}

describe('build-and-scan-image comments its findings', () => {
  it('the top findings by severity with their fixed versions, one comment over two runs', async () => {
    fake = await startWithPull()
    const options = parseImageCommentOptions(
      inputsOf({ comment: 'auto', 'github-token': fake.token }),
      env(fake.apiUrl),
    )
    const io = recordingIO()
    const client: typeof githubClient = (i, s) => githubClient(i, { ...s, retryAfterBaseMs: 5 })
    const first = await commentImageFindings(io, options, result(true), client)
    const second = await commentImageFindings(io, options, result(false), client)
    expect(second).toBe(first)
    const comments = fake.commentsOn(REPO, 7)
    expect(comments).toHaveLength(1)
    const body = comments[0]?.body ?? ''
    expect(body.split('\n')[0]).toBe('<!-- devops-actions:build-and-scan-image CI/image -->')
    // The second run's report keeps the unfixed findings: 3 HIGH, 1 LOW.
    expect(body).toContain('| 1 | 3 | 1 | 1 | 1 |')
    // IDs link to their advisories; the rows are compared without the links.
    expect(body).toMatch(/\| \[CVE-2024-0001\]\(https:\/\/[^)]+\) \|/)
    const rows = body
      .split('\n')
      .map((l) => l.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1'))
      .filter((l) => /^\| (CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN) \| (CVE|TEMP)-/.test(l))
    expect(rows[0]).toBe('| CRITICAL | CVE-2024-0001 | openssl | 3.0.11-1 | 3.0.13-1 |')
    expect(rows).toContain('| HIGH | CVE-2024-0002 | libexpat1 | 2.5.0-1 | no fix yet |')
    expect(rows).toContain('| HIGH | CVE-2024-0006 | Django | 4.2.0 | 4.2.11 |')
    expect(io.annotations).toEqual([])
  })

  it('comment-key: a comment per key, each updated by its own key only, the default one kept', async () => {
    fake = await startWithPull()
    const github = fake
    // A comment of the job from before comment-key (the unkeyed marker), and a reviewer's.
    const before = github.seedComment(
      REPO,
      7,
      '<!-- devops-actions:build-and-scan-image CI/image -->\n### Image scan: `shop:old`',
    )
    github.seedComment(REPO, 7, 'Looks good to me', 'reviewer')
    const client: typeof githubClient = (i, s) => githubClient(i, { ...s, retryAfterBaseMs: 5 })
    const post = (key: string, ignoreUnfixed = true) =>
      commentImageFindings(
        recordingIO(),
        parseImageCommentOptions(
          inputsOf({ comment: 'auto', 'github-token': github.token, 'comment-key': key }),
          env(github.apiUrl),
        ),
        result(ignoreUnfixed),
        client,
      )
    const web = await post('web')
    const worker = await post('worker')
    expect(worker).not.toBe(web)
    expect(await post('web', false)).toBe(web)
    const unkeyed = await post('')
    expect(unkeyed).toBe(before.html_url)
    const bodies = github.commentsOn(REPO, 7).map((c) => c.body ?? '')
    expect(bodies).toHaveLength(4)
    expect(bodies.map((b) => b.split('\n').slice(0, 2).join(' | '))).toEqual([
      '<!-- devops-actions:build-and-scan-image CI/image --> | ### ❌ Image scan: `shop:pr-7`',
      'Looks good to me',
      '<!-- devops-actions:build-and-scan-image CI/image comment-key=web --> | ### ❌ Image scan (`web`): `shop:pr-7`',
      '<!-- devops-actions:build-and-scan-image CI/image comment-key=worker --> | ### ❌ Image scan (`worker`): `shop:pr-7`',
    ])
    // web's second run (unfixed findings kept: 3 HIGH) updated web's comment, not worker's.
    expect(bodies[2]).toContain('| 1 | 3 | 1 | 1 | 1 |')
    expect(bodies[3]).not.toContain('| 1 | 3 | 1 | 1 | 1 |')
    expect(() =>
      parseImageCommentOptions(inputsOf({ comment: 'auto', 'comment-key': 'a-->b' }), env(github.apiUrl)),
    ).toThrow("Input 'comment-key' must be up to 64 letters")
  })

  it('requests nothing by default, nor without a pull request', async () => {
    fake = await startFakeGitHub({ repositories: [REPO] })
    const off = parseImageCommentOptions(inputsOf({ 'github-token': fake.token }), env(fake.apiUrl))
    expect(off.post).toBe(false)
    const push = parseImageCommentOptions(
      inputsOf({ comment: 'auto', 'github-token': fake.token }),
      env(fake.apiUrl, 'push'),
    )
    expect(push.post).toBe(false)
    expect(await commentImageFindings(recordingIO(), push, result(true))).toBeUndefined()
    expect(fake.requests).toEqual([])
    expect(() => parseImageCommentOptions(inputsOf({ comment: 'true' }), env(fake?.apiUrl ?? ''))).toThrow(
      "Input 'comment' is true, but 'github-token' is empty",
    )
  })

  it('a read-only token: a notice, nothing thrown', async () => {
    fake = await startWithPull()
    const options = parseImageCommentOptions(
      inputsOf({ comment: 'auto', 'github-token': fake.readToken }),
      env(fake.apiUrl),
    )
    const io = recordingIO()
    expect(await commentImageFindings(io, options, result(true))).toBeUndefined()
    expect(io.annotations.map((a) => a.level)).toEqual(['notice'])
    expect(io.annotations[0]?.message).toContain('403 Resource not accessible by integration')
  })

  it('says so when the image was not scanned', () => {
    const body = imageCommentBody({
      image: 'shop',
      references: ['shop:pr-7'],
      builder: 'docker',
      summary: '',
      failure: 'the build failed',
    })
    expect(body).toBe('### Image scan: `shop:pr-7`\n\nNot scanned: the build failed.\n')
  })
})
