import { join, relative, resolve } from 'node:path'
import { ConfigurationError, quote } from '../lib/errors.js'
import { ownNames, type InputName } from './input-names.js'
import { configValue, type ProjectFs } from './project-fs.js'

/** Directories never searched for manage.py: dependencies, virtualenvs, caches, VCS data. */
const IGNORED_DIRS = new Set([
  'node_modules',
  'venv',
  'env',
  'virtualenv',
  '__pycache__',
  'site-packages',
  'dist-packages',
  'build',
  'dist',
  'htmlcov',
])

function searchable(fs: ProjectFs, dir: string, name: string): boolean {
  if (name.startsWith('.') || IGNORED_DIRS.has(name)) return false
  // Any folder with pyvenv.cfg is a virtualenv, whatever it is called.
  return fs.readText(join(dir, name, 'pyvenv.cfg')) === undefined
}

/**
 * The directory holding manage.py: `workingDirectory` if given (relative to the workspace or
 * absolute, as `${{ github.workspace }}/backend` is; it must have one), else the root, else the
 * shallowest match up to two levels down. Two matches at the same depth are
 * ambiguous and named, so the user can pick one with `working-directory`.
 */
export function findProjectDir(
  fs: ProjectFs,
  root: string,
  workingDirectory: string | undefined,
  name: InputName = ownNames,
): string {
  if (workingDirectory !== undefined) {
    const dir = resolve(root, workingDirectory)
    if (fs.readText(join(dir, 'manage.py')) === undefined)
      throw new ConfigurationError(
        `Input '${name('working-directory')}' is ${quote(workingDirectory)}, but there is no manage.py in it`,
      )
    return dir
  }
  let level = [root]
  for (let depth = 0; depth <= 2; depth++) {
    const found = level.filter((dir) => fs.readText(join(dir, 'manage.py')) !== undefined)
    if (found.length === 1) return found[0] as string
    if (found.length > 1) {
      const names = found.map((dir) => relative(root, dir) || '.').join(', ')
      throw new ConfigurationError(
        `Found manage.py in several folders (${names}); set '${name('working-directory')}' to one of them`,
      )
    }
    level = level.flatMap((dir) =>
      fs
        .list(dir)
        .filter((entry) => entry.isDirectory && searchable(fs, dir, entry.name))
        .map((entry) => join(dir, entry.name))
        .sort(),
    )
  }
  throw new ConfigurationError(
    `No manage.py found in the workspace or two levels below it (virtualenvs and node_modules are skipped); set '${name('working-directory')}' to the folder holding manage.py`,
  )
}

export interface SettingsModule {
  module: string
  /** Where it was found, for the summary: `input`, `environment`, `manage.py`, `pytest.ini`, ... */
  source: string
}

const MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/
const SETDEFAULT = /os\.environ\.setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([^"']+)["']\s*\)/

/** Where pytest-django reads DJANGO_SETTINGS_MODULE from, in pytest's own order of precedence. */
const PYTEST_CONFIGS: { file: string; section: string }[] = [
  { file: 'pytest.ini', section: 'pytest' },
  { file: 'pyproject.toml', section: 'tool.pytest.ini_options' },
  { file: 'tox.ini', section: 'pytest' },
  { file: 'setup.cfg', section: 'tool:pytest' },
]

/** DJANGO_SETTINGS_MODULE set in a pytest config of the project, with the file's name. */
export function pytestSettings(fs: ProjectFs, dir: string): SettingsModule | undefined {
  for (const { file, section } of PYTEST_CONFIGS) {
    const text = fs.readText(join(dir, file))
    const value = text === undefined ? undefined : configValue(text, section, 'DJANGO_SETTINGS_MODULE')
    if (value) return { module: value, source: file }
  }
  return undefined
}

/**
 * The settings module: the input, else DJANGO_SETTINGS_MODULE from the environment, else
 * manage.py's `os.environ.setdefault(...)`, else a pytest config (pytest.ini, pyproject.toml,
 * tox.ini, setup.cfg).
 */
export function findSettingsModule(
  fs: ProjectFs,
  projectDir: string,
  input: string | undefined,
  env: string | undefined,
  name: InputName = ownNames,
): SettingsModule {
  if (input !== undefined) {
    if (!MODULE.test(input))
      throw new ConfigurationError(
        `Input '${name('settings-module')}' must be a dotted Python module path like mysite.settings (got ${quote(input)})`,
      )
    return { module: input, source: 'input' }
  }
  if (env && MODULE.test(env)) return { module: env, source: 'environment' }
  const manage = SETDEFAULT.exec(fs.readText(join(projectDir, 'manage.py')) ?? '')?.[1]
  if (manage && MODULE.test(manage)) return { module: manage, source: 'manage.py' }
  const pytest = pytestSettings(fs, projectDir)
  if (pytest && MODULE.test(pytest.module)) return pytest
  throw new ConfigurationError(
    `Cannot tell the Django settings module: manage.py does not set it and no pytest config names it; set '${name('settings-module')}'`,
  )
}
