// The action's overhead over doing the same work by hand on the fixture app, with Debian's
// python3 and the e2e PostgreSQL: `manage.py check`, `makemigrations --check --dry-run`,
// `coverage run manage.py test`, `coverage xml`, against one run of the action doing all that
// plus finding the project, probing the interpreter, waiting for the database and reporting:
// as users run it (the composite from action.yml on the model runner: its plan step, then the
// main step; setup-python and the cache steps are skipped with `python` and `install: none`),
// and the bundle alone. Runs alternate so machine noise hits all alike; medians are compared.
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
/** The fixture app, found upwards from this module (run from scripts/bench or compiled elsewhere). */
function fixtureDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const fixture = join(dir, 'test', 'fixtures', 'django-app')
    if (existsSync(fixture)) return fixture
    if (dirname(dir) === dir) throw new Error('test/fixtures/django-app not found above the bench module')
  }
}

function byHand(app: string, reports: string): number {
  const env = { ...process.env, DATABASE_URL, COVERAGE_FILE: join(reports, '.coverage') }
  const run = (args: string[]) => execFileSync(PYTHON, args, { cwd: app, env, stdio: 'pipe' })
  const started = performance.now()
  run(['manage.py', 'check'])
  run(['manage.py', 'makemigrations', '--check', '--dry-run'])
  run(['-m', 'coverage', 'run', '--source=.', 'manage.py', 'test', '--noinput'])
  run(['-m', 'coverage', 'xml', '-o', join(reports, 'coverage.xml')])
  return performance.now() - started
}

async function withAction(workspace: string, composite: boolean): Promise<number> {
  const inputs = { python: PYTHON, install: 'none', 'database-url': DATABASE_URL }
  const result = await (composite ? runStep : runAction)('setup-django-test', inputs, { cwd: workspace })
  if (result.exitCode !== 0) throw new Error(`setup-django-test failed: ${result.errors.join('; ')}`)
  return result.durationMs
}

export default async function bench() {
  const workspace = mkdtempSync(join(tmpdir(), 'bench-django-'))
  const app = join(workspace, 'app')
  const manual: number[] = []
  const action: number[] = []
  const bundle: number[] = []
  try {
    cpSync(fixtureDir(), app, { recursive: true })
    try {
      byHand(app, workspace)
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
    for (let i = 0; i < RUNS; i++) {
      manual.push(byHand(app, workspace))
      action.push(await withAction(workspace, true))
      bundle.push(await withAction(workspace, false))
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true })
  }
  const overhead = median(action) - median(manual)
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  return [
    { metric: `the same work by hand (median of ${RUNS})`, value: seconds(median(manual)) },
    {
      metric: `setup-django-test from action.yml, install: none (median of ${RUNS})`,
      value: seconds(median(action)),
    },
    { metric: `the bundle alone, same inputs (median of ${RUNS})`, value: seconds(median(bundle)) },
    {
      metric: 'overhead of the action',
      value: `${seconds(overhead)} ${overhead <= 1000 ? '✓' : '✗'}`,
      target: '≤ 1.0 s',
    },
    {
      metric: 'of which the composite (plan step, runner model)',
      value: seconds(median(action) - median(bundle)),
    },
  ]
}
