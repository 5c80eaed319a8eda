import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { LocalCacheStore, runStep, type StepOptions, type StepRun } from '../helpers/run-step.js'

// Real parts: Debian's python3 with python3-django, python3-pytest-django and python3-coverage,
// and the PostgreSQL cluster from scripts/e2e/setup.d/20-postgres.sh; the action runs from its
// action.yml on the model runner (test/helpers/run-step.ts), its actions/cache steps against a
// local cache store.
const PYTHON = '/usr/bin/python3'
const PG = { host: '127.0.0.1', port: 5432, url: 'postgres://devops:devops@127.0.0.1:5432/devops' }
const fixture = resolve(new URL('../fixtures/django-app', import.meta.url).pathname)
const SETUP_HINT = 'run `bash scripts/e2e/setup.sh` first'
const FAILED = 'Process completed with exit code 1.'

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host, port })
    socket.setTimeout(2000)
    socket.once('connect', () => (socket.destroy(), done(true)))
    socket.once('error', () => done(false))
    socket.once('timeout', () => (socket.destroy(), done(false)))
  })
}

beforeAll(async () => {
  try {
    execFileSync(PYTHON, ['-c', 'import django, pytest_django, coverage, psycopg2, venv'], { stdio: 'pipe' })
  } catch (error) {
    throw new Error(`${PYTHON} lacks Django, pytest-django, coverage, psycopg2 or venv: ${SETUP_HINT}`, {
      cause: error,
    })
  }
  if (!(await tcpOpen(PG.host, PG.port)))
    throw new Error(`PostgreSQL is not listening on ${PG.host}:${PG.port}: ${SETUP_HINT}`)
})

const workspaces: string[] = []
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true })
})

/** A workspace with the fixture app copied into app/ (so manage.py is found one level down). */
function workspace(edit?: (app: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'django-e2e-'))
  workspaces.push(dir)
  cpSync(fixture, join(dir, 'app'), { recursive: true, filter: (src) => !src.includes('__pycache__') })
  edit?.(join(dir, 'app'))
  return dir
}

function append(path: string, text: string): void {
  writeFileSync(path, readFileSync(path, 'utf8') + text)
}

/** The action with Debian's interpreter (so setup-python is skipped), the job's env, more runner options. */
async function runIn(
  dir: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  options: StepOptions = {},
): Promise<StepRun> {
  return runStep(
    'setup-django-test',
    { python: PYTHON, install: 'none', 'database-url': PG.url, ...inputs },
    { cwd: dir, env, timeoutMs: 120_000, ...options },
  )
}

describe('setup-django-test against the fixture app, Debian Python and PostgreSQL', () => {
  it("runs checks and Django's runner with coverage over a threshold it meets", async () => {
    const run = await runIn(workspace(), { 'coverage-threshold': '50', checks: 'check,migrations,deploy' })
    // The fixture is not deploy-hardened (no HTTPS settings): the deploy gate must say so.
    expect(run.errors.join('\n')).toMatch(/'manage.py check --deploy' found \d+ warnings: security\.W/)
    const ok = await runIn(workspace(), { 'coverage-threshold': '50' })
    expect(ok.exitCode).toBe(0)
    expect(ok.outputs).toMatchObject({ tests: '5', passed: '5', failures: '0', errors: '0', skipped: '0' })
    expect(Number(ok.outputs.coverage)).toBeGreaterThanOrEqual(50)
    expect(ok.outputs['junit-report']).toMatch(/junit\.xml$/)
    expect(ok.stdout).toContain("PostgreSQL at 127.0.0.1:5432: answered SSLRequest with 'N'")
    expect(ok.stdout).toContain('manage.py in app; settings mysite.settings (from manage.py)')
    expect(ok.summary).toContain('### ✅ Django tests')
    expect(ok.summary).toContain('| Checks | ✅ | check passed, migrations passed |')
    expect(ok.summary).toContain('notes.tests.ViewTests.test_health_reports_database')
  })

  it("runs Django's parallel runner under coverage, combining every worker's data", async () => {
    const run = await runIn(workspace(), { parallel: '2', checks: 'none' })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain("Cloning test database for alias 'default'")
    expect(run.stdout).toMatch(/Combined data file .*\.coverage\./)
    expect(run.outputs).toMatchObject({ tests: '5', passed: '5' })
    // The views only run in the workers: without their data, coverage would be far lower.
    expect(Number(run.outputs.coverage)).toBeGreaterThan(80)
  })

  it('runs pytest-django when the project is set up for it', async () => {
    const dir = workspace((app) =>
      writeFileSync(
        join(app, 'pytest.ini'),
        '[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\npython_files = tests.py test_*.py\n',
      ),
    )
    const run = await runIn(dir, {})
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('-m coverage run --source=. -m pytest -p devops_pytest --junitxml=')
    expect(run.outputs).toMatchObject({ tests: '5', passed: '5', failures: '0' })
    expect(run.summary).toContain('pytest-django')
  })

  it('fails a coverage threshold it does not meet, saying by how much', async () => {
    const run = await runIn(workspace(), { 'coverage-threshold': '99.5', checks: 'none' })
    expect(run.exitCode).toBe(1)
    // coverage.py's default precision is 0: the figure is a whole number, as `coverage report` prints it.
    expect(run.errors[0]).toMatch(/^Coverage \d+% is below the threshold of 99.5% by \d+(\.\d)? points$/)
    expect(run.errors.at(-1)).toBe(FAILED)
    expect(run.outputs.tests).toBe('5')
  })

  it('fails on a missing migration, naming the app', async () => {
    const dir = workspace((app) => {
      const models = join(app, 'notes', 'models.py')
      writeFileSync(
        models,
        readFileSync(models, 'utf8').replace(
          '    created =',
          '    pinned = models.BooleanField(default=False)\n    created =',
        ),
      )
    })
    const run = await runIn(dir, { coverage: 'false' })
    expect(run.exitCode).toBe(1)
    expect([run.errors[0], run.errors.at(-1)]).toEqual([
      "Missing migrations for notes: run 'python manage.py makemigrations' and commit the result",
      FAILED,
    ])
  })

  it('annotates a failing test at its file and line', async () => {
    const dir = workspace((app) =>
      append(
        join(app, 'notes', 'tests.py'),
        '\n\nclass BrokenTests(TestCase):\n    def test_broken(self):\n        expected = "ok"\n        self.assertEqual(expected, "not ok")\n',
      ),
    )
    const run = await runIn(dir, { coverage: 'false', checks: 'none' })
    expect(run.exitCode).toBe(1)
    const source = readFileSync(join(dir, 'app', 'notes', 'tests.py'), 'utf8').split('\n')
    const line = source.findIndex((l) => l.includes('assertEqual(expected, "not ok")')) + 1
    const annotation = run.stdout.split('\n').find((l) => l.startsWith('::error title=Test failed'))
    expect(annotation).toContain(`file=app/notes/tests.py,line=${line}::AssertionError: 'ok' != 'not ok'`)
    expect(run.outputs).toMatchObject({ tests: '6', failures: '1', passed: '5' })
    expect(run.summary).toContain(`| notes.tests.BrokenTests.test_broken | app/notes/tests.py:${line} |`)
    expect([run.errors[0], run.errors.at(-1)]).toEqual(['1 of 6 tests failed', FAILED])
  })

  it('annotates a failing pytest test at the line that failed', async () => {
    const dir = workspace((app) => {
      writeFileSync(
        join(app, 'pytest.ini'),
        '[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\npython_files = tests.py\n',
      )
      append(
        join(app, 'notes', 'tests.py'),
        '\n\ndef test_plain_function():\n    total = 1 + 1\n    assert total == 3\n',
      )
    })
    const run = await runIn(dir, { coverage: 'false', checks: 'none' })
    expect(run.exitCode).toBe(1)
    const source = readFileSync(join(dir, 'app', 'notes', 'tests.py'), 'utf8').split('\n')
    const line = source.findIndex((l) => l.includes('assert total == 3')) + 1
    const annotation = run.stdout.split('\n').find((l) => l.startsWith('::error title=Test failed'))
    expect(annotation).toContain(`file=app/notes/tests.py,line=${line}::`)
    expect(run.outputs).toMatchObject({ tests: '6', failures: '1', passed: '5' })
  })

  it('waits for a database that comes up late', async () => {
    const port = await freePort()
    const proxy = net.createServer((client) => {
      const upstream = net.connect(PG.port, PG.host)
      client.pipe(upstream).pipe(client)
      client.on('error', () => upstream.destroy())
      upstream.on('error', () => client.destroy())
    })
    const opened = setTimeout(() => proxy.listen(port, '127.0.0.1'), 2000)
    try {
      const run = await runIn(workspace(), {
        'database-url': `postgres://devops:devops@127.0.0.1:${port}/devops`,
        'services-timeout': '30s',
        coverage: 'false',
      })
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain(`PostgreSQL at 127.0.0.1:${port}: connection refused`)
      expect(run.stdout).toContain(`PostgreSQL at 127.0.0.1:${port}: answered SSLRequest with 'N'`)
      expect(run.outputs.passed).toBe('5')
    } finally {
      clearTimeout(opened)
      await new Promise((done) => proxy.close(() => done(undefined)))
    }
  })

  it('names host and port when the database never comes', async () => {
    const port = await freePort()
    const run = await runIn(workspace(), {
      'database-url': `postgres://devops:devops@127.0.0.1:${port}/devops`,
      'services-timeout': '2s',
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      `PostgreSQL at 127.0.0.1:${port} did not accept connections within 2.0s (last: connection refused). Check that the service container is started and its port is published, or raise 'services-timeout'.`,
      FAILED,
    ])
    expect(run.stdout).not.toContain('manage.py check')
  })

  it('installs with pip from requirements.txt the interpreter already satisfies, with and without a cache service', async () => {
    const dir = workspace()
    const venv = join(dir, '.venv')
    execFileSync(PYTHON, ['-m', 'venv', '--system-site-packages', venv], { stdio: 'pipe' })
    const inputs = {
      python: join(venv, 'bin', 'python'),
      install: 'auto',
      coverage: 'false',
      checks: 'check',
    }
    // PIP_NO_INDEX: pip must find everything installed already; it may not reach any index.
    const home = join(dir, 'home')
    const env = { PIP_NO_INDEX: '1', HOME: home }
    const run = await runIn(dir, inputs, env)
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('-m pip install -r requirements.txt')
    expect(run.stdout).toMatch(/Requirement already satisfied: Django/)
    // No cache service on this runner: actions/cache says so in its log; nothing warns or fails.
    expect(run.warnings).toEqual([])
    expect(run.summary).toContain('pip from requirements.txt (cache unavailable)')
    expect(run.outputs).toMatchObject({ passed: '5', 'cache-hit': 'false' })

    // With a cache service: a miss that saves what pip left in its cache folder, then a hit.
    const store = new LocalCacheStore()
    try {
      const pipCache = join(home, '.cache', 'setup-django-test', 'pip', 'pip')
      mkdirSync(pipCache, { recursive: true })
      writeFileSync(join(pipCache, 'downloaded.whl'), 'wheel bytes')
      const miss = await runIn(dir, inputs, env, { cacheStore: store })
      expect(miss.exitCode).toBe(0)
      expect(miss.stdout).toMatch(
        /Dependency cache: cache miss \(setup-django-test-Linux-X64-py3\.\d+\.\d+-pip-[0-9a-f]{32}\)/,
      )
      expect(miss.stdout).toMatch(/Cache saved with key: setup-django-test-Linux-X64-py3/)
      rmSync(join(home, '.cache'), { recursive: true })
      const hit = await runIn(dir, inputs, env, { cacheStore: store })
      expect(hit.exitCode).toBe(0)
      expect(hit.summary).toContain('pip from requirements.txt (cache hit)')
      expect(hit.outputs['cache-hit']).toBe('true')
      expect(readFileSync(join(pipCache, 'downloaded.whl'), 'utf8')).toBe('wheel bytes')
      expect(store.calls.map((c) => c.replace(/setup-django-test-\S+/g, 'KEY'))).toEqual([
        'restore KEY -> miss',
        'save KEY',
        'restore KEY -> KEY',
      ])
    } finally {
      store.close()
    }
  })

  it('sets up the Python the project asks for with setup-python and tests with it', async () => {
    const dir = workspace((app) => writeFileSync(join(app, '.python-version'), '3.11\n'))
    const run = await runStep(
      'setup-django-test',
      { install: 'none', 'database-url': PG.url, coverage: 'false', checks: 'none' },
      { cwd: dir, pythons: [PYTHON], timeoutMs: 120_000 },
    )
    expect(run.exitCode).toBe(0)
    expect(run.steps.find((s) => s.id === 'python')?.inputs['python-version-file']).toBe(
      'app/.python-version',
    )
    expect(run.stdout).toMatch(/CPython 3\.11\.\d+ at \S+\/Python\/3\.11\.\d+\/x64\/bin\/python3/)
    expect(run.outputs).toMatchObject({ tests: '5', passed: '5' })
  })
})

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)))
  const { port } = server.address() as net.AddressInfo
  await new Promise((done) => server.close(() => done(undefined)))
  return port
}
