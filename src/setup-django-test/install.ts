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
  const pipCache = { ...QUIET, PIP_CACHE_DIR: join(cacheDir, 'pip') }
  switch (deps.manager) {
    case 'pip':
      return {
        manager: 'pip',
        cacheDir,
        steps: [
          { args: ['-m', 'pip', 'install', ...deps.files.flatMap((file) => ['-r', file])], env: pipCache },
        ],
      }
    case 'poetry':
      return {
        manager: 'poetry',
        tool: 'poetry',
        cacheDir,
        steps: [
          {
            args: ['-m', 'poetry', 'install', '--no-interaction', '--no-root'],
            env: {
              ...pipCache,
              POETRY_VIRTUALENVS_CREATE: 'false',
              POETRY_CACHE_DIR: join(cacheDir, 'poetry'),
            },
          },
        ],
      }
    case 'pipenv':
      return {
        manager: 'pipenv',
        tool: 'pipenv',
        cacheDir,
        steps: [
          {
            args: [
              '-m',
              'pipenv',
              'install',
              '--system',
              '--dev',
              ...(deps.files.includes('Pipfile.lock') ? ['--deploy'] : []),
            ],
            env: {
              ...pipCache,
              PIPENV_CACHE_DIR: join(cacheDir, 'pipenv'),
              PIPENV_NOSPIN: '1',
              PIPENV_YES: '1',
            },
          },
        ],
      }
    case 'uv': {
      const exported = join(tempDir, 'uv-requirements.txt')
      const env = { UV_CACHE_DIR: join(cacheDir, 'uv'), UV_NO_PROGRESS: '1' }
      const locked = deps.files.includes('uv.lock')
      return {
        manager: 'uv',
        tool: 'uv',
        cacheDir,
        steps: locked
          ? [
              {
                args: [
                  '-m',
                  'uv',
                  'export',
                  '--frozen',
                  '--no-hashes',
                  '--no-emit-project',
                  '--format',
                  'requirements-txt',
                  '-o',
                  exported,
                ],
                env,
              },
              { args: ['-m', 'uv', 'pip', 'install', '--python', python, '-r', exported], env },
            ]
          : [
              {
                args: [
                  '-m',
                  'uv',
                  'pip',
                  'install',
                  '--python',
                  python,
                  '-r',
                  'pyproject.toml',
                  '--all-extras',
                ],
                env,
              },
            ],
      }
    }
  }
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
