import { ConfigurationError } from '../../../src/lib/errors.js'
import { parseInputs } from '../../../src/setup-django-test/inputs.js'
import { inputsOf } from '../../helpers/io.js'

describe('parseInputs', () => {
  it('has the documented defaults', () => {
    expect(parseInputs(inputsOf({}))).toEqual({
      pythonVersion: undefined,
      python: undefined,
      workingDirectory: undefined,
      settingsModule: undefined,
      install: 'auto',
      requirements: [],
      cache: true,
      databaseUrl: undefined,
      exportDatabaseUrl: false,
      services: [],
      servicesTimeoutMs: 60_000,
      checks: ['check', 'migrations'],
      testRunner: 'auto',
      testArgs: [],
      parallel: false,
      coverage: true,
      coverageThreshold: 0,
      minTests: 1,
      annotate: true,
    })
  })

  it('reads every input', () => {
    const inputs = parseInputs(
      inputsOf({
        'python-version': '3.12',
        python: '/usr/bin/python3',
        'working-directory': 'backend',
        'settings-module': 'mysite.settings.ci',
        install: 'Poetry',
        requirements: 'a.txt\nb.txt',
        cache: 'false',
        'database-url': 'postgres://u:p@db/app',
        'services-timeout': '2m',
        checks: 'deploy, check',
        'test-runner': 'pytest',
        'test-args': '-k "not slow"',
        parallel: '4',
        coverage: 'true',
        'coverage-threshold': '85.5',
        'min-tests': '0',
        annotate: 'false',
      }),
      { REDIS_URL: 'redis://cache' },
    )
    expect(inputs).toMatchObject({
      pythonVersion: '3.12',
      install: 'poetry',
      requirements: ['a.txt', 'b.txt'],
      cache: false,
      databaseUrl: 'postgres://u:p@db/app',
      exportDatabaseUrl: true,
      servicesTimeoutMs: 120_000,
      checks: ['check', 'deploy'],
      testRunner: 'pytest',
      testArgs: ['-k', 'not slow'],
      parallel: 4,
      coverage: true,
      coverageThreshold: 85.5,
      minTests: 0,
      annotate: false,
    })
    expect(inputs.services.map((s) => `${s.label}:${s.source}`)).toEqual([
      'PostgreSQL:database-url',
      'Redis:REDIS_URL',
    ])
  })

  it('takes DATABASE_URL from the environment when the input is empty', () => {
    const inputs = parseInputs(inputsOf({}), { DATABASE_URL: 'sqlite:///db.sqlite3' })
    expect(inputs.databaseUrl).toBe('sqlite:///db.sqlite3')
    // Later steps have it already: only the input is exported.
    expect(inputs.exportDatabaseUrl).toBe(false)
    expect(inputs.services[0]).toMatchObject({ kind: 'sqlite', source: 'DATABASE_URL' })
  })

  it.each([
    ['none', []],
    ['true', 'auto'],
    ['1', false],
    ['false', false],
  ])('parallel/checks edge %s', (value, expected) => {
    if (value === 'none') expect(parseInputs(inputsOf({ checks: 'none' })).checks).toEqual(expected)
    else expect(parseInputs(inputsOf({ parallel: value })).parallel).toEqual(expected)
  })

  it.each([
    [
      { install: 'conda' },
      "Input 'install' must be one of auto, pip, poetry, pipenv, uv, none (got 'conda')",
    ],
    [{ 'test-runner': 'nose' }, "Input 'test-runner' must be one of auto, pytest, django (got 'nose')"],
    [
      { 'coverage-threshold': '101' },
      "Input 'coverage-threshold' must be a number from 0 to 100 (got '101')",
    ],
    [{ 'coverage-threshold': '-5' }, "Input 'coverage-threshold' must be a number from 0 to 100 (got '-5')"],
    [{ 'database-url': 'db:5432' }, "Input 'database-url' must be a postgres://, mysql:// or sqlite:// URL"],
    [
      { checks: 'check,lint' },
      "Input 'checks' must list check, migrations and/or deploy, or be none (got 'lint')",
    ],
    [{ parallel: 'many' }, "Input 'parallel' must be true, false or a number of workers (got 'many')"],
    [{ 'services-timeout': '0s' }, "Input 'services-timeout' must be a positive duration"],
    [{ coverage: 'yes' }, "Input 'coverage' must be true or false (got 'yes')"],
    [
      { coverage: 'false', 'coverage-threshold': '80' },
      "Input 'coverage-threshold' is 80, but 'coverage' is false: turn coverage on or remove the threshold",
    ],
    [{ 'min-tests': '-1' }, "Input 'min-tests' must be a whole number, 0 or more (got '-1')"],
    [{ 'min-tests': 'some' }, "Input 'min-tests' must be a whole number, 0 or more (got 'some')"],
  ])('rejects %j', (values, message) => {
    expect(() => parseInputs(inputsOf(values))).toThrow(ConfigurationError)
    expect(() => parseInputs(inputsOf(values))).toThrow(message)
  })

  it('rejects a malformed REDIS_URL from the environment', () => {
    expect(() => parseInputs(inputsOf({}), { REDIS_URL: 'cache:6379' })).toThrow(
      /^Environment variable REDIS_URL must be a redis/,
    )
  })
})
