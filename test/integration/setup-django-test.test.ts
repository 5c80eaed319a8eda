import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runAction } from '../helpers/run-action.js'

// The bundle as the runner runs it, for what must happen before any Python process: input
// validation, project discovery and secret masking. (Runs with real Python are in test/e2e.)
const fixture = resolve(new URL('../fixtures/django-app', import.meta.url).pathname)
let workspace: string

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'django-int-'))
  cpSync(fixture, join(workspace, 'site', 'app'), { recursive: true })
})
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

// No interpreter can be found on this PATH: a run that got past validation would say so.
const noPython = { PATH: '/nonexistent' }

describe('setup-django-test bundle', () => {
  it.each([
    [
      { install: 'conda' },
      "Invalid configuration: Input 'install' must be one of auto, pip, poetry, pipenv, uv, none (got 'conda')",
    ],
    [
      { 'test-runner': 'green' },
      "Invalid configuration: Input 'test-runner' must be one of auto, pytest, django (got 'green')",
    ],
    [
      { 'coverage-threshold': '150' },
      "Invalid configuration: Input 'coverage-threshold' must be a number from 0 to 100 (got '150')",
    ],
    [
      { 'database-url': 'localhost:5432/app' },
      "Invalid configuration: Input 'database-url' must be a postgres://, mysql:// or sqlite:// URL (got something that is not a URL)",
    ],
    [
      { 'working-directory': 'site' },
      "Invalid configuration: Input 'working-directory' is 'site', but there is no manage.py in it",
    ],
    [
      { coverage: 'false', 'coverage-threshold': '80' },
      "Invalid configuration: Input 'coverage-threshold' is 80, but 'coverage' is false: turn coverage on or remove the threshold",
    ],
    [
      { 'min-tests': 'all' },
      "Invalid configuration: Input 'min-tests' must be a whole number, 0 or more (got 'all')",
    ],
  ])('rejects %j with one error line before running anything', async (inputs, message) => {
    const run = await runAction('setup-django-test', inputs, { cwd: workspace, env: noPython })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([message])
    expect(run.stdout).not.toContain('::group::')
    expect(run.stderr).toBe('')
  })

  it('finds manage.py two levels down and then needs an interpreter', async () => {
    const run = await runAction('setup-django-test', {}, { cwd: workspace, env: noPython })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      "No Python interpreter on PATH (tried python3, python): set 'python-version' or 'python'",
    ])
    expect(run.stdout).toContain('::group::Python')
  })

  it('names an interpreter that cannot be run', async () => {
    const run = await runAction(
      'setup-django-test',
      { python: '/opt/none/bin/python3.99' },
      { cwd: workspace, env: noPython },
    )
    expect(run.errors).toEqual([
      "Input 'python' is '/opt/none/bin/python3.99', which cannot be run: Cannot run '/opt/none/bin/python3.99': no such file",
    ])
  })

  it('masks the database password before a malformed URL can be reported', async () => {
    const run = await runAction(
      'setup-django-test',
      {},
      { cwd: workspace, env: { ...noPython, DATABASE_URL: 'postgres://app:pa%24%24word@db:99999/app' } },
    )
    expect(run.errors).toEqual([
      'Invalid configuration: Environment variable DATABASE_URL is not a valid postgres:// URL (check for unescaped characters in the password)',
    ])
    const lines = run.stdout.split('\n')
    expect(lines).toContain('::add-mask::pa%2524%2524word') // '%' is escaped as %25 in workflow commands
    expect(lines).toContain('::add-mask::pa$$word')
    expect(lines.findIndex((l) => l === '::add-mask::pa$$word')).toBeLessThan(
      lines.findIndex((l) => l.startsWith('::error')),
    )
  })

  it('masks a password with an @ whole, as the URL parser reads it, before anything else', async () => {
    const run = await runAction(
      'setup-django-test',
      { 'database-url': 'postgres://app:p@ss%40w@db:99999/app' },
      { cwd: workspace, env: noPython },
    )
    expect(run.errors).toEqual([
      "Invalid configuration: Input 'database-url' is not a valid postgres:// URL (check for unescaped characters in the password)",
    ])
    const lines = run.stdout.split('\n')
    expect(lines.slice(0, 2)).toEqual(['::add-mask::p@ss%2540w', expect.stringMatching(/^::add-mask::/)])
    expect(lines).toContain('::add-mask::p@ss@w')
    expect(lines).not.toContain('::add-mask::p')
  })

  it('takes an absolute working-directory', async () => {
    const run = await runAction(
      'setup-django-test',
      { 'working-directory': join(workspace, 'site', 'app') },
      { cwd: workspace, env: noPython },
    )
    expect(run.errors).toEqual([
      "No Python interpreter on PATH (tried python3, python): set 'python-version' or 'python'",
    ])
  })
})
