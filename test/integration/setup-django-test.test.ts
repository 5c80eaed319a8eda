import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { LocalCacheStore, runStep, type StepRecord, type StepRun } from '../helpers/run-step.js'

// The composite from its action.yml as actions/runner runs it: the plan step, setup-python and
// actions/cache as stand-ins with their real inputs and outputs, the main step, the save. Runs
// here stop before Django is needed (no interpreter, or one without Django); runs with Debian's
// Django and PostgreSQL are in test/e2e.
const fixture = resolve(new URL('../fixtures/django-app', import.meta.url).pathname)
const FAILED = 'Process completed with exit code 1.'
let work: string
let workspace: string
/** A PATH with node (the run: steps start the bundle with it) and no Python. */
let nodeOnly: string
/** A virtualenv without Django: pip works in it, the main step then stops at "Django is not installed". */
let venvPython: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'django-int-'))
  workspace = join(work, 'ws')
  cpSync(fixture, join(workspace, 'site', 'app'), { recursive: true })
  nodeOnly = join(work, 'node-only')
  mkdirSync(nodeOnly)
  symlinkSync(process.execPath, join(nodeOnly, 'node'))
  const base = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
    encoding: 'utf8',
  }).trim()
  execFileSync(base, ['-m', 'venv', join(work, 'venv')])
  venvPython = join(work, 'venv', 'bin', 'python')
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const step = (run: StepRun, id: string): StepRecord | undefined =>
  run.steps.find((s) => s.id === id && s.stage === 'main')
const CREDENTIALS = /^ACTIONS_(RUNTIME_TOKEN|RUNTIME_URL|RESULTS_URL|CACHE_URL|CACHE_SERVICE_V2)$/
const credentials = (record: StepRecord | undefined) =>
  Object.keys(record?.env ?? {}).filter((k) => CREDENTIALS.test(k))

describe('setup-django-test from its action.yml', () => {
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
    [
      { 'python-version': '3.12', 'python-version-file': '.python-version' },
      "Invalid configuration: Inputs 'python-version' ('3.12') and 'python-version-file' exclude each other: set one of them",
    ],
    [
      { 'comment-key': 'py3.12 --><script>' },
      "Invalid configuration: Input 'comment-key' must be up to 64 letters, digits, spaces and . _ - / : + = , @ ( ) #, naming this comment among the job's others, e.g. py3.12 (got 'py3.12 --><script>')",
    ],
  ])('rejects %j in the plan step, before setup-python or anything else runs', async (inputs, message) => {
    const run = await runStep('setup-django-test', inputs, { cwd: workspace, env: { PATH: nodeOnly } })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([message, FAILED])
    expect(run.steps.filter((s) => s.stage === 'main').map((s) => [s.id, s.conclusion])).toEqual([
      ['plan', 'failure'],
      ['python', 'skipped'],
      ['restore', 'skipped'],
      ['base-coverage', 'skipped'],
      ['run', 'skipped'],
      [undefined, 'skipped'],
      ['save-coverage', 'skipped'],
    ])
    expect(run.stdout).not.toContain('::group::')
  })

  it('masks a password with an @ whole, as the URL parser reads it, before anything else', async () => {
    const run = await runStep(
      'setup-django-test',
      { 'database-url': 'postgres://app:p@ss%40w@db:99999/app' },
      { cwd: workspace, env: { PATH: nodeOnly } },
    )
    expect(run.errors).toEqual([
      "Invalid configuration: Input 'database-url' is not a valid postgres:// URL (check for unescaped characters in the password)",
      FAILED,
    ])
    const lines = (step(run, 'plan')?.stdout ?? '').split('\n')
    expect(lines.slice(0, 2)).toEqual(['::add-mask::p@ss%2540w', expect.stringMatching(/^::add-mask::/)])
    expect(lines).toContain('::add-mask::p@ss@w')
    expect(lines).not.toContain('::add-mask::p')
  })

  it('takes an absolute working-directory', async () => {
    const run = await runStep(
      'setup-django-test',
      { 'working-directory': join(workspace, 'site', 'app'), 'python-version': 'none' },
      { cwd: workspace, env: { PATH: nodeOnly } },
    )
    expect(run.errors).toEqual([
      "No Python interpreter on PATH (tried python3, python): set 'python-version' or 'python'",
      FAILED,
    ])
  })

  it('finds manage.py two levels down and then needs an interpreter', async () => {
    const run = await runStep(
      'setup-django-test',
      { 'python-version': 'none' },
      { cwd: workspace, env: { PATH: nodeOnly } },
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      "No Python interpreter on PATH (tried python3, python): set 'python-version' or 'python'",
      FAILED,
    ])
    expect(step(run, 'plan')?.stdout).toContain(
      'Python: the interpreter already there (python-version: none)',
    )
    expect(step(run, 'run')?.stdout).toContain('::group::Python')
  })

  it('names an interpreter that cannot be run', async () => {
    const run = await runStep(
      'setup-django-test',
      { python: '/opt/none/bin/python3.99' },
      { cwd: workspace, env: { PATH: nodeOnly } },
    )
    expect(step(run, 'python')?.conclusion).toBe('skipped')
    expect(run.errors).toEqual([
      "Input 'python' is '/opt/none/bin/python3.99', which cannot be run: Cannot run '/opt/none/bin/python3.99': no such file",
      FAILED,
    ])
  })

  it('masks the database password before a malformed URL can be reported', async () => {
    const run = await runStep(
      'setup-django-test',
      {},
      { cwd: workspace, env: { PATH: nodeOnly, DATABASE_URL: 'postgres://app:pa%24%24word@db:99999/app' } },
    )
    expect(run.errors).toEqual([
      'Invalid configuration: Environment variable DATABASE_URL is not a valid postgres:// URL (check for unescaped characters in the password)',
      FAILED,
    ])
    const lines = (step(run, 'plan')?.stdout ?? '').split('\n')
    expect(lines).toContain('::add-mask::pa%2524%2524word') // '%' is escaped as %25 in workflow commands
    expect(lines).toContain('::add-mask::pa$$word')
    expect(lines.findIndex((l) => l === '::add-mask::pa$$word')).toBeLessThan(
      lines.findIndex((l) => l.startsWith('::error')),
    )
    expect(run.log).not.toContain('pa$$word')
  })

  it("hands setup-python the project's .python-version, and the main step uses what it installed", async () => {
    const version = execFileSync(venvPython, ['-c', 'import platform; print(platform.python_version())'], {
      encoding: 'utf8',
    }).trim()
    const dir = mkdtempSync(join(work, 'pyver-'))
    cpSync(fixture, join(dir, 'app'), { recursive: true })
    writeFileSync(join(dir, 'app', '.python-version'), `${version.split('.').slice(0, 2).join('.')}\n`)
    const run = await runStep(
      'setup-django-test',
      { install: 'none', checks: 'none', coverage: 'false' },
      { cwd: dir, env: { PATH: nodeOnly }, pythons: [venvPython] },
    )
    expect(step(run, 'python')?.inputs).toMatchObject({
      'python-version': '',
      'python-version-file': 'app/.python-version',
    })
    expect(step(run, 'python')?.outputs['python-version']).toBe(version)
    expect(step(run, 'run')?.stdout).toMatch(
      new RegExp(
        `CPython ${version.replace(/\./g, '\\.')} at \\S+/Python/${version.replace(/\./g, '\\.')}/x64/bin/python3\\n`,
      ),
    )
  })

  it("turns pyproject.toml's requires-python into the range setup-python resolves", async () => {
    const dir = mkdtempSync(join(work, 'pyproject-'))
    cpSync(fixture, join(dir, 'app'), { recursive: true })
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "notes"\nrequires-python = ">=3.9,<4"\n')
    const run = await runStep(
      'setup-django-test',
      { install: 'none', checks: 'none', coverage: 'false' },
      { cwd: dir, env: { PATH: nodeOnly }, pythons: [venvPython] },
    )
    expect(step(run, 'plan')?.stdout).toContain(
      `Python: setup-python with >=3.9 <4 (pyproject.toml ('>=3.9,<4'))`,
    )
    expect(step(run, 'python')?.inputs).toMatchObject({
      'python-version': '>=3.9 <4',
      'python-version-file': '',
    })
    expect(step(run, 'python')?.conclusion).toBe('success')
  })
})

describe('the dependency cache on a hosted runner', () => {
  let store: LocalCacheStore
  let home: string
  let dir: string
  const inputs = () => ({ python: venvPython, 'python-version': 'none', requirements: 'ci-requirements.txt' })
  const pipCache = () => join(home, '.cache', 'setup-django-test', 'pip', 'pip')
  beforeEach(() => {
    store = new LocalCacheStore()
    dir = mkdtempSync(join(work, 'cache-'))
    cpSync(fixture, join(dir, 'app'), { recursive: true })
    // Nothing to download (no index here): pip succeeds, then the main step stops at Django.
    writeFileSync(join(dir, 'app', 'ci-requirements.txt'), '# nothing\n')
    home = join(dir, 'home')
    mkdirSync(pipCache(), { recursive: true })
    writeFileSync(join(pipCache(), 'downloaded.whl'), 'wheel bytes')
  })
  afterEach(() => store.close())
  const job = () => ({ cwd: dir, env: { PATH: nodeOnly, HOME: home, PIP_NO_INDEX: '1' }, cacheStore: store })

  it('gives the cache credentials to the actions/cache steps only, and restores what the last run saved', async () => {
    const first = await runStep('setup-django-test', inputs(), job())
    expect(first.errors).toEqual([expect.stringMatching(/^Django is not installed for /), FAILED])
    // ScriptHandler gives run: steps no runtime token and no cache service; the node handler gives both.
    expect(credentials(step(first, 'plan'))).toEqual([])
    expect(credentials(step(first, 'run'))).toEqual([])
    for (const id of ['restore', undefined]) {
      const record = first.steps.find((s) => s.id === id && s.uses?.startsWith('actions/cache/'))
      expect(record?.env).toMatchObject({
        ACTIONS_RUNTIME_TOKEN: store.token,
        ACTIONS_RESULTS_URL: store.resultsUrl,
      })
    }
    const key = step(first, 'restore')?.inputs.key ?? ''
    expect(key).toMatch(/^setup-django-test-Linux-X64-py3\.\d+\.\d+-pip-[0-9a-f]{32}$/)
    expect(step(first, 'restore')?.inputs['restore-keys']).toBe(key.replace(/[0-9a-f]{32}$/, ''))
    expect(store.calls).toEqual([`restore ${key} -> miss`, `save ${key}`])
    expect(first.outputs['cache-hit']).toBe('false')
    expect(step(first, 'run')?.stdout).toContain(`Dependency cache: cache miss (${key})`)

    // The same job again on a fresh machine: an exact hit brings the folder back, nothing is saved.
    rmSync(join(home, '.cache'), { recursive: true })
    const second = await runStep('setup-django-test', inputs(), job())
    expect(second.outputs['cache-hit']).toBe('true')
    expect(readFileSync(join(pipCache(), 'downloaded.whl'), 'utf8')).toBe('wheel bytes')
    expect(step(second, 'run')?.stdout).toContain(`Dependency cache: cache hit (${key})`)
    expect(second.steps.find((s) => s.uses?.startsWith('actions/cache/save'))?.conclusion).toBe('skipped')
    expect(store.calls).toEqual([`restore ${key} -> miss`, `save ${key}`, `restore ${key} -> ${key}`])
  })

  it('keys a changed requirements file anew and starts from the older entry', async () => {
    await runStep('setup-django-test', inputs(), job())
    writeFileSync(join(dir, 'app', 'ci-requirements.txt'), '# nothing, changed\n')
    const run = await runStep('setup-django-test', inputs(), job())
    expect(run.outputs['cache-hit']).toBe('false')
    expect(step(run, 'run')?.stdout).toMatch(/Dependency cache: cache restored from an older key/)
    expect(store.calls.filter((c) => c.startsWith('save'))).toHaveLength(2)
  })

  it('with cache: true and no cache service, neither fails nor warns because of the cache', async () => {
    const run = await runStep('setup-django-test', inputs(), { ...job(), cacheStore: undefined })
    expect(run.errors).toEqual([expect.stringMatching(/^Django is not installed for /), FAILED])
    expect(run.warnings).toEqual([])
    // actions/cache says why in its own log; the main step only reports it.
    expect(step(run, 'restore')?.stdout).toContain(
      '[warning]An internal error has occurred in cache backend.',
    )
    expect(step(run, 'run')?.stdout).toContain('pip install -r ci-requirements.txt')
    expect(step(run, 'run')?.stdout).not.toMatch(/::warning::/)
    expect(run.outputs['cache-hit']).toBe('false')
  })

  it('uses no cache at all with cache: false', async () => {
    const run = await runStep('setup-django-test', { ...inputs(), cache: 'false' }, job())
    expect(step(run, 'restore')?.conclusion).toBe('skipped')
    expect(store.calls).toEqual([])
    expect(run.warnings).toEqual([])
  })
})
