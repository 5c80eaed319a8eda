import {
  appsMissingMigrations,
  coverageRunArgs,
  coverageXmlArgs,
  djangoTestArgs,
  gateArgs,
  pytestArgs,
} from '../../../src/setup-django-test/commands.js'

const RUNNER = ['--testrunner', 'devops_django_junit.JUnitTestRunner']
const PLUGIN = ['-p', 'devops_pytest']

describe('argv builders', () => {
  it.each([
    ['check', ['manage.py', 'check']],
    ['migrations', ['manage.py', 'makemigrations', '--check', '--dry-run']],
    ['deploy', ['manage.py', 'check', '--deploy', '--fail-level', 'WARNING']],
  ] as const)('gate %s', (gate, expected) => {
    expect(gateArgs(gate)).toEqual(expected)
  })

  it.each([
    [false, [], ['manage.py', 'test', '--noinput', ...RUNNER]],
    ['auto', [], ['manage.py', 'test', '--noinput', ...RUNNER, '--parallel']],
    [
      4,
      ['notes', '--tag', 'fast'],
      ['manage.py', 'test', '--noinput', ...RUNNER, '--parallel', '4', 'notes', '--tag', 'fast'],
    ],
  ] as const)('manage.py test with parallel=%s', (parallel, args, expected) => {
    expect(djangoTestArgs(parallel, args)).toEqual(expected)
  })

  it.each([
    [false, true, [], ['-m', 'pytest', ...PLUGIN, '--junitxml=/r/junit.xml', '-o', 'junit_family=xunit1']],
    [
      'auto',
      true,
      [],
      ['-m', 'pytest', ...PLUGIN, '--junitxml=/r/junit.xml', '-o', 'junit_family=xunit1', '-n', 'auto'],
    ],
    [
      3,
      true,
      ['-k', 'slow'],
      [
        '-m',
        'pytest',
        ...PLUGIN,
        '--junitxml=/r/junit.xml',
        '-o',
        'junit_family=xunit1',
        '-n',
        '3',
        '-k',
        'slow',
      ],
    ],
    [3, false, [], ['-m', 'pytest', ...PLUGIN, '--junitxml=/r/junit.xml', '-o', 'junit_family=xunit1']],
  ] as const)('pytest with parallel=%s xdist=%s', (parallel, xdist, args, expected) => {
    expect(pytestArgs(parallel, xdist, '/r/junit.xml', args)).toEqual(expected)
  })

  it.each([
    [{ parallel: false, source: '.' }, ['-m', 'coverage', 'run', '--source=.', 'manage.py', 'test']],
    [{ parallel: false }, ['-m', 'coverage', 'run', 'manage.py', 'test']],
    [
      { parallel: true, source: '.' },
      ['-m', 'coverage', 'run', '--parallel-mode', '--source=.', 'manage.py', 'test'],
    ],
    [{ parallel: true }, ['-m', 'coverage', 'run', '--parallel-mode', 'manage.py', 'test']],
  ])('coverage run %j', (options, expected) => {
    expect(coverageRunArgs(['manage.py', 'test'], options)).toEqual(expected)
  })

  it('coverage xml writes where asked', () => {
    expect(coverageXmlArgs('/r/coverage.xml')).toEqual(['-m', 'coverage', 'xml', '-o', '/r/coverage.xml'])
  })
})

describe('appsMissingMigrations', () => {
  it('lists each app once', () => {
    const output = [
      "Migrations for 'notes':",
      '  notes/migrations/0002_note_pinned.py',
      '    - Add field pinned to note',
      "Migrations for 'shop':",
      '  shop/migrations/0003_auto.py',
      "Migrations for 'notes':",
    ].join('\n')
    expect(appsMissingMigrations(output)).toEqual(['notes', 'shop'])
    expect(appsMissingMigrations('No changes detected')).toEqual([])
  })
})
