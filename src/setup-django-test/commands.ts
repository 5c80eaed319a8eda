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

/**
 * pytest with a JUnit report in the xunit1 family, the one that records each test's file and
 * line. `-n` only when pytest-xdist is installed: without it pytest would reject the option.
 */
export function pytestArgs(
  parallel: Parallel,
  xdist: boolean,
  junitPath: string,
  testArgs: readonly string[],
): string[] {
  const workers = parallel === false || !xdist ? [] : ['-n', parallel === 'auto' ? 'auto' : String(parallel)]
  return ['-m', 'pytest', `--junitxml=${junitPath}`, '-o', 'junit_family=xunit1', ...workers, ...testArgs]
}

/**
 * Wraps a test command (interpreter arguments, e.g. `manage.py test` or `-m pytest`) in
 * `coverage run`. Without a coverage config of the project's own, only the project's folder is
 * measured. coverage.py accepts multiprocessing options only from a config file, so a parallel
 * run without the project's own config gets `rcfile` (see `parallelCoverageConfig`); each
 * process writes its own data file, combined afterwards.
 */
export function coverageRunArgs(
  testArgs: readonly string[],
  options: { configured: boolean; parallel: boolean; rcfile: string },
): string[] {
  const own = options.configured ? [] : options.parallel ? [`--rcfile=${options.rcfile}`] : ['--source=.']
  return ['-m', 'coverage', 'run', ...own, ...testArgs]
}

/** The coverage.py config for a parallel run of a project without its own. */
export function parallelCoverageConfig(projectDir: string): string {
  return ['[run]', `source = ${projectDir}`, 'parallel = True', 'concurrency = multiprocessing', ''].join(
    '\n',
  )
}

export function coverageXmlArgs(outputPath: string): string[] {
  return ['-m', 'coverage', 'xml', '-o', outputPath]
}

/** App labels from `makemigrations --check --dry-run` output: `Migrations for 'notes':`. */
export function appsMissingMigrations(output: string): string[] {
  return [...new Set([...output.matchAll(/^Migrations for '([^']+)':/gm)].map((m) => m[1] as string))]
}
