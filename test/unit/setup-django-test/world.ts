import type { Exec, ExecOptions, ExecResult } from '../../../src/lib/process/exec.js'
import type { Deps } from '../../../src/setup-django-test/deps.js'
import { fakeClock } from '../../helpers/clock.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'
import { memoryFs } from './memory-fs.js'

// A project and a Python world for runs of the whole action: the exec fake answers as the
// interpreter, pip, manage.py, pytest and coverage would, writing their reports into the memory fs.

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'

/** A JUnit report as the runners write it: Django's (here) repository-relative, pytest's rootdir-relative. */
function junit(failing: number, passing = 2, file = 'backend/notes/tests.py'): string {
  const fail = Array.from(
    { length: failing },
    (_, i) =>
      `<testcase classname="notes.tests.T" name="test_f${i}" time="0.01" file="${file}" line="${20 + i}"><failure message="AssertionError: f${i}">boom</failure></testcase>`,
  )
  const pass = Array.from(
    { length: passing },
    (_, i) =>
      `<testcase classname="notes.tests.T" name="test_p${i}" time="0.5" file="${file}" line="${5 + i}"/>`,
  )
  return `<testsuites><testsuite time="1.250">${[...pass, ...fail].join('')}</testsuite></testsuites>`
}

const COVERAGE_JSON = JSON.stringify({
  meta: { version: '6.5.0', branch_coverage: false },
  files: {
    'notes/views.py': {
      summary: { covered_lines: 8, num_statements: 10, percent_covered: 80, percent_covered_display: '80' },
    },
  },
  totals: { covered_lines: 170, num_statements: 200, percent_covered: 85, percent_covered_display: '85' },
})

export interface Scenario {
  files?: Record<string, string>
  failing?: number
  passing?: number
  missingMigrations?: boolean
  installFails?: boolean
  modules?: Record<string, unknown>
  /** The test command's exit code and output instead of a report (a crash). */
  crash?: { exitCode: number; stderr: string }
  testExitCode?: number
  /** Output of `manage.py check` (and so of each gate), failing with exit code 1. */
  checkFails?: string
}

export function setup(
  inputs: Record<string, string>,
  scenario: Scenario = {},
  overrides: Partial<Deps> = {},
) {
  const fs = memoryFs({
    'backend/manage.py': MANAGE,
    'backend/requirements.txt': 'Django\n',
    ...scenario.files,
  })
  const io = recordingIO()
  // The order of error lines: the verdict must come before the annotations.
  const order: string[] = []
  const { error, setFailed } = io
  io.error = (message, props) => (order.push(`error: ${message}`), error(message, props))
  io.setFailed = (message) => (order.push(`failed: ${message}`), setFailed(message))
  const calls: { command: string; args: readonly string[]; options?: ExecOptions }[] = []
  const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '', stderrTail: '' })
  const exec = async (
    command: string,
    args: readonly string[],
    options?: ExecOptions,
  ): Promise<ExecResult> => {
    calls.push({ command, args, options })
    const joined = args.join(' ')
    if (args[0] === '-c' && joined.includes('python_version')) {
      return ok('{"executable": "/opt/py/bin/python3", "version": "3.12.4", "implementation": "CPython"}\n')
    }
    if (args[0] === '-c') {
      return ok(
        JSON.stringify({
          django: '5.1',
          pytest: true,
          pytestDjango: false,
          xdist: false,
          coverage: true,
          ...scenario.modules,
        }),
      )
    }
    if (joined.startsWith('-m pip install')) {
      return scenario.installFails
        ? {
            exitCode: 1,
            stdout: '',
            stderr: 'ERROR: No matching distribution found for Djangoo',
            stderrTail: 'ERROR: No matching distribution found for Djangoo',
          }
        : ok('Requirement already satisfied: Django')
    }
    if (joined === 'manage.py makemigrations --check --dry-run' && scenario.missingMigrations) {
      return {
        exitCode: 1,
        stdout: "Migrations for 'notes':\n  notes/migrations/0002_x.py\n",
        stderr: '',
        stderrTail: '',
      }
    }
    if (scenario.checkFails && joined.startsWith('manage.py') && !joined.includes('manage.py test')) {
      return { exitCode: 1, stdout: '', stderr: scenario.checkFails, stderrTail: '' }
    }
    if (joined.includes('manage.py test') || joined.includes('-m pytest')) {
      if (scenario.crash) return { ...scenario.crash, stdout: '', stderrTail: '' }
      const path = options?.env?.DJANGO_JUNIT_XML as string
      const file = joined.includes('-m pytest') ? 'notes/tests.py' : 'backend/notes/tests.py'
      fs.files.set(path, junit(scenario.failing ?? 0, scenario.passing ?? 2, file))
      const exitCode = scenario.testExitCode ?? (scenario.failing ? 1 : 0)
      return { exitCode, stdout: '', stderr: '', stderrTail: '' }
    }
    if (joined.startsWith('-m coverage xml')) {
      fs.files.set(args[args.length - 1] as string, '<coverage/>')
      return ok()
    }
    if (joined.startsWith('-m coverage json')) {
      fs.files.set(args[args.length - 1] as string, COVERAGE_JSON)
      return ok()
    }
    return ok()
  }
  const clock = fakeClock()
  const exported: Record<string, string> = {}
  const deps: Deps = {
    io,
    getInput: inputsOf(inputs),
    env: { PATH: '/usr/bin' },
    exec,
    fs,
    probe: async () => ({ ready: true, detail: "answered SSLRequest with 'N'" }),
    phase: 'main',
    http: async (request) => {
      throw new Error(`http(${request.url}) was not expected in this test`)
    },
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    workspace: '/repo',
    makeReportsDir: () => '/reports',
    pythonModules: '/action/python',
    cacheRoot: '/home/runner/.cache/setup-django-test',
    platform: { os: 'Linux' },
    exportVariable: (name, value) => void (exported[name] = value),
    githubClient: async () => {
      throw new Error('githubClient was not expected in this test')
    },
    ...overrides,
  }
  return { deps, io, calls, fs, exported, order }
}

export const noExec: Exec = async (command) => {
  throw new Error(`exec(${command}) was not expected in this test`)
}

export const argsOf = (calls: { args: readonly string[] }[]) => calls.map((c) => c.args.join(' '))
