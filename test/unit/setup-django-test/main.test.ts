import { run } from '../../../src/setup-django-test/main.js'
import { memoryFs } from './memory-fs.js'
import { argsOf, noExec, setup } from './world.js'

describe('run', () => {
  it('runs every phase and reports a passing project', async () => {
    const { deps, io, calls, exported } = setup({ 'database-url': 'postgres://app:s3cret@db:5432/app' })
    await run(deps)
    expect(exported).toEqual({ DATABASE_URL: 'postgres://app:s3cret@db:5432/app' })
    expect(io.failures).toEqual([])
    expect(io.groups).toEqual([
      'Python',
      'Project',
      'Install',
      'Services',
      'Checks',
      'Tests (manage.py test)',
      'Report',
    ])
    expect(argsOf(calls).filter((a) => !a.startsWith('-c'))).toEqual([
      '-m pip install -r requirements.txt',
      'manage.py check',
      'manage.py makemigrations --check --dry-run',
      '-m coverage run --source=. manage.py test --noinput --testrunner devops_django_junit.JUnitTestRunner',
      '-m coverage xml -o /reports/coverage.xml',
      '-m coverage json -o /reports/coverage.json',
    ])
    // Everything after discovery runs with the resolved interpreter, in the project folder.
    expect(calls.slice(1).every((c) => c.command === '/opt/py/bin/python3')).toBe(true)
    const test = calls.find((c) => c.args.includes('test'))
    expect(test?.options?.cwd).toBe('/repo/backend')
    expect(test?.options?.env).toMatchObject({
      DATABASE_URL: 'postgres://app:s3cret@db:5432/app',
      DJANGO_SETTINGS_MODULE: 'mysite.settings',
      DJANGO_JUNIT_XML: '/reports/junit.xml',
      DJANGO_JUNIT_ROOT: '/repo',
      COVERAGE_FILE: '/reports/.coverage',
      PYTHONPATH: '/action/python',
    })
    expect(io.outputs).toEqual({
      tests: '2',
      passed: '2',
      failures: '0',
      errors: '0',
      skipped: '0',
      duration: '1.250',
      coverage: '85',
      'junit-report': '/reports/junit.xml',
      'coverage-report': '/reports/coverage.xml',
      'cache-save': 'false',
      'changed-lines-coverage': '',
      'comment-url': '',
      'comment-file': '',
      'coverage-save': 'false',
    })
    expect(io.secrets).toContain('s3cret')
    expect(io.summary).toContain('### ✅ Django tests')
    expect(io.summary).toContain('| Services | ✅ | PostgreSQL at db:5432 ready after 0ms |')
  })

  it.each([
    [
      { install: 'conda' },
      "Invalid configuration: Input 'install' must be one of auto, pip, poetry, pipenv, uv, none (got 'conda')",
    ],
    [
      { 'coverage-threshold': '120' },
      "Invalid configuration: Input 'coverage-threshold' must be a number from 0 to 100 (got '120')",
    ],
    [
      { 'test-runner': 'nose' },
      "Invalid configuration: Input 'test-runner' must be one of auto, pytest, django (got 'nose')",
    ],
    [
      { 'database-url': 'postgres://u:p@db:99999/x' },
      "Invalid configuration: Input 'database-url' is not a valid postgres:// URL (check for unescaped characters in the password)",
    ],
    [
      { 'working-directory': 'frontend' },
      "Invalid configuration: Input 'working-directory' is 'frontend', but there is no manage.py in it",
    ],
  ])('fails with one clear line before running anything for %j', async (inputs, message) => {
    const { deps, io } = setup(inputs, {}, { exec: noExec })
    await run(deps)
    expect(io.failures).toEqual([message])
    expect(io.groups).toEqual([])
  })

  it('says when no manage.py is found, before running anything', async () => {
    const { deps, io } = setup({}, {}, { exec: noExec, fs: memoryFs({ 'README.md': '' }) })
    await run(deps)
    expect(io.failures).toEqual([expect.stringMatching(/^Invalid configuration: No manage.py found/)])
  })

  it('fails naming the count first, then annotates nine failing tests and lists the rest in the summary', async () => {
    const { deps, io, order } = setup({}, { failing: 12 })
    await run(deps)
    const errors = io.annotations.filter((a) => a.level === 'error')
    // The runner keeps 10 error annotations per step: the verdict, then nine failures.
    expect(order.filter((o) => o.startsWith('error') || o.startsWith('failed'))).toEqual([
      'failed: 12 of 14 tests failed',
      ...Array.from({ length: 9 }, (_, i) => `error: AssertionError: f${i}\n\nboom`),
    ])
    expect(errors[0]).toMatchObject({ props: { file: 'backend/notes/tests.py', startLine: 20 } })
    expect(io.summary).toContain('#### Failed tests (12)')
    expect(io.summary).toContain('the other 3 are listed here only')
    expect(io.outputs).toMatchObject({ tests: '14', failures: '12', passed: '2' })
    expect(io.failures).toEqual(['12 of 14 tests failed'])
  })

  it('does not annotate when annotate is false', async () => {
    const { deps, io } = setup({ annotate: 'false' }, { failing: 1 })
    await run(deps)
    expect(io.annotations.filter((a) => a.level === 'error')).toEqual([])
    expect(io.failures).toEqual(['1 of 3 tests failed'])
  })

  it('fails on missing migrations, naming the app, and does not run the tests', async () => {
    const { deps, io, calls } = setup({}, { missingMigrations: true })
    await run(deps)
    expect(io.failures).toEqual([
      "Missing migrations for notes: run 'python manage.py makemigrations' and commit the result",
    ])
    expect(argsOf(calls).some((a) => a.includes('manage.py test'))).toBe(false)
    expect(io.summary).toContain('| Checks | ❌ | check passed, migrations failed |')
    expect(io.summary).toContain('| Tests | — | not run: fix the failed checks first |')
    expect(io.outputs).toMatchObject({ tests: '0', 'junit-report': '', coverage: '' })
  })

  it('fails below the coverage threshold, saying by how much', async () => {
    const { deps, io } = setup({ 'coverage-threshold': '90' })
    await run(deps)
    expect(io.failures).toEqual(['Coverage 85% is below the threshold of 90% by 5 points'])
    expect(io.outputs.coverage).toBe('85')
  })

  it('passes at the threshold', async () => {
    const { deps, io } = setup({ 'coverage-threshold': '85' })
    await run(deps)
    expect(io.failures).toEqual([])
  })

  // What the composite's actions/cache/restore step reported reaches the main step as env.
  const restored = (hit: string, key: string, matched = '') => ({
    SETUP_DJANGO_TEST_CACHE_HIT: hit,
    SETUP_DJANGO_TEST_CACHE_KEY: key,
    SETUP_DJANGO_TEST_CACHE_MATCHED_KEY: matched,
  })
  const downloaded = { files: { 'cache/pip/pip/http/wheel': 'bytes' } }

  it.each([
    ['a miss', restored('', 'k1'), 'cache miss', true],
    ['a restore-key match', restored('false', 'k1', 'k0'), 'cache restored from an older key', true],
    ['an exact hit', restored('true', 'k1', 'k1'), 'cache hit', false],
    ['a cache service it could not reach', restored('false', ''), 'cache unavailable', false],
  ])('after %s, says so and asks for a save only when the folder changed', async (_, env, note, save) => {
    const { deps, io } = setup({}, downloaded, {
      env: { PATH: '/usr/bin', ...env },
      cacheRoot: '/repo/cache',
    })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(io.annotations).toEqual([])
    expect(io.summary).toContain(`pip from requirements.txt (${note})`)
    expect(io.outputs['cache-save']).toBe(String(save))
  })

  it('asks for no save when the installer downloaded nothing', async () => {
    const { deps, io } = setup({}, {}, { env: { PATH: '/usr/bin', ...restored('', 'k1') } })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(io.lines).toContain('Dependency cache not saved: the installer downloaded nothing')
    expect(io.outputs['cache-save']).toBe('false')
  })

  it('neither warns nor asks for a save when cache is false or there is nothing to install', async () => {
    const cases: Record<string, string>[] = [{ cache: 'false' }, { install: 'none' }]
    for (const inputs of cases) {
      const { deps, io } = setup(inputs, downloaded, {
        env: { PATH: '/usr/bin', ...restored('', 'k1') },
        cacheRoot: '/repo/cache',
      })
      await run(deps)
      expect(io.failures).toEqual([])
      expect(io.annotations).toEqual([])
      expect(io.outputs['cache-save']).toBe('false')
    }
  })

  describe("plan phase (the composite's first step)", () => {
    it('validates, then says what setup-python and the cache steps need, without running anything', async () => {
      const { deps, io } = setup(
        { 'python-version': 'auto' },
        { files: { 'backend/.python-version': '3.11\n' } },
        { exec: noExec, phase: 'plan' },
      )
      await run(deps)
      expect(io.failures).toEqual([])
      expect(io.groups).toEqual([])
      expect(io.outputs).toEqual({
        'setup-python': 'true',
        'python-version': '',
        'python-version-file': 'backend/.python-version',
        installer: 'pip',
        'lock-hash': expect.stringMatching(/^[0-9a-f]{32}$/),
        'interpreter-version': '',
        'coverage-base-key': '',
        'coverage-save-key': '',
        'cache-path': '/home/runner/.cache/setup-django-test/pip',
      })
      expect(io.summary).toBe('')
    })

    it('keys the cache on the interpreter already there when setup-python is skipped', async () => {
      const { deps, io, calls } = setup({ 'python-version': 'none' }, {}, { phase: 'plan' })
      await run(deps)
      expect(argsOf(calls)).toEqual([expect.stringMatching(/^-c import json, platform, sys/)])
      expect(io.outputs).toMatchObject({
        'setup-python': 'false',
        'interpreter-version': '3.12.4',
        'coverage-base-key': '',
        'coverage-save-key': '',
        installer: 'pip',
      })
    })

    it('plans no cache when cache is false or there is nothing to install', async () => {
      const cases: Record<string, string>[] = [{ cache: 'false' }, { install: 'none' }]
      for (const inputs of cases) {
        const { deps, io } = setup(
          { ...inputs, 'python-version': '3.12' },
          {},
          { exec: noExec, phase: 'plan' },
        )
        await run(deps)
        expect(io.outputs).toMatchObject({
          'setup-python': 'true',
          'python-version': '3.12',
          'cache-path': '',
        })
      }
    })

    it('fails on a bad input before setup-python would run', async () => {
      const { deps, io } = setup(
        { 'python-version-file': '.tool-versions' },
        {},
        { exec: noExec, phase: 'plan' },
      )
      await run(deps)
      expect(io.failures).toEqual([
        "Invalid configuration: Input 'python-version-file' is '.tool-versions', but there is no such file in the workspace",
      ])
      expect(io.outputs).toEqual({})
    })
  })

  it('stops with the installer’s last lines when installation fails', async () => {
    const { deps, io } = setup({}, { installFails: true })
    await run(deps)
    expect(io.failures).toEqual([
      'Dependency installation failed (pip install, exit code 1):\nERROR: No matching distribution found for Djangoo',
    ])
  })

  it('runs Django in parallel under coverage, each worker measuring itself, then combines', async () => {
    const { deps, io, calls } = setup({ parallel: '3' })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(argsOf(calls).filter((a) => a.startsWith('-m coverage'))).toEqual([
      '-m coverage run --parallel-mode --source=. manage.py test --noinput --testrunner devops_django_junit.JUnitTestRunner --parallel 3',
      '-m coverage combine',
      '-m coverage xml -o /reports/coverage.xml',
      '-m coverage json -o /reports/coverage.json',
    ])
    const test = calls.find((c) => c.args.includes('test'))
    expect(test?.options?.env?.DEVOPS_WORKER_COVERAGE).toBe('{"source":["/repo/backend"]}')
  })

  it('uses pytest when the project uses pytest-django', async () => {
    const { deps, io, calls } = setup(
      { coverage: 'false', parallel: '2' },
      {
        files: { 'backend/pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n' },
        modules: { pytestDjango: true },
      },
    )
    await run(deps)
    expect(io.failures).toEqual([])
    expect(argsOf(calls)).toContain(
      '-m pytest -p devops_pytest --junitxml=/reports/junit.xml -o junit_family=xunit1',
    )
    expect(io.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/pytest-xdist is not installed/),
      }),
    )
    expect(io.outputs.coverage).toBe('')
  })

  it('explains a pytest project without pytest-django installed', async () => {
    const { deps, io } = setup({ 'test-runner': 'pytest', install: 'none' })
    await run(deps)
    expect(io.failures).toEqual([
      expect.stringMatching(/pytest-django is not installed for \/opt\/py\/bin\/python3/),
    ])
  })

  it('fails clearly when Django is not installed', async () => {
    const { deps, io } = setup({ install: 'none' }, { modules: { django: null } })
    await run(deps)
    expect(io.failures).toEqual([
      "Django is not installed for /opt/py/bin/python3: add it to your requirements, or set 'install'",
    ])
  })

  it('fails clearly when the database never answers', async () => {
    const { deps, io } = setup(
      { 'database-url': 'postgres://u:p@db:6543/app', 'services-timeout': '3s' },
      {},
      { probe: async () => ({ ready: false, detail: 'connection refused' }) },
    )
    await run(deps)
    expect(io.failures).toEqual([
      expect.stringMatching(
        /^PostgreSQL at db:6543 did not accept connections within 3.0s \(last: connection refused\)/,
      ),
    ])
  })
})

// The shapes real projects come in (issue 13), each against the run as a whole.
describe('run on real project shapes', () => {
  it('takes working-directory as an absolute path, the way workflows write it', async () => {
    const { deps, io, calls } = setup({ 'working-directory': '/repo/backend' })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(calls.find((c) => c.args.includes('test'))?.options?.cwd).toBe('/repo/backend')
    expect(io.lines).toContain('manage.py in backend; settings mysite.settings (from manage.py)')
  })

  it.each([
    ['an @ in the password', 'postgres://u:p@ss@db/app', ['p@ss']],
    ['an encoded @', 'postgres://u:p%40ss@db/app', ['p%40ss', 'p@ss']],
    ['both', 'postgres://u:p@ss%40word@db/app', ['p@ss%40word', 'p@ss@word', 'p%40ss%40word']],
  ])('masks a password with %s as the URL parser reads it', async (_, url, masked) => {
    const { deps, io } = setup({ 'database-url': url })
    await run(deps)
    expect(io.failures).toEqual([])
    for (const form of masked) expect(io.secrets).toContain(form)
    // Never a prefix of it: that would blank every "p" in the log and show the rest.
    expect(io.secrets).not.toContain('p')
  })

  it('writes a summary saying what stopped the run when the install fails', async () => {
    const { deps, io } = setup({}, { installFails: true })
    await run(deps)
    expect(io.summary).toContain('### ❌ Django tests')
    expect(io.summary).toContain('| Python | ✅ |')
    expect(io.summary).toMatch(
      /\| Install \| ❌ \| Dependency installation failed \(pip install, exit code 1\)/,
    )
  })

  it('writes a summary when pytest-django is missing', async () => {
    const { deps, io } = setup({ 'test-runner': 'pytest', install: 'none' })
    await run(deps)
    expect(io.summary).toMatch(
      /\| Tests \| ❌ \| The tests run with pytest, but pytest-django is not installed/,
    )
    expect(io.summary).toContain('| Checks | ✅ | check passed, migrations passed |')
  })

  it.each([
    ['Django', {}, 0],
    [
      'pytest',
      {
        files: { 'backend/pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n' },
        modules: { pytestDjango: true },
      },
      5,
    ],
  ])('fails when %s ran no tests, and min-tests: 0 lets it pass', async (runner, scenario, exitCode) => {
    const noTests = { ...scenario, passing: 0, testExitCode: exitCode }
    const strict = setup({}, noTests)
    await run(strict.deps)
    expect(strict.io.failures).toEqual([
      expect.stringMatching(
        /^No tests ran \((pytest collected|Django's test runner found) no tests\): .*'min-tests: 0'$/,
      ),
    ])
    const lenient = setup({ 'min-tests': '0' }, noTests)
    await run(lenient.deps)
    expect(lenient.io.failures).toEqual([])
    expect(runner).toBeTruthy()
  })

  it('fails when fewer tests ran than min-tests', async () => {
    const { deps, io } = setup({ 'min-tests': '3' })
    await run(deps)
    expect(io.failures).toEqual(['Only 2 tests ran, fewer than min-tests (3)'])
  })

  it('reports no coverage, and no ✓, when the test run crashed', async () => {
    const { deps, io, calls } = setup(
      {},
      {
        crash: {
          exitCode: 2,
          stderr:
            "Creating test database for alias 'default'...\nGot an error creating the test database: permission denied to create database\n",
        },
      },
    )
    await run(deps)
    expect(io.failures).toEqual([
      'The test database could not be created: permission denied to create database (exit code 2, no JUnit report)',
    ])
    expect(io.outputs.coverage).toBe('')
    expect(io.summary).toContain('| Coverage | — | not reported: the tests did not run to the end |')
    expect(argsOf(calls).some((a) => a.startsWith('-m coverage xml'))).toBe(false)
  })

  it('says the settings module failed to import, at its file and line, once', async () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3/dist-packages/django/conf/__init__.py", line 170, in __init__',
      '    mod = importlib.import_module(self.SETTINGS_MODULE)',
      '          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      '  File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed',
      '  File "/repo/backend/mysite/settings.py", line 9, in <module>',
      '    import environ',
      "ModuleNotFoundError: No module named 'environ'",
    ].join('\n')
    const { deps, io, calls, order } = setup({}, { checkFails: traceback })
    await run(deps)
    const message =
      "The settings module mysite.settings failed to import: ModuleNotFoundError: No module named 'environ' (backend/mysite/settings.py:9)"
    expect(io.failures).toEqual([message])
    expect(order).toEqual([`failed: ${message}`, "error: ModuleNotFoundError: No module named 'environ'"])
    expect(io.annotations[0]?.props).toEqual({
      title: 'Settings module mysite.settings failed to import',
      file: 'backend/mysite/settings.py',
      startLine: 9,
    })
    // The migrations gate would fail the same way: it is not run.
    expect(argsOf(calls).filter((a) => a.startsWith('manage.py'))).toEqual(['manage.py check'])
  })

  it('names the security warnings the deploy gate exists for', async () => {
    const output = [
      'SystemCheckError: System check identified some issues:',
      '',
      'WARNINGS:',
      'notes.Note: (models.W042) Auto-created primary key used when not defining a primary key type.',
      '\tHINT: Configure the DEFAULT_AUTO_FIELD setting.',
      '?: (security.W004) You have not set a value for the SECURE_HSTS_SECONDS setting.',
      '?: (security.W008) Your SECURE_SSL_REDIRECT setting is not set to True.',
      '',
      'System check identified 3 issues (0 silenced).',
    ].join('\n')
    const { deps, io } = setup({ checks: 'deploy' }, { checkFails: output })
    await run(deps)
    expect(io.failures).toEqual([
      "'manage.py check --deploy' found 3 warnings: security.W004, security.W008, models.W042 (listed in the job summary)",
    ])
    expect(io.annotations.filter((a) => a.level === 'error')).toEqual([])
    expect(io.summary).toContain(
      '| deploy | security.W004 | ? | You have not set a value for the SECURE_HSTS_SECONDS setting. |',
    )
  })

  it('measures the project folder unless the coverage config says what to measure', async () => {
    const without = setup({}, { files: { 'backend/setup.cfg': '[coverage:run]\nbranch = True\n' } })
    await run(without.deps)
    expect(argsOf(without.calls)).toContainEqual(
      expect.stringMatching(/^-m coverage run --source=\. manage\.py test/),
    )
    expect(without.io.lines).toContain(
      'Coverage: the project folder (--source=.), since setup.cfg sets no source or include',
    )
    const own = setup(
      {},
      { files: { 'backend/pyproject.toml': '[tool.coverage.run]\ninclude = ["notes/*"]\n' } },
    )
    await run(own.deps)
    expect(argsOf(own.calls)).toContainEqual(expect.stringMatching(/^-m coverage run manage\.py test/))
  })

  it('shows coverage file names relative to the repository', async () => {
    const { deps, io } = setup({})
    await run(deps)
    expect(io.summary).toContain('| `backend/notes/views.py` | 80% | 8/10 |')
  })

  it('makes pytest report paths relative to the repository, in the report it writes too', async () => {
    const { deps, io, fs } = setup(
      {},
      {
        failing: 1,
        files: { 'backend/pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n' },
        modules: { pytestDjango: true },
      },
    )
    await run(deps)
    expect(fs.files.get('/reports/junit.xml')).toContain('file="backend/notes/tests.py"')
    // pytest's xunit1 line is 0-based: line="20" is line 21.
    expect(io.annotations.find((a) => a.level === 'error')?.props).toMatchObject({
      file: 'backend/notes/tests.py',
      startLine: 21,
    })
    expect(io.summary).toContain('| notes.tests.T.test_f0 | backend/notes/tests.py:21 |')
  })
})
