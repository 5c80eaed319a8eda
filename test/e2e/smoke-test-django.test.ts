// smoke-test against the real fixture Django app, served by Debian's Django on a real PostgreSQL.
import { startFixtureApp, type RunningApp } from '../helpers/django-app.js'
import { requireDjango, requirePostgres } from '../helpers/prerequisites.js'
import { runStep } from '../helpers/run-step.js'

let app: RunningApp | undefined

beforeAll(async () => {
  requireDjango()
  await requirePostgres()
  app = await startFixtureApp()
})

afterAll(() => app?.stop())

const base = () => app?.url ?? ''

test('checks a freshly started Django app: health with the database, JSON and a 404', async () => {
  const result = await runStep('smoke-test', {
    'base-url': base(),
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
  const result = await runStep('smoke-test', {
    url: `${base()}/health/`,
    'expect-body': '"status": "degraded"',
    timeout: '2s',
    'retry-interval': '300ms',
  })
  expect(result.exitCode).toBe(1)
  expect(result.errors[0]).toMatch(
    /expected body to match \/"status": "degraded"\/, got body '\{"status": "ok", "db": \{"ok": true\}/,
  )
})
