// The action's overhead over doing the same work by hand on the fixture app, with Debian's
// python3 and the e2e PostgreSQL: `manage.py check`, `makemigrations --check --dry-run`,
// `coverage run --source=. manage.py test`, `coverage xml`, `coverage json`, against one run of
// the bundle doing all that plus finding the project, probing the interpreter, waiting for the
// database and reporting. Two projects: the fixture as it is, and the same with a coverage
// config that sets `branch = True` but no `source` (issue 13: on the system Python coverage.py
// then measures all of dist-packages; the action measures the project). For that one the cost
// of running coverage as configured, dist-packages and all, is shown too: what the action did
// before, and what a user gets by hand without `--source`.
// The action runs as users run it (the composite from action.yml on the model runner: its plan
// step, then the main step; setup-python and the cache steps are skipped with `python` and
// `install: none`), and as the bundle alone. Runs alternate so machine noise hits all alike;
// medians are compared.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction } from '../../test/helpers/run-action.js'
import { runStep } from '../../test/helpers/run-step.js'
import { median } from './support/stats.js'

const PYTHON = '/usr/bin/python3'
const DATABASE_URL = 'postgres://devops:devops@127.0.0.1:5432/devops'
const RUNS = 5

/** test/fixtures, found upwards from this module (run from scripts/bench or compiled elsewhere). */
function fixturesDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const fixtures = join(dir, 'test', 'fixtures')
    if (existsSync(join(fixtures, 'django-app'))) return fixtures
    if (dirname(dir) === dir) throw new Error('test/fixtures/django-app not found above the bench module')
  }
}

function byHand(app: string, reports: string, coverageRun: string[] = ['--source=.']): number {
  const env = { ...process.env, DATABASE_URL, COVERAGE_FILE: join(reports, '.coverage') }
  const run = (args: string[]) => execFileSync(PYTHON, args, { cwd: app, env, stdio: 'pipe' })
  const started = performance.now()
  run(['manage.py', 'check'])
  run(['manage.py', 'makemigrations', '--check', '--dry-run'])
  run(['-m', 'coverage', 'run', ...coverageRun, 'manage.py', 'test', '--noinput'])
  run(['-m', 'coverage', 'xml', '-o', join(reports, 'coverage.xml')])
  run(['-m', 'coverage', 'json', '-o', join(reports, 'coverage.json')])
  return performance.now() - started
}

async function withAction(workspace: string, composite: boolean): Promise<number> {
  const inputs = { python: PYTHON, install: 'none', 'database-url': DATABASE_URL }
  const result = await (composite ? runStep : runAction)('setup-django-test', inputs, { cwd: workspace })
  if (result.exitCode !== 0) throw new Error(`setup-django-test failed: ${result.errors.join('; ')}`)
  return result.durationMs
}

interface Row {
  metric: string
  value: string
  target?: string
}

async function scenario(label: string, overlays: string[], asConfigured: boolean): Promise<Row[]> {
  const workspace = mkdtempSync(join(tmpdir(), 'bench-django-'))
  const app = join(workspace, 'app')
  const manual: number[] = []
  const action: number[] = []
  let configured: number | undefined
  const bundle: number[] = []
  try {
    const fixtures = fixturesDir()
    cpSync(join(fixtures, 'django-app'), app, { recursive: true })
    for (const overlay of overlays) cpSync(join(fixtures, 'django-shapes', overlay), app, { recursive: true })
    byHand(app, workspace)
    for (let i = 0; i < RUNS; i++) {
      manual.push(byHand(app, workspace))
      action.push(await withAction(workspace, true))
      bundle.push(await withAction(workspace, false))
    }
    if (asConfigured) configured = byHand(app, workspace, [])
  } finally {
    rmSync(workspace, { recursive: true, force: true })
  }
  const overhead = median(action) - median(manual)
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  return [
    { metric: `${label}: the same work by hand (median of ${RUNS})`, value: seconds(median(manual)) },
    {
      metric: `${label}: setup-django-test from action.yml, install: none (median of ${RUNS})`,
      value: seconds(median(action)),
    },
    { metric: `${label}: the bundle alone, same inputs (median of ${RUNS})`, value: seconds(median(bundle)) },
    {
      metric: `${label}: overhead of the action`,
      value: `${seconds(overhead)} ${overhead <= 1000 ? '✓' : '✗'}`,
      target: '≤ 1.0 s',
    },
    {
      metric: `${label}: of which the composite (plan step, runner model)`,
      value: seconds(median(action) - median(bundle)),
    },
    ...(configured === undefined
      ? []
      : [
          {
            metric: `${label}: by hand with coverage as configured (no --source: dist-packages measured; the action before issue 13)`,
            value: seconds(configured),
          },
        ]),
  ]
}

export default async function bench(): Promise<Row[]> {
  try {
    return [
      ...(await scenario('fixture app', [], false)),
      ...(await scenario(
        'system Python, coverage config without source, branch = True',
        ['branch-coverage'],
        true,
      )),
    ]
  } catch (error) {
    // Without Debian's Django or the e2e PostgreSQL there is nothing to compare; say why.
    const reason = String((error as { stderr?: Buffer }).stderr ?? error)
      .trim()
      .split('\n')
      .pop()
    return [
      {
        metric: 'overhead of the action',
        value: `not measured (run bash scripts/e2e/setup.sh): ${reason}`,
        target: '≤ 1.0 s',
      },
    ]
  }
}
