// examples/pr-comment-workflow-run.yml's posting script, run by bash as the runner runs a `run:`
// step, with a stand-in `gh` on PATH answering as `gh api` does (the JSON filtered by --jq) and
// recording each call: one artifact folder per job or matrix leg (gh's --pattern download puts
// each in a folder of its name), each comment updated by its marker or posted, and an artifact
// that is not what CI wrote refused.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

const root = new URL('../..', import.meta.url).pathname
const workflow = parse(readFileSync(join(root, 'examples', 'pr-comment-workflow-run.yml'), 'utf8')) as {
  jobs: { comment: { steps: { name?: string; run?: string }[] } }
}
const script = workflow.jobs.comment.steps.find((s) => s.name?.startsWith('Post each'))?.run ?? ''

// Pull request 7 is at abc123; it carries the py3.11 leg's comment (id 555) from an earlier run.
const GH = `#!/bin/bash
printf '%s\\n' "$*" >> "$GH_LOG"
case "$*" in
  *'pulls/7 '*) echo abc123 ;;
  *--paginate*) [[ "$MARKER" == *'comment-key=py3.11 -->' ]] && echo 555 ;;
  *'-X PATCH'*) echo https://github.example/o/r/pull/7#issuecomment-555 ;;
  *'-X POST'*) echo https://github.example/o/r/pull/7#issuecomment-556 ;;
esac
exit 0
`

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pr-comment-'))
  mkdirSync(join(dir, 'bin'))
  writeFileSync(join(dir, 'bin', 'gh'), GH)
  chmodSync(join(dir, 'bin', 'gh'), 0o755)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function artifact(name: string, number: string, marker: string): void {
  const folder = join(dir, 'pr-comments', name)
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'pr-number'), `${number}\n`)
  writeFileSync(join(folder, 'pr-comment.md'), `${marker}\n### Django tests\n`)
}

function post() {
  const run = spawnSync('bash', ['-e', '-c', script], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      GITHUB_REPOSITORY: 'o/r',
      HEAD_SHA: 'abc123',
      GH_LOG: join(dir, 'gh.log'),
    },
  })
  const calls = (() => {
    try {
      return readFileSync(join(dir, 'gh.log'), 'utf8').trim().split('\n')
    } catch {
      return []
    }
  })()
  return { status: run.status, stdout: run.stdout, calls }
}

const marker = (key: string) => `<!-- devops-actions:setup-django-test CI/test comment-key=${key} -->`

test('the script is in the example', () => {
  expect(script).toContain('for dir in pr-comments/*/')
})

test("each matrix leg's artifact updates its own comment or posts one", () => {
  artifact('pr-comment-test-0', '7', marker('py3.11'))
  artifact('pr-comment-test-1', '7', marker('py3.12'))
  const run = post()
  expect(run.status).toBe(0)
  expect(run.calls.filter((c) => c.includes('-X PATCH'))).toEqual([
    expect.stringContaining('issues/comments/555 -F body=@pr-comments/pr-comment-test-0/pr-comment.md'),
  ])
  expect(run.calls.filter((c) => c.includes('-X POST'))).toEqual([
    expect.stringContaining('issues/7/comments -F body=@pr-comments/pr-comment-test-1/pr-comment.md'),
  ])
  expect(run.stdout.trim().split('\n')).toHaveLength(2)
})

test.each([
  ['a pull request number that is not a number', 'x', marker('py3.12'), 'is not a number'],
  ['a pull request at another commit', '8', marker('py3.12'), 'is not at the commit the run tested'],
  ['a comment without the marker line', '7', '### no marker', 'has no marker line'],
])('refuses %s, posting nothing', (_what, number, first, message) => {
  artifact('pr-comment-test-0', number, first)
  const run = post()
  expect(run.status).toBe(1)
  expect(run.stdout).toContain(message)
  expect(run.calls.some((c) => c.includes('-X '))).toBe(false)
})
