// smoke-test against the real fixture Django app, served by Debian's Django on a real PostgreSQL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { DEBIAN_PYTHON, E2E_DATABASE_URL, requireDjango, requirePostgres } from '../helpers/prerequisites.js'
import { repoRoot, runAction } from '../helpers/run-action.js'
import { freePort } from '../helpers/servers.js'

const app = join(repoRoot(), 'test', 'fixtures', 'django-app')
const env = { ...process.env, DATABASE_URL: E2E_DATABASE_URL, PYTHONDONTWRITEBYTECODE: '1' }
let server: ChildProcess | undefined
let port = 0

beforeAll(async () => {
  requireDjango()
  await requirePostgres()
  const migrate = spawnSync(DEBIAN_PYTHON, ['manage.py', 'migrate', '--noinput'], {
    cwd: app,
    env,
    encoding: 'utf8',
  })
  if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stderr}`)
  port = await freePort()
  // Started without waiting for it: smoke-test's retries are what wait for Django to come up.
  server = spawn(DEBIAN_PYTHON, ['manage.py', 'runserver', `127.0.0.1:${port}`, '--noreload'], {
    cwd: app,
    env,
    stdio: 'ignore',
  })
})

afterAll(() => {
  server?.kill('SIGTERM')
})

test('checks a freshly started Django app: health with the database, JSON and a 404', async () => {
  const result = await runAction('smoke-test', {
    'base-url': `http://127.0.0.1:${port}`,
    checks: [
      '- name: health',
      '  url: /health/',
      '  expect-json: { "status": "ok", "db.ok": true }',
      '- name: notes list',
      '  url: /notes/',
      '  expect-json: { "count": 0 }',
      '- name: unknown page',
      '  url: /nope/',
      '  expect-status: 404',
    ].join('\n'),
    timeout: '30s',
    'retry-interval': '300ms',
  })
  expect(result.errors).toEqual([])
  expect(result.exitCode).toBe(0)
  expect(result.outputs.passed).toBe('3')
  const health = (JSON.parse(result.outputs.results ?? '[]') as { name: string; status: number }[]).find(
    (r) => r.name === 'health',
  )
  expect(health?.status).toBe(200)
})

test('a check that expects the wrong state fails with what Django answered', async () => {
  const result = await runAction('smoke-test', {
    url: `http://127.0.0.1:${port}/health/`,
    'expect-body': '"status": "degraded"',
    timeout: '2s',
    'retry-interval': '300ms',
  })
  expect(result.exitCode).toBe(1)
  expect(result.errors[0]).toMatch(
    /expected body to match \/"status": "degraded"\/, got body '\{"status": "ok", "db": \{"ok": true\}/,
  )
})
