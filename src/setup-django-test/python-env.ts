import { OperationError } from '../lib/errors.js'
import { execChecked, tail, type Exec } from '../lib/process/exec.js'

export interface Interpreter {
  /** Absolute path (sys.executable): every later command uses exactly this interpreter. */
  executable: string
  version: string
  implementation: string
}

const INFO =
  'import json, platform, sys; print(json.dumps({"executable": sys.executable, "version": platform.python_version(), "implementation": platform.python_implementation()}))'

/**
 * Finds the interpreter: the `python` input, else `python3` then `python` on PATH (the names
 * setup-python provides), and asks it for its real path and version.
 */
export async function resolveInterpreter(
  exec: Exec,
  requested: string | undefined,
  windows: boolean,
): Promise<Interpreter> {
  const candidates =
    requested !== undefined ? [requested] : windows ? ['python', 'python3'] : ['python3', 'python']
  let lastError: unknown
  for (const candidate of candidates) {
    try {
      const result = await execChecked(exec, candidate, ['-c', INFO])
      return parseInterpreterInfo(result.stdout, candidate)
    } catch (error) {
      lastError = error
    }
  }
  const message = lastError instanceof Error ? lastError.message : String(lastError)
  throw new OperationError(
    requested !== undefined
      ? `Input 'python' is '${requested}', which cannot be run: ${message}`
      : `No Python interpreter on PATH (tried ${candidates.join(', ')}): set 'python-version' or 'python'`,
  )
}

export function parseInterpreterInfo(stdout: string, candidate: string): Interpreter {
  try {
    const info = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Partial<Interpreter>
    if (typeof info.executable === 'string' && typeof info.version === 'string') {
      return {
        executable: info.executable || candidate,
        version: info.version,
        implementation: info.implementation ?? 'CPython',
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new OperationError(`'${candidate}' did not answer like a Python interpreter: ${tail(stdout, 2)}`)
}

/** Whether a requested setup-python version (`3.12`, `3.11.4`) matches the interpreter's. */
export function versionMatches(requested: string, actual: string): boolean {
  if (!/^\d+(\.\d+)*$/.test(requested)) return true
  const want = requested.split('.')
  const have = actual.split('.')
  return want.every((part, i) => have[i] === part)
}

export interface InstalledModules {
  django?: string
  pytest: boolean
  pytestDjango: boolean
  xdist: boolean
  coverage: boolean
}

const MODULES = [
  'import json, importlib.util as u',
  'def has(name):',
  '    try:',
  '        return u.find_spec(name) is not None',
  '    except Exception:',
  '        return False',
  'try:',
  '    import django',
  '    version = django.get_version()',
  'except Exception:',
  '    version = None',
  'print(json.dumps({"django": version, "pytest": has("pytest"), "pytestDjango": has("pytest_django"), "xdist": has("xdist"), "coverage": has("coverage")}))',
].join('\n')

/** What the test phase can use: Django's version and whether pytest(-django), xdist and coverage are there. */
export async function installedModules(exec: Exec, python: string, cwd: string): Promise<InstalledModules> {
  const result = await execChecked(exec, python, ['-c', MODULES], { cwd })
  const parsed = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Partial<InstalledModules> & {
    django?: string | null
  }
  return {
    django: parsed.django ?? undefined,
    pytest: parsed.pytest === true,
    pytestDjango: parsed.pytestDjango === true,
    xdist: parsed.xdist === true,
    coverage: parsed.coverage === true,
  }
}
