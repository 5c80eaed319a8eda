import { execFileSync } from 'node:child_process'
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'
import { FIXTURE_APP } from '../helpers/django-app.js'
import { DEBIAN_PYTHON, requireCommand } from '../helpers/prerequisites.js'
import { LocalCacheStore, runStep, type StepRun } from '../helpers/run-step.js'

// setup-django-test on a pull request with real parts: a real git repository with a base and a
// head commit, checked out one commit deep as actions/checkout does (so the action must fetch
// the base commit), Debian's python3-django and python3-coverage measuring the fixture app, the
// composite from its action.yml on the model runner, and the fake GitHub API (test/fakes/github.ts,
// itself held to Octokit's types and clients) receiving the comment. The expected figures are
// worked out here from the change itself, not read back from the action.

const REPO = 'octo-org/web'
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()

let work: string
let origin: string
let base: string
let head: string
/** Lines of notes/views.py the head commit adds that no test runs (the body of `archived`). */
let uncovered: number[]
let fake: FakeGitHub | undefined

beforeAll(() => {
  requireCommand('git', ['--version'], 'git')
  requireCommand(
    DEBIAN_PYTHON,
    ['-c', 'import django, coverage'],
    "Debian's python3-django and python3-coverage",
  )
  work = mkdtempSync(join(tmpdir(), 'django-pr-'))
  origin = join(work, 'origin')
  cpSync(FIXTURE_APP, join(origin, 'app'), { recursive: true, filter: (src) => !src.includes('__pycache__') })
  git(origin, 'init', '-q', '-b', 'main')
  git(origin, 'add', '.')
  git(origin, 'commit', '-q', '-m', 'base')
  base = git(origin, 'rev-parse', 'HEAD')
  git(origin, 'checkout', '-q', '-b', 'feature')
  const views = join(origin, 'app', 'notes', 'views.py')
  // One changed line the tests run (index's return: test_index calls it) and a new view no test
  // calls: its `def` line runs at import, its three body statements never do.
  const text = readFileSync(views, 'utf8').replace('"dev")})', '"local")})')
  writeFileSync(views, text)
  appendFileSync(
    views,
    '\n\ndef archived(request):\n    if request.GET.get("all"):\n        return JsonResponse({"all": True})\n    return JsonResponse({"archived": []})\n',
  )
  const lines = readFileSync(views, 'utf8').split('\n')
  const def = lines.indexOf('def archived(request):') + 1
  uncovered = [def + 1, def + 2, def + 3]
  git(origin, 'commit', '-q', '-am', 'head')
  head = git(origin, 'rev-parse', 'HEAD')
})

afterEach(async () => {
  await fake?.close()
  fake = undefined
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A checkout of the head, one commit deep (actions/checkout's default fetch-depth: 1). */
function checkout(): string {
  const dir = mkdtempSync(join(work, 'ws-'))
  git(work, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin}`, dir)
  return dir
}

async function startGitHub(): Promise<FakeGitHub> {
  fake = await startFakeGitHub({ repositories: [REPO] })
  fake.addPull(REPO, { number: 7, base: { ref: 'main', sha: base }, head: { ref: 'feature', sha: head } })
  return fake
}

function pullRequestRun(
  dir: string,
  github: FakeGitHub,
  inputs: Record<string, string> = {},
  token = github.token,
  cacheStore?: LocalCacheStore,
  temp?: string,
  matrix?: Record<string, string>,
): Promise<StepRun> {
  return runStep(
    'setup-django-test',
    {
      python: DEBIAN_PYTHON,
      install: 'none',
      'database-url': `sqlite:///${join(dir, 'db.sqlite3')}`,
      ...inputs,
    },
    {
      cwd: dir,
      timeoutMs: 180_000,
      cacheStore,
      matrix,
      ...(temp ? { runner: { temp } } : {}),
      github: {
        repository: REPO,
        event_name: 'pull_request',
        ref: 'refs/pull/7/merge',
        sha: head,
        api_url: github.apiUrl,
        token,
        workflow: 'CI',
        job: 'test',
        event: {
          number: 7,
          pull_request: { number: 7, base: { ref: 'main', sha: base }, head: { ref: 'feature', sha: head } },
        },
      },
    },
  )
}

describe('setup-django-test on a pull request, with git, Debian coverage and the fake GitHub API', () => {
  it('fetches the base into a shallow checkout, measures the changed lines, and keeps one comment over two runs', async () => {
    const github = await startGitHub()
    const dir = checkout()
    expect(() => git(dir, 'cat-file', '-e', `${base}^{commit}`)).toThrow()

    const first = await pullRequestRun(dir, github)
    expect(first.errors).toEqual([])
    expect(first.exitCode).toBe(0)
    // 5 changed statements (index's return, archived's def and its three body lines): 2 ran.
    expect(first.outputs['changed-lines-coverage']).toBe('40.0')
    expect(first.log).toContain(`Fetching the base commit ${base.slice(0, 12)}`)
    const comments = github.commentsOn(REPO, 7)
    expect(comments).toHaveLength(1)
    expect(first.outputs['comment-url']).toBe(comments[0]?.html_url)
    const body = comments[0]?.body ?? ''
    expect(body).toContain('<!-- devops-actions:setup-django-test CI/test -->')
    expect(body).toContain('### ✅ Django tests: 5 passed')
    expect(body).toContain('**Changed lines:** 40.0% — 2 of 5 changed statements run')
    expect(body).toContain(
      `[app/notes/views.py](https://github.com/${REPO}/blob/${head}/app/notes/views.py#L${uncovered[0]}): ${uncovered[0]}-${uncovered[2]}`,
    )
    expect(body).toContain(`change against the base ${base.slice(0, 7)}: unknown`)
    // The token reached the fake only in the Authorization header, and the log only masked.
    expect(github.requests.every((r) => r.token === github.token)).toBe(true)
    expect(first.log).not.toContain(github.token)

    const second = await pullRequestRun(dir, github)
    expect(second.exitCode).toBe(0)
    expect(github.commentsOn(REPO, 7)).toHaveLength(1)
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url'])
    expect(github.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1)
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('fails below changed-lines-threshold naming the lines, and a read-only token only leaves a notice', async () => {
    const github = await startGitHub()
    const dir = checkout()
    // A runner.temp of its own that outlives the job, to read the comment file afterwards.
    const temp = mkdtempSync(join(work, 'temp-'))
    const run = await pullRequestRun(
      dir,
      github,
      { 'changed-lines-threshold': '50' },
      github.readToken,
      undefined,
      temp,
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toBe(
      `Changed-line coverage 40.0% is below changed-lines-threshold 50%: not run: app/notes/views.py:${uncovered[0]}-${uncovered[2]}`,
    )
    expect(run.log).toMatch(
      /::notice::The pull request comment could not be posted .*403 Resource not accessible by integration/,
    )
    expect(github.commentsOn(REPO, 7)).toEqual([])
    const file = run.outputs['comment-file'] ?? ''
    expect(file.startsWith(temp)).toBe(true)
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(
      '<!-- devops-actions:setup-django-test CI/test -->',
    )

    const passing = await pullRequestRun(dir, github, {}, github.readToken)
    expect(passing.exitCode).toBe(0)
  })

  it('comment-key: each matrix leg keeps its own comment, and no key still finds the comment from before', async () => {
    const github = await startGitHub()
    const dir = checkout()
    // The job's comment from a version before comment-key: the unkeyed marker.
    const before = github.seedComment(REPO, 7, '<!-- devops-actions:setup-django-test CI/test -->\n### old')
    const leg = (version: string) =>
      pullRequestRun(
        dir,
        github,
        { 'comment-key': 'py${{ matrix.python-version }}' },
        github.token,
        undefined,
        undefined,
        { 'python-version': version },
      )
    const heads = () =>
      github.commentsOn(REPO, 7).map((c) => (c.body ?? '').split('\n').slice(0, 2).join(' | '))

    const py311 = await leg('3.11')
    const py312 = await leg('3.12')
    expect([py311.exitCode, py312.exitCode]).toEqual([0, 0])
    expect(py311.outputs['comment-url']).not.toBe(py312.outputs['comment-url'])
    expect(heads()).toEqual([
      '<!-- devops-actions:setup-django-test CI/test --> | ### old',
      '<!-- devops-actions:setup-django-test CI/test comment-key=py3.11 --> | ### ✅ Django tests (`py3.11`): 5 passed',
      '<!-- devops-actions:setup-django-test CI/test comment-key=py3.12 --> | ### ✅ Django tests (`py3.12`): 5 passed',
    ])

    // The 3.12 leg re-run: its own comment updated, the 3.11 leg's and the old one untouched.
    const again = await leg('3.12')
    expect(again.outputs['comment-url']).toBe(py312.outputs['comment-url'])
    const patched = github.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)
    expect(patched).toEqual([
      expect.stringMatching(new RegExp(`/comments/${github.commentsOn(REPO, 7)[2]?.id}$`)),
    ])
    expect(github.commentsOn(REPO, 7)).toHaveLength(3)

    // Without a key: the comment from before comment-key is the one updated.
    const plain = await pullRequestRun(dir, github)
    expect(plain.outputs['comment-url']).toBe(before.html_url)
    expect(heads()[0]).toBe(
      '<!-- devops-actions:setup-django-test CI/test --> | ### ✅ Django tests: 5 passed',
    )
    expect(github.commentsOn(REPO, 7)).toHaveLength(3)
  })

  it('compares the total with the figure a push run saved for the base commit', async () => {
    const github = await startGitHub()
    const store = new LocalCacheStore()
    // The same runner.temp for both jobs, as on hosted runners (the cache entry's version names
    // the path); the folder is removed between them, so only the cache can bring the figure back.
    const temp = mkdtempSync(join(work, 'temp-'))
    const baseDir = mkdtempSync(join(work, 'base-'))
    git(work, 'clone', '-q', '--depth', '1', '--branch', 'main', `file://${origin}`, baseDir)
    const push = await runStep(
      'setup-django-test',
      { python: DEBIAN_PYTHON, install: 'none', 'database-url': `sqlite:///${join(baseDir, 'db.sqlite3')}` },
      {
        cwd: baseDir,
        timeoutMs: 180_000,
        cacheStore: store,
        runner: { temp },
        github: {
          repository: REPO,
          event_name: 'push',
          sha: base,
          workflow: 'CI',
          job: 'test',
          api_url: github.apiUrl,
        },
      },
    )
    expect(push.exitCode).toBe(0)
    expect(push.steps.find((s) => s.id === 'save-coverage' && s.stage === 'main')?.conclusion).toBe('success')
    expect(github.requests).toEqual([])
    rmSync(join(temp, 'setup-django-test-coverage'), { recursive: true, force: true })

    const run = await pullRequestRun(checkout(), github, {}, github.token, store, temp)
    expect(run.exitCode).toBe(0)
    expect(store.calls).toContain(
      `restore setup-django-test-coverage-CI/test-${base} -> setup-django-test-coverage-CI/test-${base}`,
    )
    const body = github.commentsOn(REPO, 7)[0]?.body ?? ''
    const match = new RegExp(
      `\\*\\*Coverage:\\*\\* ${run.outputs.coverage}% — (-\\d+\\.\\d) points against the base ${base.slice(0, 7)} \\(${push.outputs.coverage}%\\)`,
    ).exec(body)
    expect(match).not.toBeNull()
    // The head adds statements no test runs: the total drops, by about the shown figures' difference.
    const points = Number(match?.[1])
    expect(points).toBeLessThan(0)
    expect(
      Math.abs(points - (Number(run.outputs.coverage) - Number(push.outputs.coverage))),
    ).toBeLessThanOrEqual(1)
  })
})
