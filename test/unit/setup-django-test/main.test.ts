import type { Exec, ExecOptions, ExecResult } from '../../../src/lib/exec.js'
import { run, type Deps } from '../../../src/setup-django-test/main.js'
import { fakeClock } from '../../helpers/clock.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'
import { memoryFs } from './memory-fs.js'

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'

function junit(failing: number, passing = 2): string {
  const fail = Array.from(
    { length: failing },
    (_, i) =>
      `<testcase classname="notes.tests.T" name="test_f${i}" time="0.01" file="notes/tests.py" line="${20 + i}"><failure message="AssertionError: f${i}">boom</failure></testcase>`,
  )
  const pass = Array.from(
    { length: passing },
    (_, i) =>
      `<testcase classname="notes.tests.T" name="test_p${i}" time="0.5" file="notes/tests.py" line="${5 + i}"/>`,
  )
  return `<testsuites><testsuite time="1.250">${[...pass, ...fail].join('')}</testsuite></testsuites>`
}

const COVERAGE = '<coverage lines-valid="200" lines-covered="170" line-rate="0.85"><packages/></coverage>'

interface Scenario {
  files?: Record<string, string>
  failing?: number
  missingMigrations?: boolean
  installFails?: boolean
  modules?: Record<string, unknown>
}

function setup(inputs: Record<string, string>, scenario: Scenario = {}, overrides: Partial<Deps> = {}) {
  const fs = memoryFs({
    'backend/manage.py': MANAGE,
    'backend/requirements.txt': 'Django\n',
    ...scenario.files,
  })
  const io = recordingIO()
  const calls: { command: string; args: readonly string[]; options?: ExecOptions }[] = []
  const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '', stderrTail: '' })
  const exec = async (
    command: string,
    args: readonly string[],
    options?: ExecOptions,
  ): Promise<ExecResult> => {
    calls.push({ command, args, options })
    const joined = args.join(' ')
    if (args[0] === '-c' && joined.includes('python_version')) {
      return ok('{"executable": "/opt/py/bin/python3", "version": "3.12.4", "implementation": "CPython"}\n')
    }
    if (args[0] === '-c') {
      return ok(
        JSON.stringify({
          django: '5.1',
          pytest: true,
          pytestDjango: false,
          xdist: false,
          coverage: true,
          ...scenario.modules,
        }),
      )
    }
    if (joined.startsWith('-m pip install')) {
      return scenario.installFails
        ? {
            exitCode: 1,
            stdout: '',
            stderr: 'ERROR: No matching distribution found for Djangoo',
            stderrTail: 'ERROR: No matching distribution found for Djangoo',
          }
        : ok('Requirement already satisfied: Django')
    }
    if (joined === 'manage.py makemigrations --check --dry-run' && scenario.missingMigrations) {
      return {
        exitCode: 1,
        stdout: "Migrations for 'notes':\n  notes/migrations/0002_x.py\n",
        stderr: '',
        stderrTail: '',
      }
    }
    if (joined.includes('manage.py test') || joined.includes('-m pytest')) {
      const path = options?.env?.DJANGO_JUNIT_XML as string
      fs.files.set(path, junit(scenario.failing ?? 0))
      return { exitCode: scenario.failing ? 1 : 0, stdout: '', stderr: '', stderrTail: '' }
    }
    if (joined.startsWith('-m coverage xml')) {
      fs.files.set(args[args.length - 1] as string, COVERAGE)
      return ok()
    }
    return ok()
  }
  const clock = fakeClock()
  const exported: Record<string, string> = {}
  const deps: Deps = {
    io,
    getInput: inputsOf(inputs),
    env: { PATH: '/usr/bin' },
    exec,
    fs,
    probe: async () => ({ ready: true, detail: "answered SSLRequest with 'N'" }),
    phase: 'main',
    sleep: clock.sleep,
    now: clock.now,
    workspace: '/repo',
    makeReportsDir: () => '/reports',
    pythonModules: '/action/python',
    cacheRoot: '/home/runner/.cache/setup-django-test',
    platform: { os: 'Linux', arch: 'x64' },
    exportVariable: (name, value) => void (exported[name] = value),
    ...overrides,
  }
  return { deps, io, calls, fs, exported }
}

const noExec: Exec = async (command) => {
  throw new Error(`exec(${command}) was not expected in this test`)
}

const argsOf = (calls: { args: readonly string[] }[]) => calls.map((c) => c.args.join(' '))

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
    ])
    // Everything after discovery runs with the resolved interpreter, in the project folder.
    expect(calls.slice(1).every((c) => c.command === '/opt/py/bin/python3')).toBe(true)
    const test = calls.find((c) => c.args.includes('test'))
    expect(test?.options?.cwd).toBe('/repo/backend')
    expect(test?.options?.env).toMatchObject({
      DATABASE_URL: 'postgres://app:s3cret@db:5432/app',
      DJANGO_SETTINGS_MODULE: 'mysite.settings',
      DJANGO_JUNIT_XML: '/reports/junit.xml',
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
      coverage: '85.0',
      'junit-report': '/reports/junit.xml',
      'coverage-report': '/reports/coverage.xml',
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

  it('annotates ten failing tests, lists the rest in the summary, and fails naming the count', async () => {
    const { deps, io } = setup({}, { failing: 12 })
    await run(deps)
    const errors = io.annotations.filter((a) => a.level === 'error')
    expect(errors).toHaveLength(10)
    expect(errors[0]).toMatchObject({
      message: 'AssertionError: f0\n\nboom',
      props: { file: 'backend/notes/tests.py', startLine: 20 },
    })
    expect(io.summary).toContain('#### Failed tests (12)')
    expect(io.summary).toContain('the other 2 are listed here only')
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
    expect(io.failures).toEqual(['Coverage 85.0% is below the threshold of 90% by 5 points'])
    expect(io.outputs.coverage).toBe('85.0')
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
    expect(io.outputs['cache-save']).toBe(save ? 'true' : undefined)
  })

  it('asks for no save when the installer downloaded nothing', async () => {
    const { deps, io } = setup({}, {}, { env: { PATH: '/usr/bin', ...restored('', 'k1') } })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(io.lines).toContain('Dependency cache not saved: the installer downloaded nothing')
    expect(io.outputs['cache-save']).toBeUndefined()
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
      expect(io.outputs['cache-save']).toBeUndefined()
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

  it('runs Django in parallel under coverage with a generated multiprocessing config, then combines', async () => {
    const { deps, io, calls, fs } = setup({ parallel: '3' })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(argsOf(calls).filter((a) => a.startsWith('-m coverage'))).toEqual([
      '-m coverage run --rcfile=/reports/coveragerc manage.py test --noinput --testrunner devops_django_junit.JUnitTestRunner --parallel 3',
      '-m coverage combine',
      '-m coverage xml -o /reports/coverage.xml',
    ])
    expect(fs.files.get('/reports/coveragerc')).toContain('concurrency = multiprocessing')
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
    expect(argsOf(calls)).toContain('-m pytest --junitxml=/reports/junit.xml -o junit_family=xunit1')
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
