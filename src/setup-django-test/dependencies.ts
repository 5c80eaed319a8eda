import { dirname, join, relative, resolve } from 'node:path'
import { ConfigurationError, quote } from '../lib/errors.js'
import { ownNames, type InputName } from './input-names.js'
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

/**
 * Requirement files made for running the tests, most specific first: test files, then dev
 * files, then cookiecutter-django's `requirements/local.txt` (its base.txt, local.txt and
 * production.txt: local.txt is the one its CI installs, `-r base.txt` plus pytest-django).
 */
export const TEST_REQUIREMENTS = [
  'requirements-test.txt',
  'requirements_test.txt',
  'requirements-tests.txt',
  'test-requirements.txt',
  'test_requirements.txt',
  'requirements/test.txt',
  'requirements/tests.txt',
  'requirements/testing.txt',
  'requirements/ci.txt',
  'requirements-dev.txt',
  'requirements_dev.txt',
  'dev-requirements.txt',
  'dev_requirements.txt',
  'requirements/dev.txt',
  'requirements/development.txt',
  'requirements/local.txt',
]
/** The project's own requirements, installed beside a test file unless it includes them. */
export const BASE_REQUIREMENTS = ['requirements.txt', 'requirements/base.txt', 'requirements/common.txt']

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

/** A requirement file found while searching: its folder and its path relative to it. */
interface Found {
  dir: string
  file: string
}

/**
 * The files a requirement file pulls in with `-r`/`--requirement` (pip resolves them relative
 * to the including file), transitively, as absolute paths.
 */
export function includedRequirements(fs: ProjectFs, path: string, seen = new Set<string>()): Set<string> {
  if (seen.has(path)) return seen
  seen.add(path)
  for (const line of (fs.readText(path) ?? '').split(/\r?\n/)) {
    const match = /^\s*(?:-r|--requirement)(?:\s*=\s*|\s+|(?=[^\s=]))(\S+)/.exec(line)
    if (match) includedRequirements(fs, resolve(dirname(path), match[1] as string), seen)
  }
  return seen
}

/** The requirement files pip installs and why, for the log: `requirements/local.txt (…)`. */
export interface RequirementChoice {
  dir: string
  files: string[]
  reason: string
}

/**
 * The requirement files for the tests, searched from the project folder up to the workspace
 * root (stopping at a folder with a lock file once something is found below it): the nearest
 * test/dev file (TEST_REQUIREMENTS, in that order), plus the nearest base file
 * (BASE_REQUIREMENTS) unless the test file already includes it with `-r`.
 */
export function chooseRequirements(fs: ProjectFs, dirs: readonly string[]): RequirementChoice | undefined {
  let test: Found | undefined
  let base: Found | undefined
  for (const dir of dirs) {
    test ??= first(fs, dir, TEST_REQUIREMENTS)
    base ??= first(fs, dir, BASE_REQUIREMENTS)
    if (test) break
  }
  const primary = test ?? base
  if (!primary) return undefined
  const files = [primary.file]
  const included = includedRequirements(fs, join(primary.dir, primary.file))
  let reason = test
    ? `${primary.file}: the tests' requirements`
    : `${primary.file}: no test or dev requirements file`
  if (test && base) {
    const basePath = join(base.dir, base.file)
    const shown = relative(primary.dir, basePath).split('\\').join('/')
    if (included.has(basePath)) {
      reason += `, which include ${shown}`
    } else {
      files.push(shown)
      reason += ` + ${shown}`
    }
  }
  const others = [...TEST_REQUIREMENTS, ...BASE_REQUIREMENTS, 'requirements/production.txt'].filter(
    (file) =>
      !files.includes(file) && !included.has(join(primary.dir, file)) && exists(fs, primary.dir, file),
  )
  if (others.length > 0) reason += `; not installed: ${others.join(', ')}`
  return { dir: primary.dir, files, reason }
}

function first(fs: ProjectFs, dir: string, names: readonly string[]): Found | undefined {
  const file = names.find((name) => exists(fs, dir, name))
  return file === undefined ? undefined : { dir, file }
}

/** The requirement files pip would install from one folder (see chooseRequirements). */
export function findRequirements(fs: ProjectFs, dir: string): string[] {
  return chooseRequirements(fs, [dir])?.files ?? []
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
  name: InputName = ownNames,
): Dependencies {
  if (mode === 'none') return { dir: projectDir, files: [], reason: 'install: none' }
  if (requirements.length > 0) {
    if (mode !== 'auto' && mode !== 'pip')
      throw new ConfigurationError(
        `Input '${name('requirements')}' is for pip; it cannot be used with ${name('install')}: ${mode}`,
      )
    for (const file of requirements) {
      if (!exists(fs, projectDir, file))
        throw new ConfigurationError(
          `Input '${name('requirements')}' names ${quote(file)}, which does not exist in ${quote(relative(root, projectDir) || '.')}`,
        )
    }
    return { manager: 'pip', dir: projectDir, files: [...requirements], reason: "input 'requirements'" }
  }
  const dirs = searchDirs(projectDir, root)
  for (const [index, dir] of dirs.entries()) {
    const lock = LOCKS.find((l) => (mode === 'auto' || mode === l.manager) && exists(fs, dir, l.file))
    // A lock file decides, unless requirement files were found closer to the project.
    const closer =
      mode === 'auto' || mode === 'pip' ? chooseRequirements(fs, dirs.slice(0, index)) : undefined
    if (lock && !closer) {
      return {
        manager: lock.manager,
        dir,
        files: lock.files.filter((f) => exists(fs, dir, f)),
        reason: lock.file,
      }
    }
    if ((mode === 'poetry' || mode === 'uv') && exists(fs, dir, 'pyproject.toml')) {
      return { manager: mode, dir, files: ['pyproject.toml'], reason: `install: ${mode}` }
    }
    if (lock) break
  }
  if (mode === 'auto' || mode === 'pip') {
    const choice = chooseRequirements(fs, mode === 'auto' ? belowLocks(fs, dirs) : dirs)
    if (choice) return { manager: 'pip', ...choice }
  }
  if (mode !== 'auto')
    throw new ConfigurationError(
      `Input '${name('install')}' is ${mode}, but none of its files (lock file, requirements or pyproject.toml) was found`,
    )
  return { dir: projectDir, files: [], reason: 'no dependency files found' }
}

/** The search folders below the first one with a lock file (that folder belongs to the lock). */
function belowLocks(fs: ProjectFs, dirs: readonly string[]): string[] {
  const stop = dirs.findIndex((dir) => LOCKS.some((lock) => exists(fs, dir, lock.file)))
  return stop < 0 ? [...dirs] : dirs.slice(0, stop)
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
  ].flatMap((path) => [...includedRequirements(fs, path)])
  const texts = [...files, join(deps.dir, 'pyproject.toml')].map((path) => fs.readText(path) ?? '')
  return texts.some((text) => /pytest[-_]django/i.test(text))
}
