import { resolvePythonRequest, semverRange } from '../../../src/setup-django-test/python-version.js'
import { memoryFs } from './memory-fs.js'

const request = (
  files: Record<string, string>,
  inputs: Partial<Parameters<typeof resolvePythonRequest>[3]>,
) =>
  resolvePythonRequest(memoryFs({ 'backend/manage.py': '', ...files }), '/repo', '/repo/backend', {
    pythonVersion: 'auto',
    ...inputs,
  })

describe('resolvePythonRequest', () => {
  it('takes python-version as given, and skips setup-python for an empty one or none', () => {
    expect(request({}, { pythonVersion: '3.11' })).toMatchObject({ setupPython: true, version: '3.11' })
    expect(request({}, { pythonVersion: '' })).toMatchObject({ setupPython: false })
    expect(request({}, { pythonVersion: 'none' })).toMatchObject({ setupPython: false })
  })

  it('hands python-version-file to setup-python, relative to the workspace, and rejects a missing one', () => {
    expect(
      request({ 'ci/.python-version': '3.10\n' }, { pythonVersionFile: 'ci/.python-version' }),
    ).toMatchObject({
      setupPython: true,
      file: 'ci/.python-version',
    })
    expect(() => request({}, { pythonVersionFile: 'nope/.python-version' })).toThrow(
      "Input 'python-version-file' is 'nope/.python-version', but there is no such file in the workspace",
    )
  })

  it('rejects python-version together with python-version-file', () => {
    expect(() =>
      request({ '.python-version': '3.10' }, { pythonVersion: '3.12', pythonVersionFile: '.python-version' }),
    ).toThrow(
      "Inputs 'python-version' ('3.12') and 'python-version-file' exclude each other: set one of them",
    )
  })

  it('finds .python-version in the project folder before the workspace root, and before pyproject.toml', () => {
    const files = {
      '.python-version': '3.10\n',
      'backend/.python-version': '3.11\n',
      'backend/pyproject.toml': '[project]\nrequires-python = ">=3.9"\n',
    }
    expect(request(files, {})).toMatchObject({
      file: 'backend/.python-version',
      source: 'backend/.python-version',
    })
    expect(request({ '.python-version': '3.10\n' }, {})).toMatchObject({ file: '.python-version' })
  })

  it("turns pyproject.toml's requires-python (or Poetry's python) into the range setup-python resolves", () => {
    expect(
      request({ 'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.10,<3.13"\n' }, {}),
    ).toMatchObject({
      setupPython: true,
      version: '>=3.10 <3.13',
      source: "pyproject.toml ('>=3.10,<3.13')",
    })
    expect(request({ 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\n' }, {})).toMatchObject(
      {
        version: '^3.11',
      },
    )
  })

  it('falls back to 3.12, and says why when requires-python cannot be read as a range', () => {
    expect(request({}, {})).toMatchObject({
      setupPython: true,
      version: '3.12',
      source: 'default',
      notes: [],
    })
    expect(request({ 'pyproject.toml': '[project]\nrequires-python = "===3.11.4"\n' }, {}).notes).toEqual([
      "pyproject.toml asks for Python '===3.11.4', which setup-python cannot read as a version range; using 3.12 (set 'python-version' to choose)",
    ])
  })

  it('uses the interpreter it was given without setup-python, unless a version is asked for', () => {
    expect(request({ '.python-version': '3.10' }, { python: '/usr/bin/python3' })).toMatchObject({
      setupPython: false,
    })
    expect(request({}, { python: '/usr/bin/python3', pythonVersion: '3.12' })).toMatchObject({
      setupPython: true,
    })
  })
})

describe('semverRange', () => {
  it.each([
    ['>=3.10', '>=3.10'],
    ['>=3.10,<3.13', '>=3.10 <3.13'],
    ['>= 3.9, < 4', '>=3.9 <4'],
    ['~=3.11', '>=3.11 <4'],
    ['~=3.11.2', '>=3.11.2 <3.12'],
    ['==3.12.*', '3.12'],
    ['==3.12', '3.12.0'],
    ['^3.10', '^3.10'],
    ['3.11', '3.11'],
  ])('%s -> %s', (spec, range) => {
    expect(semverRange(spec)).toEqual({ range, ignored: [] })
  })

  it('drops exclusions and refuses what has no range', () => {
    expect(semverRange('>=3.9,!=3.10.*')).toEqual({ range: '>=3.9', ignored: ['!=3.10.*'] })
    expect(semverRange('===3.11.4').range).toBeUndefined()
    expect(semverRange('>=3.10.*').range).toBeUndefined()
    expect(semverRange('python3').range).toBeUndefined()
  })
})
