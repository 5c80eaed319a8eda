import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ConfigurationError } from '../../../src/lib/errors.js'
import {
  parseSetupDjangoTestOptions,
  planOutputs,
  planSetupDjangoTest,
  runSetupDjangoTest,
  setupDjangoTestOutputs,
  type SetupDjangoTestResult,
} from '../../../src/setup-django-test/api.js'
import { inputsOf } from '../../helpers/io.js'
import { repoRoot } from '../../helpers/run-action.js'
import { memoryFs } from './memory-fs.js'
import { noExec, setup } from './world.js'

// The action's public face, as another action (or main.ts) uses it: typed options in, a typed
// result out, and the outputs made from it in one place.

const context = (files: Record<string, string> = { 'backend/manage.py': '' }) => ({
  env: {},
  fs: memoryFs(files),
  workspace: '/repo',
})

describe('parseSetupDjangoTestOptions', () => {
  it('decides the project from its files, with the inputs, before anything runs', () => {
    const options = parseSetupDjangoTestOptions(
      inputsOf({ 'settings-module': 'mysite.settings', 'python-version': '3.11' }),
      context({ 'backend/manage.py': '', 'backend/requirements.txt': 'Django\n' }),
    )
    expect(options.project).toMatchObject({
      dir: '/repo/backend',
      prefix: 'backend',
      settings: { module: 'mysite.settings', source: 'input' },
      dependencies: { manager: 'pip', files: ['requirements.txt'] },
    })
    expect(options.pythonRequest).toMatchObject({ setupPython: true, version: '3.11' })
    expect(options.dependencyCache).toEqual({ note: 'cache off', hit: false, save: false })
  })

  // deploy-style composition: the user wrote the composing action's names, so errors use them.
  it.each([
    [{ 'django-dir': 'api' }, "Input 'django-dir' is 'api', but there is no manage.py in it"],
    [{ 'django-checks': 'lint' }, "Input 'django-checks' must list check, migrations and/or deploy"],
    [{ 'django-min-tests': 'x' }, "Input 'django-min-tests' must be a whole number, 0 or more (got 'x')"],
    [{ 'django-database-url': 'db:1' }, "Input 'django-database-url' must be a postgres://"],
    [{ 'django-settings': '1x' }, "Input 'django-settings' must be a dotted Python module path"],
    [
      { 'django-requirements': 'nope.txt' },
      "Input 'django-requirements' names 'nope.txt', which does not exist",
    ],
  ])('names the inputs as a composing action calls them: %j', (values, message) => {
    const names = {
      'working-directory': 'django-dir',
      checks: 'django-checks',
      'min-tests': 'django-min-tests',
      'database-url': 'django-database-url',
      'settings-module': 'django-settings',
      requirements: 'django-requirements',
    }
    const parseIt = () => parseSetupDjangoTestOptions(inputsOf(values), context(), names)
    expect(parseIt).toThrow(ConfigurationError)
    expect(parseIt).toThrow(message)
  })

  it('says which input to set when manage.py is nowhere, under the composing name', () => {
    expect(() =>
      parseSetupDjangoTestOptions(inputsOf({}), context({ 'README.md': '' }), {
        'working-directory': 'django-dir',
      }),
    ).toThrow(/set 'django-dir' to the folder holding manage.py$/)
  })
})

describe('runSetupDjangoTest', () => {
  const runIt = async (inputs: Record<string, string>, scenario = {}, env = {}) => {
    const world = setup(inputs, scenario, { env: { PATH: '/usr/bin', ...env } })
    const options = parseSetupDjangoTestOptions(world.deps.getInput, world.deps)
    const result = await runSetupDjangoTest(world.deps, options)
    return { ...world, result }
  }

  it('returns what it found, typed, and leaves outputs, summary and verdict to the caller', async () => {
    const { result, io } = await runIt({}, { failing: 2 })
    expect(result).toMatchObject<Partial<SetupDjangoTestResult>>({
      tests: 4,
      passed: 2,
      failures: 2,
      errors: 0,
      skipped: 0,
      durationSeconds: 1.25,
      coverage: { percent: 85, display: '85' },
      junitReport: '/reports/junit.xml',
      coverageReport: '/reports/coverage.xml',
      cacheHit: false,
      cacheSave: false,
      failure: '2 of 4 tests failed',
    })
    expect(result.annotations.map((a) => a.props)).toEqual([
      expect.objectContaining({ file: 'backend/notes/tests.py', startLine: 20 }),
      expect.objectContaining({ file: 'backend/notes/tests.py', startLine: 21 }),
    ])
    expect(result.summary).toContain('#### Failed tests (2)')
    expect(io.outputs).toEqual({})
    expect(io.summary).toBe('')
    expect(io.failures).toEqual([])
    expect(io.annotations.filter((a) => a.level === 'error')).toEqual([])
  })

  it('returns a phase that stopped the run as its failure, with a summary of how far it got', async () => {
    const { result } = await runIt({}, { installFails: true })
    expect(result.failure).toMatch(/^Dependency installation failed \(pip install, exit code 1\)/)
    expect(result).toMatchObject({ tests: 0, junitReport: undefined, coverage: undefined, annotations: [] })
    expect(result.summary).toContain('| Python | ✅ |')
    expect(result.summary).toMatch(/\| Install \| ❌ \| Dependency installation failed/)
  })

  it('still has the cache saved when the run stops after a successful install', async () => {
    const cache = {
      SETUP_DJANGO_TEST_CACHE_HIT: '',
      SETUP_DJANGO_TEST_CACHE_KEY: 'k1',
      SETUP_DJANGO_TEST_CACHE_MATCHED_KEY: '',
    }
    const world = setup(
      {},
      { modules: { django: null }, files: { 'cache/pip/pip/http/wheel': 'bytes' } },
      { env: { PATH: '/usr/bin', ...cache }, cacheRoot: '/repo/cache' },
    )
    const result = await runSetupDjangoTest(
      world.deps,
      parseSetupDjangoTestOptions(world.deps.getInput, world.deps),
    )
    expect(result.failure).toMatch(/^Django is not installed for /)
    expect(result.cacheSave).toBe(true)
    expect(setupDjangoTestOutputs(result)['cache-save']).toBe('true')
  })

  it('exports the database-url input to later steps, not a DATABASE_URL they already have', async () => {
    const given = await runIt({ 'database-url': 'sqlite:///db.sqlite3' })
    expect(given.exported).toEqual({ DATABASE_URL: 'sqlite:///db.sqlite3' })
    const inherited = await runIt({}, {}, { DATABASE_URL: 'sqlite:///db.sqlite3' })
    expect(inherited.exported).toEqual({})
    const test = inherited.calls.find((c) => c.args.includes('test'))
    expect(test?.options?.env?.DATABASE_URL).toBe('sqlite:///db.sqlite3')
  })
})

describe('the outputs, against action.yml', () => {
  const yml = readFileSync(join(repoRoot(), 'actions', 'setup-django-test', 'action.yml'), 'utf8')
  const read = (step: string) =>
    new Set([...yml.matchAll(new RegExp(`steps\\.${step}\\.outputs\\.([a-z0-9-]+)`, 'g'))].map((m) => m[1]))
  const result: SetupDjangoTestResult = {
    tests: 3,
    passed: 2,
    failures: 1,
    errors: 0,
    skipped: 0,
    durationSeconds: 2.5,
    cacheHit: false,
    cacheSave: false,
    coverageSave: false,
    summary: '',
    annotations: [],
  }

  it('the main step sets exactly what action.yml reads from it', () => {
    expect(new Set(Object.keys(setupDjangoTestOutputs(result)))).toEqual(read('run'))
    // The action's outputs map those of the main step, except cache-hit (the restore step's).
    const declared = Object.keys((parse(yml) as { outputs: Record<string, unknown> }).outputs)
    expect(declared.filter((name) => !read('run').has(name))).toEqual(['cache-hit'])
  })

  it('writes counts as numbers, the duration in seconds with milliseconds, and empty for what is not there', () => {
    expect(setupDjangoTestOutputs(result)).toEqual({
      tests: '3',
      passed: '2',
      failures: '1',
      errors: '0',
      skipped: '0',
      duration: '2.500',
      coverage: '',
      'junit-report': '',
      'coverage-report': '',
      'cache-save': 'false',
      'changed-lines-coverage': '',
      'comment-url': '',
      'comment-file': '',
      'coverage-save': 'false',
    })
  })

  it('the plan step sets exactly what the later steps read from it', async () => {
    const world = setup({ 'python-version': '3.12' }, {}, { exec: noExec, phase: 'plan' })
    const options = parseSetupDjangoTestOptions(world.deps.getInput, world.deps)
    const outputs = planOutputs(await planSetupDjangoTest(world.deps, options))
    expect(new Set(Object.keys(outputs))).toEqual(read('plan'))
    expect(outputs).toMatchObject({ 'setup-python': 'true', 'python-version': '3.12', installer: 'pip' })
  })
})
