import { describe, expect, it } from '@jest/globals'
import type { Octokit } from '../../../src/lib/github/client.js'
import type { ExecOptions } from '../../../src/lib/process/exec.js'
import { InputReader } from '../../../src/lib/runner/inputs.js'
import { run } from '../../../src/setup-django-test/main.js'
import { parsePullRequestOptions } from '../../../src/setup-django-test/pull-request-options.js'
import { inputsOf } from '../../helpers/io.js'
import { setup } from './world.js'

// setup-django-test on a pull request, through the whole run with the world's fake Python: the
// git commands it runs, the comment it would post (through a recording Octokit stand-in; the
// real Octokit against the fake GitHub API is test/integration/setup-django-test-comment.test.ts).

const BASE = 'a'.repeat(40)
const HEAD = 'b'.repeat(40)
const EVENT = { pull_request: { number: 7, base: { sha: BASE }, head: { sha: HEAD } } }
const DIFF = `diff --git a/backend/notes/views.py b/backend/notes/views.py
--- a/backend/notes/views.py
+++ b/backend/notes/views.py
@@ -3,0 +4,3 @@
+def a():
+    return 1
+x = 2
`
const COVERAGE = JSON.stringify({
  files: { 'notes/views.py': { executed_lines: [1, 4], missing_lines: [5, 6] } },
  totals: { covered_lines: 2, num_statements: 4, percent_covered: 50, percent_covered_display: '50' },
})

interface Posted {
  method: string
  args: Record<string, unknown>
}

function recordingOctokit(posted: Posted[], deny = false): Octokit {
  const denied = () =>
    Object.assign(new Error('Resource not accessible by integration - https://docs.github.com/rest'), {
      status: 403,
    })
  const octokit = {
    paginate: async (_method: unknown, args: Record<string, unknown>) => (
      posted.push({ method: 'list', args }),
      []
    ),
    rest: {
      issues: {
        listComments: {},
        createComment: async (args: Record<string, unknown>) => {
          if (deny) throw denied()
          posted.push({ method: 'create', args })
          return { data: { html_url: 'https://github.com/o/r/pull/7#issuecomment-1' } }
        },
      },
    },
  }
  return octokit as unknown as Octokit
}

function world(
  inputs: Record<string, string>,
  env: Record<string, string>,
  options: { deny?: boolean; event?: unknown } = {},
) {
  const posted: Posted[] = []
  const clients: unknown[] = []
  const git: string[][] = []
  const base = setup(inputs, { files: { '../event.json': JSON.stringify(options.event ?? EVENT) } })
  const pythonExec = base.deps.exec
  base.deps.env = {
    PATH: '/usr/bin',
    GITHUB_EVENT_PATH: '/event.json',
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_SHA: 'c'.repeat(40),
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'test',
    ...env,
  }
  base.deps.exec = async (command: string, args: readonly string[], opts?: ExecOptions) => {
    if (command === 'git') {
      git.push([...args].slice(2))
      if (args.includes('diff')) return { exitCode: 0, stdout: DIFF, stderr: '', stderrTail: '' }
      if (args.includes('merge-base')) return { exitCode: 0, stdout: `${BASE}\n`, stderr: '', stderrTail: '' }
      return { exitCode: 0, stdout: '', stderr: '', stderrTail: '' }
    }
    const result = await pythonExec(command, args, opts)
    if (args.join(' ').startsWith('-m coverage json'))
      base.fs.files.set(args[args.length - 1] as string, COVERAGE)
    return result
  }
  base.deps.githubClient = async (_io, settings) => (
    clients.push(settings),
    recordingOctokit(posted, options.deny)
  )
  return { ...base, posted, clients, git }
}

describe('setup-django-test on a pull request', () => {
  it('measures the changed lines from the merge base and comments once, with the uncovered lines', async () => {
    const w = world({ 'github-token': 'ghs_tok' }, { GITHUB_EVENT_NAME: 'pull_request' })
    await run(w.deps)
    expect(w.io.failures).toEqual([])
    expect(w.git).toEqual([
      ['cat-file', '-e', `${BASE}^{commit}`],
      ['merge-base', BASE, 'HEAD'],
      expect.arrayContaining(['diff', '--unified=0', BASE, 'HEAD']),
    ])
    expect(w.io.outputs['changed-lines-coverage']).toBe('33.3')
    expect(w.io.outputs['comment-url']).toBe('https://github.com/o/r/pull/7#issuecomment-1')
    expect(w.io.outputs['comment-file']).toBe('/reports/pr-comment.md')
    expect(w.clients).toEqual([{ token: 'ghs_tok', apiUrl: 'https://api.github.com' }])
    const body = String(w.posted.find((p) => p.method === 'create')?.args.body)
    expect(
      body.startsWith('<!-- devops-actions:setup-django-test CI/test -->\n### ✅ Django tests: 2 passed'),
    ).toBe(true)
    expect(body).toContain('**Changed lines:** 33.3% — 1 of 3 changed statements run')
    expect(body).toContain(
      `[backend/notes/views.py](https://github.com/o/r/blob/${HEAD}/backend/notes/views.py#L5): 5-6`,
    )
    expect(body).toContain('change against the base aaaaaaa: unknown')
    expect(w.fs.files.get('/reports/pr-comment.md')).toBe(body)
    expect(w.io.secrets).toContain('ghs_tok')
    expect(w.io.summary).toContain('| `backend/notes/views.py` | 5-6 |')
  })

  it('with comment-key: its own marker, the key in the heading, and its own base coverage key', async () => {
    const w = world(
      { 'github-token': 'ghs_tok', 'comment-key': 'py3.12' },
      { GITHUB_EVENT_NAME: 'pull_request', SETUP_DJANGO_TEST_COVERAGE_DIR: '/cov' },
    )
    await run(w.deps)
    expect(w.io.failures).toEqual([])
    const list = w.posted.find((p) => p.method === 'list')
    expect(list?.args).toMatchObject({ owner: 'o', repo: 'r', issue_number: 7 })
    const body = String(w.posted.find((p) => p.method === 'create')?.args.body)
    expect(body.split('\n').slice(0, 2)).toEqual([
      '<!-- devops-actions:setup-django-test CI/test comment-key=py3.12 -->',
      '### ✅ Django tests (`py3.12`): 2 passed',
    ])
    expect(w.fs.files.get('/reports/pr-comment.md')).toBe(body)
    const reader = new InputReader(inputsOf({ 'comment-key': 'py3.12' }))
    const keyed = parsePullRequestOptions(reader, { env: w.deps.env, fs: w.fs, workspace: '/' }, true)
    const plain = parsePullRequestOptions(
      new InputReader(inputsOf({})),
      { env: w.deps.env, fs: w.fs, workspace: '/' },
      true,
    )
    expect(plain.baseCoverage.restoreKey).toBe(`setup-django-test-coverage-CI/test-${BASE}`)
    expect(keyed.baseCoverage.restoreKey).toBe(`setup-django-test-coverage-CI/test_py3.12-${BASE}`)
    // The push run of the same leg saves under the key its pull requests restore.
    const pushEnv = { ...w.deps.env, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '' }
    const pushed = parsePullRequestOptions(reader, { env: pushEnv, fs: w.fs, workspace: '/' }, true)
    expect(pushed.baseCoverage.saveKey).toBe(`setup-django-test-coverage-CI/test_py3.12-${'c'.repeat(40)}`)
  })

  it('fails below changed-lines-threshold, naming the changed lines not run', async () => {
    const w = world(
      { 'github-token': 'ghs_tok', 'changed-lines-threshold': '80' },
      { GITHUB_EVENT_NAME: 'pull_request' },
    )
    await run(w.deps)
    expect(w.io.failures).toEqual([
      'Changed-line coverage 33.3% is below changed-lines-threshold 80%: not run: backend/notes/views.py:5-6',
    ])
    expect(w.io.outputs['changed-lines-coverage']).toBe('33.3')
  })

  it('a token that may not write: a notice with the workflow_run way, and the step passes', async () => {
    const w = world({ 'github-token': 'ghs_read' }, { GITHUB_EVENT_NAME: 'pull_request' }, { deny: true })
    await run(w.deps)
    expect(w.io.failures).toEqual([])
    expect(w.io.outputs['comment-url']).toBe('')
    const notices = w.io.annotations.filter((a) => a.level === 'notice').map((a) => a.message)
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain('GitHub answered 403 Resource not accessible by integration')
    expect(notices[0]).toContain('workflow_run')
    expect(notices[0]).toContain('/reports/pr-comment.md')
  })

  it('requests nothing and runs no git when the event has no pull request', async () => {
    const w = world(
      { 'github-token': 'ghs_tok', comment: 'true' },
      { GITHUB_EVENT_NAME: 'push' },
      { event: { ref: 'refs/heads/main' } },
    )
    await run(w.deps)
    expect(w.clients).toEqual([])
    expect(w.git).toEqual([])
    expect(w.io.outputs['comment-url']).toBe('')
    expect(w.io.outputs['changed-lines-coverage']).toBe('')
  })

  it('comment false: measures the changed lines but posts nothing', async () => {
    const w = world({ 'github-token': 'ghs_tok', comment: 'false' }, { GITHUB_EVENT_NAME: 'pull_request' })
    await run(w.deps)
    expect(w.clients).toEqual([])
    expect(w.io.outputs['changed-lines-coverage']).toBe('33.3')
  })

  it('on a push saves its commit’s figure for the pull requests based on it, and restores the base’s', async () => {
    const w = world({}, { GITHUB_EVENT_NAME: 'push', SETUP_DJANGO_TEST_COVERAGE_DIR: '/cov' }, { event: {} })
    await run(w.deps)
    expect(w.io.outputs['coverage-save']).toBe('true')
    expect(JSON.parse(w.fs.files.get('/cov/coverage.json') ?? '{}')).toEqual({
      commit: 'c'.repeat(40),
      percent: 50,
      display: '50',
    })

    const pr = world(
      { 'github-token': 'ghs_tok' },
      { GITHUB_EVENT_NAME: 'pull_request', SETUP_DJANGO_TEST_COVERAGE_DIR: '/cov' },
    )
    pr.fs.files.set('/cov/coverage.json', JSON.stringify({ commit: BASE, percent: 45.5, display: '46' }))
    await run(pr.deps)
    expect(pr.io.outputs['coverage-save']).toBe('false')
    expect(String(pr.posted.find((p) => p.method === 'create')?.args.body)).toContain(
      '**Coverage:** 50% — +4.5 points against the base aaaaaaa (46%)',
    )
  })

  it.each([
    [{ 'changed-lines-threshold': '101' }, "Input 'changed-lines-threshold' must be"],
    [
      { 'changed-lines-threshold': '50', coverage: 'false' },
      "Input 'changed-lines-threshold' is 50, but 'coverage' is false",
    ],
    [{ comment: 'true', 'github-token': '' }, "Input 'comment' is true, but 'github-token' is empty"],
    [{ comment: 'yes' }, "Input 'comment' must be one of auto, true, false (got 'yes')"],
    [{ 'comment-key': 'py<3>' }, "Input 'comment-key' must be up to 64 letters, digits, spaces and"],
  ])('rejects %j before anything runs', async (inputs, message) => {
    const w = world(inputs, { GITHUB_EVENT_NAME: 'pull_request' })
    await run(w.deps)
    expect(w.io.failures[0]).toContain(message)
    expect(w.clients).toEqual([])
    expect(w.git).toEqual([])
    expect(w.calls).toEqual([])
  })
})
