import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runAction, type ActionRun } from '../helpers/run-action.js'
import { requireCommand, requirePostgres } from '../helpers/prerequisites.js'

// The shapes real Django projects come in (issue 13), each run for real: Debian's python3 with
// python3-django 3.2, python3-pytest-django, python3-pytest-xdist, python3-coverage and
// python3-dj-database-url, and PostgreSQL 15 with the roles and the socket login that
// scripts/e2e/setup.d/30-django-test.sh makes. The figures are compared with the ones the
// tools themselves print, never with numbers written down here.
const PYTHON = '/usr/bin/python3'
const PG = 'postgres://devops:devops@127.0.0.1:5432/devops'
const SOCKET_DIR = '/var/run/postgresql'
const fixtures = resolve(new URL('../fixtures', import.meta.url).pathname)

beforeAll(async () => {
  requireCommand(
    PYTHON,
    ['-c', 'import django, pytest_django, xdist, coverage, dj_database_url, psycopg2, venv'],
    "Debian's python3-django, python3-pytest-django, python3-pytest-xdist, python3-coverage, python3-dj-database-url",
  )
  await requirePostgres(PG)
  // The roles and the socket login this suite needs, checked the way the tests use them.
  for (const [user, password, host] of [
    ['devops_at', 'p@ss@word', '127.0.0.1'],
    ['devops_nocreatedb', 'devops', '127.0.0.1'],
    ['devops', 'devops', SOCKET_DIR],
  ] as const) {
    const login = spawnSync(
      PYTHON,
      [
        '-c',
        'import psycopg2, sys; psycopg2.connect(dbname="devops", user=sys.argv[1], password=sys.argv[2], host=sys.argv[3]).close()',
        user,
        password,
        host,
      ],
      { encoding: 'utf8' },
    )
    if (login.status !== 0)
      throw new Error(
        `E2E prerequisite missing: PostgreSQL login as ${user} via ${host} (${login.stderr.trim().split('\n').pop()}). Run \`sudo bash scripts/e2e/setup.sh\`.`,
      )
  }
})

const workspaces: string[] = []
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true })
})

/** A workspace with the fixture app in `folder`, the named overlays of django-shapes/ over it. */
function shape(folder: string, ...overlays: string[]): { root: string; app: string } {
  const root = mkdtempSync(join(tmpdir(), 'django-shape-'))
  workspaces.push(root)
  const app = join(root, folder)
  cpSync(join(fixtures, 'django-app'), app, {
    recursive: true,
    filter: (src) => !src.includes('__pycache__'),
  })
  for (const overlay of overlays) cpSync(join(fixtures, 'django-shapes', overlay), app, { recursive: true })
  return { root, app }
}

/** Runs the bundle; its reports stay in the workspace (RUNNER_TEMP) to be read afterwards. */
function runIn(
  root: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const temp = join(root, '.runner-temp')
  mkdirSync(temp, { recursive: true })
  return runAction(
    'setup-django-test',
    { python: PYTHON, install: 'none', 'database-url': PG, checks: 'none', ...inputs },
    { cwd: root, env: { RUNNER_TEMP: temp, ...env }, timeoutMs: 180_000 },
  )
}

/**
 * The TOTAL that `coverage report` prints after a serial run by hand in the app folder, measured
 * as the action measures a project whose config sets no source (`--source=.`).
 */
function coverageReportTotal(app: string, command: string[]): string {
  const dataFile = join(app, '..', '.coverage-by-hand')
  const env = { ...process.env, DATABASE_URL: PG, COVERAGE_FILE: dataFile, PYTHONDONTWRITEBYTECODE: '1' }
  execFileSync(PYTHON, ['-m', 'coverage', 'run', '--source=.', ...command], { cwd: app, env, stdio: 'pipe' })
  const report = execFileSync(PYTHON, ['-m', 'coverage', 'report'], { cwd: app, env, encoding: 'utf8' })
  rmSync(dataFile, { force: true })
  const total = /^TOTAL\s.*?(\d+(?:\.\d+)?)%\s*$/m.exec(report)?.[1]
  if (!total) throw new Error(`no TOTAL line in coverage report:\n${report}`)
  return total
}

const DJANGO_BY_HAND = ['manage.py', 'test', '--noinput', '-v', '0']
const PYTEST_BY_HAND = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']

/** The lines the runner would show, without the `::add-mask::` commands themselves. */
const shown = (run: ActionRun) =>
  run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')

describe('setup-django-test on the shapes real projects come in', () => {
  it('takes an absolute working-directory and reports every path from the repository root', async () => {
    for (const overlays of [[], ['pytest']]) {
      const { root, app } = shape('backend', ...overlays)
      const run = await runIn(root, { 'working-directory': app, 'coverage-threshold': '50' })
      expect(run.errors).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain('manage.py in backend; settings mysite.settings')
      // JUnit file attributes (Django's runner here, and pytest's rebased from its rootdir).
      const junit = readFileSync(run.outputs['junit-report'] as string, 'utf8')
      const files = [...junit.matchAll(/<testcase [^>]*file="([^"]+)"/g)].map((m) => m[1])
      expect(files.length).toBe(5)
      expect(new Set(files)).toEqual(new Set(['backend/notes/tests.py']))
      expect(run.summary).toContain('`backend/notes/views.py`')
    }
  })

  it.each([
    ["Django's runner", [] as string[], DJANGO_BY_HAND],
    ['pytest with pytest-xdist', ['pytest'], PYTEST_BY_HAND],
  ])('measures the same coverage in parallel as in one process: %s', async (_, overlays, byHand) => {
    for (const extra of [[], ['branch-coverage']]) {
      const { root, app } = shape('app', ...overlays, ...extra)
      const expected = coverageReportTotal(app, byHand)
      const serial = await runIn(root, {})
      const parallel = await runIn(root, { parallel: '2' })
      expect([serial.errors, parallel.errors]).toEqual([[], []])
      // The workers ran: Django cloned its test database, xdist started gateways.
      expect(parallel.stdout).toMatch(/Cloning test database|\[gw1\]|gw1 \[|created: 2\/2 workers/)
      expect(parallel.stdout).toMatch(/Combined data file .*\.coverage\./)
      expect([extra.join(), serial.outputs.coverage, parallel.outputs.coverage]).toEqual([
        extra.join(),
        expected,
        expected,
      ])
    }
  })

  it("reports a branch-measuring project's coverage as `coverage report` does, at its precision", async () => {
    const { root, app } = shape('app', 'branch-coverage')
    const expected = coverageReportTotal(app, DJANGO_BY_HAND)
    expect(expected).toMatch(/^\d+\.\d$/) // precision = 1
    const run = await runIn(root, {})
    expect(run.outputs.coverage).toBe(expected)
    expect(run.summary).toMatch(
      /#### Coverage: \d+\.\d%\n\n\d+ of \d+ statements and \d+ of \d+ branches covered\./,
    )
    // A threshold a tenth above the figure fails, at the figure itself passes.
    const above = (Number(expected) + 0.1).toFixed(1)
    const short = await runIn(root, { 'coverage-threshold': above })
    expect(short.errors[0]).toBe(`Coverage ${expected}% is below the threshold of ${above}% by 0.1 points`)
    const at = await runIn(root, { 'coverage-threshold': expected })
    expect(at.exitCode).toBe(0)
  })

  it('measures the project, not dist-packages, on the system Python with a config that sets no source', async () => {
    const { root } = shape('app', 'branch-coverage')
    const run = await runIn(root, {})
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(
      'Coverage: the project folder (--source=.), since setup.cfg sets no source or include',
    )
    expect(run.stdout).toContain('-m coverage run --source=. manage.py test')
    expect(run.summary).toContain('`app/notes/views.py`')
    expect(run.summary).not.toMatch(/dist-packages|site-packages/)
  })

  it('masks a password with @ and %40 as the URL parser reads it, and connects with it', async () => {
    const { root } = shape('app', 'dj-database-url')
    const url = 'postgres://devops_at:p@ss%40word@127.0.0.1:5432/devops'
    const run = await runIn(
      root,
      { 'database-url': url, 'settings-module': 'mysite.settings_url' },
      { EXPECT_DATABASE: 'tcp devops_at' },
    )
    expect(run.errors).toEqual([])
    expect(run.outputs).toMatchObject({ tests: '6', passed: '6' })
    const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'))
    // '%' is escaped as %25 in workflow commands.
    expect(masks).toEqual(expect.arrayContaining(['::add-mask::p@ss%2540word', '::add-mask::p@ss@word']))
    expect(masks).not.toContain('::add-mask::p')
    expect(shown(run)).not.toMatch(/ss@word|ss%40word/)
  })

  it.each([
    [
      'a percent-encoded socket folder as the host',
      'postgres://devops:devops@%2Fvar%2Frun%2Fpostgresql/devops',
    ],
    ['no host (libpq goes to its socket folder)', 'postgres://devops:devops@/devops'],
    ['the host query option', 'postgres://devops:devops@/devops?host=/var/run/postgresql'],
  ])('waits for PostgreSQL on its Unix socket given %s', async (_, url) => {
    const { root } = shape('app', 'dj-database-url')
    const run = await runIn(
      root,
      { 'database-url': url, 'settings-module': 'mysite.settings_url', 'services-timeout': '10s' },
      { EXPECT_DATABASE: 'socket devops' },
    )
    expect(run.errors).toEqual([])
    expect(run.stdout).toMatch(
      /PostgreSQL at \/var\/run\/postgresql\/\.s\.PGSQL\.5432.*: answered SSLRequest with 'N'/,
    )
    expect(run.outputs).toMatchObject({ tests: '6', passed: '6' })
  })

  it('puts the verdict first and one annotation for a cause many tests share, with its real cause', async () => {
    const { root, app } = shape('app', 'pytest')
    const run = await runIn(root, {
      'database-url': 'postgres://devops_nocreatedb:devops@127.0.0.1:5432/devops',
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toBe('5 of 5 tests failed')
    expect(run.errors).toHaveLength(2)
    expect(run.errors[1]).toMatch(
      /^psycopg2\.errors\.InsufficientPrivilege: permission denied to create database\n\n5 tests failed with this error: /,
    )
    // At the first such test's own line (pytest's 0-based xunit line, made 1-based).
    const first = /5 tests failed with this error: [\w.]+\.(test_\w+)/.exec(run.errors[1] ?? '')?.[1]
    const source = readFileSync(join(app, 'notes', 'tests.py'), 'utf8').split('\n')
    const line = source.findIndex((l) => l.includes(`def ${first}(`)) + 1
    expect(line).toBeGreaterThan(0)
    const annotation = run.stdout.split('\n').find((l) => l.startsWith('::error title=Test error in 5 tests'))
    expect(annotation).toContain(`file=app/notes/tests.py,line=${line}::`)
    expect(run.summary).toContain('permission denied to create database')
  })

  it("says why Django's runner could not start, and reports no coverage for it", async () => {
    const { root } = shape('app')
    const run = await runIn(root, {
      'database-url': 'postgres://devops_nocreatedb:devops@127.0.0.1:5432/devops',
    })
    expect(run.errors).toEqual([
      'The test database could not be created: permission denied to create database (exit code 2, no JUnit report)',
    ])
    expect(run.outputs.coverage).toBe('')
    expect(run.summary).toContain('| Coverage | — | not reported: the tests did not run to the end |')
  })

  it('shows the verdict and nine failures of many, the rest in the summary', async () => {
    const { root, app } = shape('app')
    const failing = Array.from(
      { length: 12 },
      (_, i) => `    def test_broken_${i}(self):\n        self.assertEqual(${i}, -1)\n`,
    ).join('\n')
    writeFileSync(
      join(app, 'notes', 'tests.py'),
      `${readFileSync(join(app, 'notes', 'tests.py'), 'utf8')}\n\nclass BrokenTests(TestCase):\n${failing}`,
    )
    const run = await runIn(root, { coverage: 'false' })
    expect(run.errors).toHaveLength(10)
    expect(run.errors[0]).toBe('12 of 17 tests failed')
    expect(run.errors.slice(1).every((e) => /^AssertionError: \d+ != -1/.test(e))).toBe(true)
    expect(run.summary).toContain(
      '9 failing tests are annotated in the code; the other 3 are listed here only',
    )
  })

  it.each([
    ["Django's runner", [] as string[], /^No tests ran \(Django's test runner found no tests\)/],
    ['pytest', ['pytest'], /^No tests ran \(pytest collected no tests\)/],
  ])('fails when %s ran no tests, unless min-tests is 0', async (_, overlays, message) => {
    const { root } = shape('app', ...overlays, 'no-tests')
    const run = await runIn(root, { coverage: 'false' })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringMatching(message)])
    const allowed = await runIn(root, { coverage: 'false', 'min-tests': '0' })
    expect(allowed.errors).toEqual([])
    expect(allowed.outputs.tests).toBe('0')
  })

  it("installs cookiecutter-django's requirements/local.txt and says why", async () => {
    const { root, app } = shape('app', 'cookiecutter')
    rmSync(join(app, 'requirements.txt'))
    const venv = join(root, '.venv')
    execFileSync(PYTHON, ['-m', 'venv', '--system-site-packages', venv], { stdio: 'pipe' })
    // PIP_NO_INDEX: everything is installed already (system site packages); no index is reached.
    const run = await runIn(
      root,
      { python: join(venv, 'bin', 'python'), install: 'auto', cache: 'false' },
      { PIP_NO_INDEX: '1' },
    )
    expect(run.errors).toEqual([])
    expect(run.stdout).toContain(
      "Dependencies: pip in app (requirements/local.txt: the tests' requirements, which include requirements/base.txt; not installed: requirements/production.txt); pytest-django used",
    )
    expect(run.stdout).toContain('-m pip install -r requirements/local.txt')
    expect(run.stdout).toMatch(/Requirement already satisfied: pytest-django/)
    expect(run.outputs).toMatchObject({ tests: '5', passed: '5' })
  })

  it("keeps pip's PEP 668 line, says how to get past it, and still writes a summary", async () => {
    const { root } = shape('app')
    const run = await runIn(root, { install: 'auto', cache: 'false' }, { PIP_NO_INDEX: '1' })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^Dependency installation failed \(pip install, exit code 1\):\nerror: externally-managed-environment\n/,
    )
    expect(run.errors[0]).toMatch(/'install: none'.*virtualenv.*PIP_BREAK_SYSTEM_PACKAGES=1/s)
    expect(run.summary).toContain('### ❌ Django tests')
    expect(run.summary).toMatch(/\| Install \| ❌ \| Dependency installation failed/)
  })

  it('says the settings module failed to import, with the exception, file and line', async () => {
    const { root } = shape('app', 'broken-settings')
    const run = await runIn(root, { 'settings-module': 'mysite.settings_ci', checks: 'check,migrations' })
    expect(run.errors).toEqual([
      "The settings module mysite.settings_ci failed to import: ModuleNotFoundError: No module named 'environ' (app/mysite/settings_ci.py:2)",
      "ModuleNotFoundError: No module named 'environ'",
    ])
    expect(run.stdout).toContain(
      '::error title=Settings module mysite.settings_ci failed to import,file=app/mysite/settings_ci.py,line=2::',
    )
    expect(run.stdout).not.toContain('makemigrations')
    expect(run.summary).toContain('| Checks | ❌ | check failed |')
  })

  it('names the security warnings the deploy gate exists for', async () => {
    const { root } = shape('app')
    const run = await runIn(root, { checks: 'check,deploy' })
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/^'manage\.py check --deploy' found \d+ warnings: security\.W\d{3}/)
    for (const id of ['security.W004', 'security.W008']) expect(run.errors[0]).toContain(id)
    expect(run.summary).toMatch(
      /\| deploy \| security\.W004 \| \? \| You have not set a value for the SECURE_HSTS_SECONDS setting/,
    )
  })
})
