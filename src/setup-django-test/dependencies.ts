import { dirname, join, relative } from 'node:path'
import { ConfigurationError, quote } from '../lib/errors.js'
import { hasSection, type ProjectFs } from './project-fs.js'
import { pytestSettings } from './discovery.js'

export type Manager = 'pip' | 'poetry' | 'pipenv' | 'uv'
export type InstallMode = Manager | 'auto' | 'none'

export interface Dependencies {
  /** undefined: nothing to install (no dependency files, or `install: none`). */
  manager?: Manager
  /** The folder the manager runs in (where its files are). */
  dir: string
  /** Files that define what gets installed, relative to `dir`; hashed into the cache key. */
  files: string[]
  /** Why this manager: `uv.lock`, `requirements-dev.txt`, `install: pip`... */
  reason: string
}

/** Dev/test requirement files, preferred because the tests need what they add. */
const DEV_REQUIREMENTS = [
  'requirements-dev.txt',
  'requirements_dev.txt',
  'dev-requirements.txt',
  'requirements-test.txt',
  'requirements_test.txt',
  'test-requirements.txt',
  'requirements/dev.txt',
  'requirements/development.txt',
  'requirements/test.txt',
  'requirements/tests.txt',
  'requirements/testing.txt',
]
const BASE_REQUIREMENTS = ['requirements.txt', 'requirements/base.txt', 'requirements/common.txt']

const LOCKS: { file: string; manager: Manager; files: string[] }[] = [
  { file: 'uv.lock', manager: 'uv', files: ['uv.lock', 'pyproject.toml'] },
  { file: 'poetry.lock', manager: 'poetry', files: ['poetry.lock', 'pyproject.toml'] },
  { file: 'Pipfile.lock', manager: 'pipenv', files: ['Pipfile.lock', 'Pipfile'] },
  { file: 'Pipfile', manager: 'pipenv', files: ['Pipfile'] },
]

/** The project folder, then each parent up to the workspace root: lock files often sit at the top. */
export function searchDirs(projectDir: string, root: string): string[] {
  const dirs = [projectDir]
  let dir = projectDir
  while (relative(root, dir) !== '' && !relative(root, dir).startsWith('..')) {
    dir = dirname(dir)
    dirs.push(dir)
  }
  return dirs
}

const exists = (fs: ProjectFs, dir: string, file: string) => fs.readText(join(dir, file)) !== undefined

/** The requirement files pip would install: a dev/test file first, plus the base one. */
export function findRequirements(fs: ProjectFs, dir: string): string[] {
  const dev = DEV_REQUIREMENTS.find((file) => exists(fs, dir, file))
  const base = BASE_REQUIREMENTS.find((file) => exists(fs, dir, file))
  return [dev, base].filter((file): file is string => file !== undefined)
}

/**
 * Which dependency manager the project uses and with which files: a lock file decides (uv,
 * poetry, pipenv), else requirement files mean pip. `install` other than auto forces the manager
 * (it still needs its files); `requirements` names pip's files explicitly.
 */
export function detectDependencies(
  fs: ProjectFs,
  projectDir: string,
  root: string,
  mode: InstallMode,
  requirements: readonly string[],
): Dependencies {
  if (mode === 'none') return { dir: projectDir, files: [], reason: 'install: none' }
  if (requirements.length > 0) {
    if (mode !== 'auto' && mode !== 'pip')
      throw new ConfigurationError(`Input 'requirements' is for pip; it cannot be used with install: ${mode}`)
    for (const file of requirements) {
      if (!exists(fs, projectDir, file))
        throw new ConfigurationError(
          `Input 'requirements' names ${quote(file)}, which does not exist in ${quote(relative(root, projectDir) || '.')}`,
        )
    }
    return { manager: 'pip', dir: projectDir, files: [...requirements], reason: "input 'requirements'" }
  }
  for (const dir of searchDirs(projectDir, root)) {
    for (const lock of LOCKS) {
      if ((mode === 'auto' || mode === lock.manager) && exists(fs, dir, lock.file)) {
        return {
          manager: lock.manager,
          dir,
          files: lock.files.filter((f) => exists(fs, dir, f)),
          reason: lock.file,
        }
      }
    }
    if (mode === 'auto' || mode === 'pip') {
      const files = findRequirements(fs, dir)
      if (files.length > 0) return { manager: 'pip', dir, files, reason: files.join(' + ') }
    }
    if ((mode === 'poetry' || mode === 'uv') && exists(fs, dir, 'pyproject.toml')) {
      return { manager: mode, dir, files: ['pyproject.toml'], reason: `install: ${mode}` }
    }
  }
  if (mode !== 'auto')
    throw new ConfigurationError(
      `Input 'install' is ${mode}, but none of its files (lock file, requirements or pyproject.toml) was found`,
    )
  return { dir: projectDir, files: [], reason: 'no dependency files found' }
}

/**
 * Whether the project runs its tests with pytest-django: a pytest config that names the
 * settings module, or pytest-django among the declared dependencies.
 */
export function usesPytestDjango(
  fs: ProjectFs,
  projectDir: string,
  root: string,
  deps: Dependencies,
): boolean {
  for (const dir of searchDirs(projectDir, root)) {
    if (pytestSettings(fs, dir)) return true
    const pyproject = fs.readText(join(dir, 'pyproject.toml'))
    if (pyproject && hasSection(pyproject, 'tool.pytest.ini_options') && /--ds[= ]/.test(pyproject))
      return true
  }
  const files = [
    ...deps.files.map((f) => join(deps.dir, f)),
    ...findRequirements(fs, projectDir).map((f) => join(projectDir, f)),
    join(deps.dir, 'pyproject.toml'),
  ]
  const texts = files.map((path) => fs.readText(path) ?? '')
  return texts.some((text) => /pytest[-_]django/i.test(text))
}
