// A stand-in for actions/setup-python v7.0.0 (action.yml, src/setup-python.ts, src/find-python.ts,
// src/utils.ts at that tag): the version resolution (python-version, python-version-file, the
// default .python-version) and the tool-cache lookup, against a tool cache the harness fills with
// interpreters of this machine. Nothing is downloaded: a version not in the tool cache fails the
// way a version missing from the manifest does.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { arch } from 'node:os'
import { join, resolve } from 'node:path'
import type { StandIn, StandInIO, StandInRun } from './types.js'

/** Puts interpreters into a tool cache as setup-python's tc.find expects: Python/<version>/<arch>/bin. */
export function fillPythonToolCache(toolCache: string, interpreters: readonly string[]): string[] {
  const versions: string[] = []
  for (const python of interpreters) {
    const version = execFileSync(python, ['-c', 'import platform; print(platform.python_version())'], {
      encoding: 'utf8',
    }).trim()
    const installDir = join(toolCache, 'Python', version, arch())
    const bin = join(installDir, 'bin')
    if (!existsSync(bin)) {
      mkdirSync(bin, { recursive: true })
      for (const name of ['python', 'python3']) symlinkSync(python, join(bin, name))
      writeFileSync(`${installDir}.complete`, '')
    }
    versions.push(version)
  }
  return versions
}

/** utils.ts logWarning: an info line with a [warning] prefix. */
const logWarning = (io: StandInIO, message: string) => io.info(`[warning]${message}`)

function versionsFromFile(io: StandInIO, file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n')
  if (file.endsWith('.toml')) {
    // getVersionInputFromTomlFile: [project] requires-python, else [tool.poetry.dependencies] python;
    // ',' becomes ' ' and the result must be a valid semver range.
    const table = /^\[project\]/m.test(text) ? 'project' : 'tool.poetry.dependencies'
    const key = table === 'project' ? 'requires-python' : 'python'
    const value = tomlString(text, table, key)
    io.info(`Extracted ${value ?? ''} from ${file}`)
    return value === undefined
      ? []
      : [value.split(',').join(' ')].filter((range) => parseRange(range) !== undefined)
  }
  if (/\.tool-versions/.test(file)) {
    for (const line of text.split('\n')) {
      if (line.trim().startsWith('#')) continue
      const m = /^\s*python\s*v?\s*(?<version>[^\s]+)\s*$/.exec(line)
      if (m) return [m.groups?.version?.trim() ?? '']
    }
    io.warning(`No Python version found in ${file}`)
    return []
  }
  if (/Pipfile/.test(file)) {
    const value =
      tomlString(text, 'requires', 'python_full_version') ?? tomlString(text, 'requires', 'python_version')
    return value === undefined ? [] : [value]
  }
  // getVersionsInputFromPlainFile
  const versions = text
    .trim()
    .split(/\r\n|\r|\n/)
    .filter((line) => !line.startsWith('#') && line.trim() !== '')
    .map((line) => line.trim().split('/')[0] ?? '')
  io.info(`Resolved ${file} as ${versions.join(', ')}`)
  return versions
}

/** The string value of `key` in `[table]` of a TOML text (enough for the files setup-python reads). */
export function tomlString(text: string, table: string, key: string): string | undefined {
  let current = ''
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line)
    if (header) current = (header[1] ?? '').trim()
    else if (current === table) {
      const m = new RegExp(`^\\s*"?${key.replace(/-/g, '\\-')}"?\\s*=\\s*(["'])(.*?)\\1`).exec(line)
      if (m) return m[2]
    }
  }
  return undefined
}

type Comparator = { op: '<' | '<=' | '>' | '>=' | '='; version: number[] }

/** A node-semver range (what setup-python hands tc.find) as sets of comparators: x-ranges, ~, ^, <, >=, ||. */
export function parseRange(range: string): Comparator[][] | undefined {
  const sets: Comparator[][] = []
  for (const part of range.split('||')) {
    const comparators: Comparator[] = []
    const tokens = part
      .trim()
      .replace(/([<>=~^]+)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
    if (tokens.length === 0) tokens.push('*')
    for (const token of tokens) {
      const m = /^(<=|>=|<|>|=|~|\^)?v?(\*|x|\d+)(?:\.(\*|x|\d+))?(?:\.(\*|x|\d+))?$/i.exec(token)
      if (!m) return undefined
      const [, op = '', ...parts] = m
      const numbers = parts.filter((p): p is string => p !== undefined && !/^[*x]$/i.test(p)).map(Number)
      const floor = [...numbers, 0, 0, 0].slice(0, 3)
      const bump = (i: number) => [...numbers.slice(0, i), (numbers[i] ?? 0) + 1, 0, 0].slice(0, 3)
      if (op === '' || op === '=') {
        if (numbers.length === 3) comparators.push({ op: '=', version: floor })
        else if (numbers.length > 0)
          comparators.push({ op: '>=', version: floor }, { op: '<', version: bump(numbers.length - 1) })
      } else if (op === '~') {
        comparators.push(
          { op: '>=', version: floor },
          { op: '<', version: bump(Math.min(numbers.length - 1, 1)) },
        )
      } else if (op === '^') {
        const first = numbers.findIndex((n) => n !== 0)
        comparators.push(
          { op: '>=', version: floor },
          { op: '<', version: bump(first < 0 ? numbers.length - 1 : first) },
        )
      } else if (op === '<' || op === '>=') comparators.push({ op, version: floor })
      else if (op === '>')
        comparators.push(
          numbers.length === 3 ? { op, version: floor } : { op: '>=', version: bump(numbers.length - 1) },
        )
      else
        comparators.push(
          numbers.length === 3
            ? { op: '<=', version: floor }
            : { op: '<', version: bump(numbers.length - 1) },
        )
    }
    sets.push(comparators)
  }
  return sets
}

const compare = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!

export function satisfies(version: string, range: string): boolean {
  const v = version.split('.').map(Number)
  return (parseRange(range) ?? []).some((set) =>
    set.every(({ op, version: w }) => {
      const c = compare(v, w)
      return op === '=' ? c === 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0
    }),
  )
}

/** useCpythonVersion: tc.find('Python', spec, arch), then the environment and outputs. */
function useCpythonVersion(run: StandInRun, version: string, architecture: string): string {
  const { io } = run
  if (/^(pypy|graalpy)/.test(version))
    throw new Error(`the setup-python stand-in installs CPython only (got '${version}')`)
  const dir = join(run.job.toolCache, 'Python')
  const installed = existsSync(dir) ? readdirSync(dir) : []
  const spec = version.replace(/(\d+\.\d+\.\d+)((?:a|b|rc)\d*)/g, '$1-$2')
  const found = installed
    .filter((v) => existsSync(join(dir, v, `${architecture}.complete`)))
    .sort((a, b) => compare(b.split('.').map(Number), a.split('.').map(Number)))
    .find((v) => satisfies(v, spec))
  if (!found) {
    io.info(`Version ${spec} was not found in the local cache`)
    throw new Error(
      `The version '${version}' with architecture '${architecture}' was not found for this operating system.\nThe list of all available versions can be found here: https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json`,
    )
  }
  const installDir = join(dir, found, architecture)
  const bin = join(installDir, 'bin')
  if (io.getBooleanInput('update-environment')) {
    for (const name of ['pythonLocation', 'Python_ROOT_DIR', 'Python2_ROOT_DIR', 'Python3_ROOT_DIR'])
      io.exportVariable(name, installDir)
    io.exportVariable('PKG_CONFIG_PATH', `${installDir}/lib/pkgconfig`)
    io.addPath(installDir)
    io.addPath(bin)
  }
  io.setOutput('python-version', found)
  io.setOutput('python-path', join(bin, 'python'))
  return found
}

export const setupPythonStandIn: StandIn = {
  action: 'actions/setup-python',
  sha: '5fda3b95a4ea91299a34e894583c3862153e4b97',
  version: 'v7.0.0',
  manifest: {
    name: 'Setup Python',
    inputs: {
      'python-version': { description: 'Version range or exact version of Python or PyPy to use' },
      'python-version-file': { description: 'File containing the Python version to use' },
      cache: { description: 'Package manager for caching in the default directory', required: false },
      architecture: { description: 'The target architecture (x86, x64, arm64) of the interpreter' },
      'check-latest': { description: 'Check for the latest available version', default: 'false' },
      token: {
        description: 'The token used to authenticate when fetching Python distributions',
        default: "${{ github.server_url == 'https://github.com' && github.token || '' }}",
      },
      'cache-dependency-path': { description: 'The path to dependency files' },
      'update-environment': { description: 'Update environment variables', default: 'true' },
      'allow-prereleases': { description: 'Match prerelease versions', default: 'false' },
      freethreaded: { description: 'Use the freethreaded version of Python', default: 'false' },
      'pip-version': { description: 'The version of pip to install with the Python' },
    },
    outputs: {
      'python-version': { description: 'The installed Python or PyPy version' },
      'cache-hit': { description: 'A boolean value to indicate a cache entry was found' },
      'python-path': { description: 'The absolute path to the Python or PyPy executable' },
    },
    runs: {
      using: 'node24',
      main: 'dist/setup/index.js',
      post: 'dist/cache-save/index.js',
      'post-if': 'success()',
    },
  },
  async main(run) {
    const { io } = run
    try {
      // resolveVersionInput
      let versions = io.getMultilineInput('python-version')
      const versionFile = io.getInput('python-version-file')
      if (versions.length > 0) {
        if (versionFile)
          io.warning(
            'Both python-version and python-version-file inputs are specified, only python-version will be used.',
          )
      } else if (versionFile) {
        const file = resolve(run.job.workspace, versionFile)
        if (!existsSync(file))
          throw new Error(`The specified python version file at: ${versionFile} doesn't exist.`)
        versions = versionsFromFile(io, file)
      } else {
        logWarning(
          io,
          "Neither 'python-version' nor 'python-version-file' inputs were supplied. Attempting to find '.python-version' file.",
        )
        const file = join(run.job.workspace, '.python-version')
        if (existsSync(file)) versions = versionsFromFile(io, file)
        else logWarning(io, ".python-version doesn't exist.")
      }
      if (io.getInput('cache')) throw new Error("the setup-python stand-in does not model 'cache:'")
      if (io.getInput('pip-version'))
        throw new Error("the setup-python stand-in does not model 'pip-version:'")
      if (versions.length === 0) {
        io.warning(
          'The `python-version` input is not set.  The version of Python currently in `PATH` will be used.',
        )
        return
      }
      const architecture = io.getInput('architecture') || arch()
      for (const version of versions) {
        const installed = useCpythonVersion(run, version, architecture)
        io.info(`Successfully set up CPython (${installed})`)
      }
    } catch (error) {
      io.setFailed((error as Error).message)
    }
  },
  // cache-save.ts: nothing to do without `cache:`.
  post: async () => undefined,
}
