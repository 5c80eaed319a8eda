import type { Exec } from '../../../src/lib/process/exec.js'
import { OperationError } from '../../../src/lib/errors.js'
import {
  installedModules,
  parseInterpreterInfo,
  resolveInterpreter,
  versionMatches,
} from '../../../src/setup-django-test/python-env.js'

const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '', stderrTail: '' })
const INFO = '{"executable": "/usr/bin/python3.11", "version": "3.11.2", "implementation": "CPython"}'

describe('resolveInterpreter', () => {
  it('tries python3, then python, and uses the real path the interpreter reports', async () => {
    const tried: string[] = []
    const exec: Exec = async (command) => {
      tried.push(command)
      if (command === 'python3')
        throw new OperationError("Cannot run 'python3': it is not installed or not on PATH")
      return ok(INFO)
    }
    expect(await resolveInterpreter(exec, undefined, false)).toEqual({
      executable: '/usr/bin/python3.11',
      version: '3.11.2',
      implementation: 'CPython',
    })
    expect(tried).toEqual(['python3', 'python'])
  })

  it('tries only the python input when given', async () => {
    const exec: Exec = async () => ({ exitCode: 127, stdout: '', stderr: 'boom', stderrTail: 'boom' })
    await expect(resolveInterpreter(exec, '/opt/py', false)).rejects.toThrow(
      "Input 'python' is '/opt/py', which cannot be run: '/opt/py -c' failed with exit code 127: boom",
    )
  })

  it('says so when nothing answers like Python', () => {
    expect(() => parseInterpreterInfo('Python 2.7.18', 'python')).toThrow(
      "'python' did not answer like a Python interpreter: Python 2.7.18",
    )
  })
})

describe('versionMatches', () => {
  it.each([
    ['3.12', '3.12.4', true],
    ['3.12.4', '3.12.4', true],
    ['3.1', '3.12.4', false],
    ['3.11', '3.12.0', false],
    ['pypy3.10', '3.10.13', true],
    ['3.x', '3.12.0', true],
  ])('%s against %s', (requested, actual, expected) => {
    expect(versionMatches(requested, actual)).toBe(expected)
  })
})

describe('installedModules', () => {
  it('reads what the probe script prints', async () => {
    const exec: Exec = async () =>
      ok('{"django": "5.1.2", "pytest": true, "pytestDjango": true, "xdist": false, "coverage": true}\n')
    expect(await installedModules(exec, '/py', '/app')).toEqual({
      django: '5.1.2',
      pytest: true,
      pytestDjango: true,
      xdist: false,
      coverage: true,
    })
  })

  it('reports a missing Django as undefined', async () => {
    const exec: Exec = async () => ok('{"django": null}')
    expect((await installedModules(exec, '/py', '/app')).django).toBeUndefined()
  })
})
