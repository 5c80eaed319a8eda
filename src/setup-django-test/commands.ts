/** The module shipped in dist/setup-django-test/python/, put on PYTHONPATH for the test run. */
export const JUNIT_RUNNER = 'devops_django_junit.JUnitTestRunner'
/** The environment variable the runner reads the report path from. */
export const JUNIT_ENV = 'DJANGO_JUNIT_XML'

/** `false`: no parallelism; `auto`: one worker per CPU; a number: that many workers. */
export type Parallel = false | 'auto' | number

export type Gate = 'check' | 'migrations' | 'deploy'

/** The interpreter arguments of each gate from the `checks` input. */
export function gateArgs(gate: Gate): string[] {
  switch (gate) {
    case 'check':
      return ['manage.py', 'check']
    case 'migrations':
      return ['manage.py', 'makemigrations', '--check', '--dry-run']
    case 'deploy':
      return ['manage.py', 'check', '--deploy', '--fail-level', 'WARNING']
  }
}

/** `manage.py test` through the shipped JUnit runner; `--parallel` with no number means one per CPU. */
export function djangoTestArgs(parallel: Parallel, testArgs: readonly string[]): string[] {
  const workers =
    parallel === false ? [] : parallel === 'auto' ? ['--parallel'] : ['--parallel', String(parallel)]
  return ['manage.py', 'test', '--noinput', '--testrunner', JUNIT_RUNNER, ...workers, ...testArgs]
}

/** The pytest plugin shipped beside the JUnit runner (python/devops_pytest.py). */
export const PYTEST_PLUGIN = 'devops_pytest'

/**
 * pytest with a JUnit report in the xunit1 family, the one that records each test's file and
 * line, and the shipped plugin (coverage in xdist workers, pytest's rootdir for the report's
 * paths). `-n` only when pytest-xdist is installed: without it pytest would reject the option.
 */
export function pytestArgs(
  parallel: Parallel,
  xdist: boolean,
  junitPath: string,
  testArgs: readonly string[],
): string[] {
  const workers = parallel === false || !xdist ? [] : ['-n', parallel === 'auto' ? 'auto' : String(parallel)]
  return [
    '-m',
    'pytest',
    '-p',
    PYTEST_PLUGIN,
    `--junitxml=${junitPath}`,
    '-o',
    'junit_family=xunit1',
    ...workers,
    ...testArgs,
  ]
}

/**
 * Wraps a test command (interpreter arguments, e.g. `manage.py test` or `-m pytest`) in
 * `coverage run`. `source` is given unless the project's coverage config says what to measure:
 * without it coverage.py measures every file it sees outside the standard library, and on a
 * system Python that is all of dist-packages. A parallel run writes one data file per process
 * (`--parallel-mode`; the workers start their own measurement, see devops_worker_coverage.py)
 * for `coverage combine`.
 */
export function coverageRunArgs(
  testArgs: readonly string[],
  options: { parallel: boolean; source?: string },
): string[] {
  return [
    '-m',
    'coverage',
    'run',
    ...(options.parallel ? ['--parallel-mode'] : []),
    ...(options.source !== undefined ? [`--source=${options.source}`] : []),
    ...testArgs,
  ]
}

export function coverageXmlArgs(outputPath: string): string[] {
  return ['-m', 'coverage', 'xml', '-o', outputPath]
}

export function coverageJsonArgs(outputPath: string): string[] {
  return ['-m', 'coverage', 'json', '-o', outputPath]
}

/** App labels from `makemigrations --check --dry-run` output: `Migrations for 'notes':`. */
export function appsMissingMigrations(output: string): string[] {
  return [...new Set([...output.matchAll(/^Migrations for '([^']+)':/gm)].map((m) => m[1] as string))]
}
