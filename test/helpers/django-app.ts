import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { DEBIAN_PYTHON, E2E_DATABASE_URL } from './prerequisites.js'
import { repoRoot } from './run-action.js'
import { freePort } from './servers.js'

export const FIXTURE_APP = join(repoRoot(), 'test', 'fixtures', 'django-app')

export interface RunningApp {
  url: string
  stop(): void
}

/**
 * Migrates the fixture Django app and starts Django's server on a free port, without waiting for
 * it to answer: callers that need it up use smoke-test's retries, as a pipeline would.
 */
export async function startFixtureApp(databaseUrl = E2E_DATABASE_URL): Promise<RunningApp> {
  const env = { ...process.env, DATABASE_URL: databaseUrl, PYTHONDONTWRITEBYTECODE: '1' }
  const migrate = spawnSync(DEBIAN_PYTHON, ['manage.py', 'migrate', '--noinput'], {
    cwd: FIXTURE_APP,
    env,
    encoding: 'utf8',
  })
  if (migrate.status !== 0) throw new Error(`manage.py migrate failed:\n${migrate.stderr}`)
  const port = await freePort()
  const server = spawn(DEBIAN_PYTHON, ['manage.py', 'runserver', `127.0.0.1:${port}`, '--noreload'], {
    cwd: FIXTURE_APP,
    env,
    stdio: 'ignore',
  })
  return { url: `http://127.0.0.1:${port}`, stop: () => void server.kill('SIGTERM') }
}
