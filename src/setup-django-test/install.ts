import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Dependencies, Manager } from './dependencies.js'

/** One command of an install: run with the interpreter's `-m` unless `command` says otherwise. */
export interface InstallStep {
  args: string[]
  env: Record<string, string>
}

export interface InstallPlan {
  manager: Manager
  /** A Python module the manager runs as (`python -m poetry`); installed with pip when missing. */
  tool?: string
  steps: InstallStep[]
  /** The cache folder the manager is pointed at (and that the Actions cache saves). */
  cacheDir: string
}

const QUIET = { PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' }

/** What a manager's commands are built from. */
interface PlanContext {
  deps: Dependencies & { manager: Manager }
  python: string
  cacheDir: string
  tempDir: string
  /** pip's own settings, also for the managers that run pip underneath (poetry, pipenv). */
  pipEnv: Record<string, string>
}

type StepsBuilder = (ctx: PlanContext) => Pick<InstallPlan, 'tool' | 'steps'>

/** pip: every requirement file in one `pip install`. */
const pipSteps: StepsBuilder = ({ deps, pipEnv }) => ({
  steps: [{ args: ['-m', 'pip', 'install', ...deps.files.flatMap((file) => ['-r', file])], env: pipEnv }],
})

/** Poetry into the interpreter itself (no virtualenv of its own), without the project package. */
const poetrySteps: StepsBuilder = ({ cacheDir, pipEnv }) => ({
  tool: 'poetry',
  steps: [
    {
      args: ['-m', 'poetry', 'install', '--no-interaction', '--no-root'],
      env: { ...pipEnv, POETRY_VIRTUALENVS_CREATE: 'false', POETRY_CACHE_DIR: join(cacheDir, 'poetry') },
    },
  ],
})

/** Pipenv into the system interpreter, dev packages included; `--deploy` holds it to the lock file. */
const pipenvSteps: StepsBuilder = ({ deps, cacheDir, pipEnv }) => ({
  tool: 'pipenv',
  steps: [
    {
      args: [
        ...['-m', 'pipenv', 'install', '--system', '--dev'],
        ...(deps.files.includes('Pipfile.lock') ? ['--deploy'] : []),
      ],
      env: { ...pipEnv, PIPENV_CACHE_DIR: join(cacheDir, 'pipenv'), PIPENV_NOSPIN: '1', PIPENV_YES: '1' },
    },
  ],
})

/**
 * uv: a locked project's lock exported to a requirements file and installed from it (into this
 * interpreter, not a project virtualenv); without a lock, pyproject.toml's dependencies.
 */
const uvSteps: StepsBuilder = ({ deps, python, cacheDir, tempDir }) => {
  const env = { UV_CACHE_DIR: join(cacheDir, 'uv'), UV_NO_PROGRESS: '1' }
  const install = ['-m', 'uv', 'pip', 'install', '--python', python]
  if (!deps.files.includes('uv.lock'))
    return { tool: 'uv', steps: [{ args: [...install, '-r', 'pyproject.toml', '--all-extras'], env }] }
  const exported = join(tempDir, 'uv-requirements.txt')
  const exportArgs = ['--frozen', '--no-hashes', '--no-emit-project', '--format', 'requirements-txt']
  return {
    tool: 'uv',
    steps: [
      { args: ['-m', 'uv', 'export', ...exportArgs, '-o', exported], env },
      { args: [...install, '-r', exported], env },
    ],
  }
}

const STEPS: Record<Manager, StepsBuilder> = {
  pip: pipSteps,
  poetry: poetrySteps,
  pipenv: pipenvSteps,
  uv: uvSteps,
}

/**
 * The commands that install the project's dependencies into the chosen interpreter, each as
 * `python -m ...` so the manager works on that interpreter and not on whatever is first on PATH.
 * Every manager is pointed at one cache folder (`cacheRoot/<manager>`) so one cache entry holds it.
 */
export function installPlan(
  deps: Dependencies & { manager: Manager },
  python: string,
  cacheRoot: string,
  tempDir: string,
): InstallPlan {
  const cacheDir = cacheFolder(cacheRoot, deps.manager)
  const pipEnv = { ...QUIET, PIP_CACHE_DIR: join(cacheDir, 'pip') }
  const built = STEPS[deps.manager]({ deps, python, cacheDir, tempDir, pipEnv })
  return { manager: deps.manager, cacheDir, ...built }
}

/**
 * The part of the dependency cache key that changes with what gets installed: a hash of the
 * files that decide it (names and contents). The composite's key adds OS, architecture, Python
 * version and installer; its restore key drops this hash, so a changed lock file starts warm.
 */
export function lockFilesHash(files: readonly { name: string; text: string }[]): string {
  const hash = createHash('sha256')
  for (const file of files) hash.update(`${file.name}\0${file.text}\0`)
  return hash.digest('hex').slice(0, 32)
}

/** The one folder a manager's caches live in (installPlan points every cache setting there). */
export const cacheFolder = (cacheRoot: string, manager: Manager) => join(cacheRoot, manager)
