import { isAbsolute, join, relative, resolve } from 'node:path'
import { ConfigurationError, quote } from '../lib/errors.js'
import { searchDirs } from './dependencies.js'
import { ownNames, type InputName } from './input-names.js'
import { configValue, hasSection, type ProjectFs } from './project-fs.js'

/** The version setup-python installs when nothing in the project names one. */
export const DEFAULT_PYTHON = '3.12'

/** What the composite hands actions/setup-python, or that it skips it. */
export interface PythonRequest {
  setupPython: boolean
  /** For setup-python's python-version (a version or range). */
  version?: string
  /** For setup-python's python-version-file, relative to the workspace. */
  file?: string
  /** Where the choice came from, for the log. */
  source: string
  /** Things the user should hear about (a requires-python clause that had to be dropped). */
  notes: string[]
}

export interface PythonInputs {
  /** 'auto', '' or 'none' (skip setup-python), or a version / range for setup-python. */
  pythonVersion: string
  pythonVersionFile?: string
  python?: string
}

/**
 * Which Python setup-python is asked for, following its own precedence (actions/setup-python
 * src/setup-python.ts resolveVersionInput: python-version, else python-version-file, else
 * .python-version) and then the project's pyproject.toml: `[project] requires-python`, or
 * Poetry's `[tool.poetry.dependencies] python` (what its getVersionInputFromTomlFile reads).
 * Files are looked for in the project folder, then its parents up to the workspace.
 */
export function resolvePythonRequest(
  fs: ProjectFs,
  workspace: string,
  projectDir: string,
  inputs: PythonInputs,
  name: InputName = ownNames,
): PythonRequest {
  // '' is also what a bundle run without the composite sees for "not given": with a file, it is auto.
  const requested = inputs.pythonVersion.trim() || (inputs.pythonVersionFile !== undefined ? 'auto' : '')
  const skip = requested === '' || requested.toLowerCase() === 'none'
  if (inputs.pythonVersionFile !== undefined && requested.toLowerCase() !== 'auto')
    throw new ConfigurationError(
      `Inputs '${name('python-version')}' (${quote(requested)}) and '${name('python-version-file')}' exclude each other: set one of them`,
    )
  if (skip) return { setupPython: false, source: `python-version: ${requested || "''"}`, notes: [] }
  if (requested.toLowerCase() !== 'auto')
    return { setupPython: true, version: requested, source: 'python-version', notes: [] }
  if (inputs.pythonVersionFile !== undefined) {
    const file = isAbsolute(inputs.pythonVersionFile)
      ? inputs.pythonVersionFile
      : resolve(workspace, inputs.pythonVersionFile)
    if (fs.readText(file) === undefined)
      throw new ConfigurationError(
        `Input '${name('python-version-file')}' is ${quote(inputs.pythonVersionFile)}, but there is no such file in the workspace`,
      )
    return { setupPython: true, file: relativeTo(workspace, file), source: 'python-version-file', notes: [] }
  }
  // The interpreter is named: nothing to set up unless a version was asked for.
  if (inputs.python !== undefined) return { setupPython: false, source: "input 'python'", notes: [] }
  const dirs = searchDirs(projectDir, workspace)
  for (const dir of dirs) {
    const file = join(dir, '.python-version')
    if (fs.readText(file) !== undefined)
      return {
        setupPython: true,
        file: relativeTo(workspace, file),
        source: relativeTo(workspace, file),
        notes: [],
      }
  }
  for (const dir of dirs) {
    const file = join(dir, 'pyproject.toml')
    const text = fs.readText(file)
    if (text === undefined) continue
    const where = relativeTo(workspace, file)
    const spec = hasSection(text, 'project')
      ? configValue(text, 'project', 'requires-python')
      : configValue(text, 'tool.poetry.dependencies', 'python')
    if (spec === undefined) continue
    const range = semverRange(spec)
    if (range.range === undefined)
      return {
        setupPython: true,
        version: DEFAULT_PYTHON,
        source: 'default',
        notes: [
          `${where} asks for Python ${quote(spec)}, which setup-python cannot read as a version range; using ${DEFAULT_PYTHON} (set '${name('python-version')}' to choose)`,
        ],
      }
    return {
      setupPython: true,
      version: range.range,
      source: `${where} (${quote(spec)})`,
      notes: range.ignored.map(
        (clause) => `${where}: ignoring ${quote(clause)} (setup-python ranges cannot exclude versions)`,
      ),
    }
  }
  return { setupPython: true, version: DEFAULT_PYTHON, source: 'default', notes: [] }
}

function relativeTo(workspace: string, file: string): string {
  const rel = relative(workspace, file)
  return rel.startsWith('..') ? file : rel.split('\\').join('/')
}

const bump = (parts: number[]) => [...parts.slice(0, -1), (parts.at(-1) ?? 0) + 1].join('.')

/**
 * A PEP 440 specifier set (`>=3.10,<3.13`, `~=3.11`, `==3.12.*`) as the node-semver range
 * setup-python resolves against its tool cache and manifest (`>=3.10 <3.13`). Poetry's `^3.10` and
 * `~3.10` are semver already. Exclusions (`!=3.11.*`) have no place in one range and are dropped.
 */
export function semverRange(spec: string): { range?: string; ignored: string[] } {
  const text = spec.trim()
  if (/^[\^~]\d/.test(text) || /^\d+(\.\d+){0,2}$/.test(text)) return { range: text, ignored: [] }
  const out: string[] = []
  const ignored: string[] = []
  for (const clause of text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)) {
    const m = /^(~=|===|==|!=|<=|>=|<|>)\s*v?(\d+(?:\.\d+)*)(\.\*)?$/.exec(clause)
    if (!m) return { ignored }
    const [, op = '', version = '', wildcard] = m
    const parts = version.split('.').map(Number)
    if (op === '!=') ignored.push(clause)
    else if (op === '===') return { ignored }
    else if (op === '==')
      out.push(wildcard ? version : [...parts, 0, 0].slice(0, Math.max(3, parts.length)).join('.'))
    else if (op === '~=') {
      if (parts.length < 2 || wildcard) return { ignored }
      out.push(`>=${version}`, `<${bump(parts.slice(0, -1))}`)
    } else if (wildcard) return { ignored }
    else out.push(`${op}${version}`)
  }
  return out.length === 0 ? { ignored } : { range: out.join(' '), ignored }
}
