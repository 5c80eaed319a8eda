// The local pipeline: the fixture Django app is migrated and served by Debian's Django on the
// local PostgreSQL, then each available action's committed bundle runs against it as the runner
// would run it (INPUT_* environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files).
import { startFixtureApp } from '../../test/helpers/django-app.js'
import { E2E_DATABASE_URL, requireDjango, requirePostgres } from '../../test/helpers/prerequisites.js'
import { runAction, type ActionRun } from '../../test/helpers/run-action.js'

function preflight(): string[] {
  const missing: string[] = []
  try {
    requireDjango()
  } catch (error) {
    missing.push((error as Error).message)
  }
  return missing
}

function report(phase: string, run: ActionRun): void {
  console.log(`\n── ${phase}: exit ${run.exitCode} in ${run.durationMs} ms`)
  console.log(run.stdout.trimEnd())
  console.log('\nOutputs:', JSON.stringify(run.outputs, null, 2))
  console.log('\nJob summary:\n' + run.summary)
}

export async function main(): Promise<number> {
  const missing = preflight()
  try {
    await requirePostgres()
  } catch (error) {
    missing.push((error as Error).message)
  }
  if (missing.length > 0) {
    console.error(
      'The demo needs a few things this machine does not have yet:\n' +
        missing.map((m) => `  - ${m}`).join('\n'),
    )
    return 1
  }
  const app = await startFixtureApp()
  console.log(
    `Serving the fixture Django app on ${app.url} (PostgreSQL at ${new URL(E2E_DATABASE_URL).host})`,
  )
  try {
    const smoke = await runAction('smoke-test', {
      'base-url': app.url,
      checks: [
        '- name: health',
        '  url: /health/',
        '  expect-json: { "status": "ok", "db.ok": true }',
        '  max-latency: 2s',
        '- name: notes API',
        '  url: /notes/',
        '  expect-status: 200',
      ].join('\n'),
      timeout: '30s',
    })
    report('smoke-test', smoke)
    return smoke.exitCode
  } finally {
    app.stop()
  }
}
