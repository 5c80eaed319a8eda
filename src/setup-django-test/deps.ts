import { mkdtempSync } from 'node:fs'
import { homedir, platform, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportVariable } from '@actions/core'
import { githubClient } from '../lib/github/client.js'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import { netProbe, type Probe } from './probe.js'
import { nodeProjectFs, type ProjectFs } from './project-fs.js'

/**
 * The shipped Python module's folder beside the bundle (dist/setup-django-test/python/, copied
 * there by the build). Named through a variable so the bundler does not try to inline it.
 */
const PYTHON_FOLDER = ['python'].join('')

/** The suite's ports, and what only this action needs besides. */
export interface Deps extends RunnerPorts {
  /** The project's files: discovery reads them, the test phase reads the reports. */
  fs: ProjectFs
  /** One attempt to reach a database or Redis (node:net in the real one). */
  probe: Probe
  /**
   * plan: the composite's first step (validate, then say what setup-python and the cache steps
   * need); main: everything else (`node index.js plan` / `node index.js`).
   */
  phase: 'plan' | 'main'
  /** The repository checkout: where manage.py is searched and annotation paths start. */
  workspace: string
  /** A fresh folder for the JUnit and coverage reports. */
  makeReportsDir: () => string
  /** The folder holding the shipped Python test-runner module. */
  pythonModules: string
  /** Where the dependency managers' caches live (the folder the composite's cache steps keep). */
  cacheRoot: string
  /** The runner's OS (RUNNER_OS, else Node's platform): interpreter names and PYTHONPATH differ on Windows. */
  platform: { os: string }
  /** Sets a variable for the job's later steps (GITHUB_ENV). */
  exportVariable: (name: string, value: string) => void
  /** An Octokit for the pull request comment (lib/github/client.ts; it loads Octokit when called). */
  githubClient: typeof githubClient
}

/** What parsing reads besides the inputs: the environment and the project's files. */
export type ParseContext = Pick<Deps, 'env' | 'fs' | 'workspace'>

/** What the plan step (the composite's first) needs. */
export type PlanPorts = Pick<Deps, 'io' | 'exec' | 'fs' | 'workspace' | 'cacheRoot' | 'platform'>

/** What a run needs: everything but the inputs (parsed before) and the phase (main.ts chooses). */
export type SetupDjangoTestPorts = Omit<Deps, 'getInput' | 'phase' | 'http' | 'random'>

export function defaultDeps(): Deps {
  const ports = realPorts()
  const env = ports.env
  const temp = env.RUNNER_TEMP || tmpdir()
  return {
    ...ports,
    fs: nodeProjectFs,
    probe: netProbe,
    phase: process.argv[2] === 'plan' ? 'plan' : 'main',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    makeReportsDir: () => mkdtempSync(join(temp, 'setup-django-test-')),
    pythonModules: join(dirname(fileURLToPath(import.meta.url)), PYTHON_FOLDER),
    cacheRoot: join(homedir(), '.cache', 'setup-django-test'),
    platform: { os: env.RUNNER_OS || platform() },
    exportVariable: (name, value) => exportToLaterSteps(env, name, value),
    githubClient,
  }
}

/**
 * @actions/core's exportVariable (a heredoc entry in the GITHUB_ENV file), except outside a
 * runner: with no GITHUB_ENV it prints a `::set-env` command with the value in it, which would
 * put a DATABASE_URL and its password in the log (test/unit/setup-django-test/export-env.test.ts
 * shows the library doing it). There are no later steps then, so nothing is exported.
 */
function exportToLaterSteps(env: NodeJS.ProcessEnv, name: string, value: string): void {
  if (!env.GITHUB_ENV) return
  exportVariable(name, value)
}

export function isWindows(ports: Pick<Deps, 'platform'>): boolean {
  return ports.platform.os.toLowerCase().startsWith('win')
}
