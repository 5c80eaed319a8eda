import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { auditFiles } from '../../../src/python-quality/audit-files.js'
import { detectTools } from '../../../src/python-quality/detect.js'
import { failsGate, parseFailOn } from '../../../src/python-quality/gate.js'
import { parsePythonQualityOptions } from '../../../src/python-quality/api.js'
import type { Finding } from '../../../src/python-quality/finding.js'
import { inputsOf } from '../../helpers/io.js'
import { fixtures } from './fixtures.js'

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pq-options-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const context = (workspace: string) => ({
  env: { GITHUB_WORKSPACE: workspace, PATH: '' },
  cwd: '/nowhere',
  tempDir: '/tmp-not-used',
  platform: 'linux' as const,
})

describe('detectTools', () => {
  it.each([
    [{ 'pyproject.toml': '[tool.black]\nline-length = 100\n' }, ['black:pyproject.toml [tool.black]']],
    [{ 'pyproject.toml': '[tool.ruff.lint]\nselect = ["E"]\n' }, ['ruff:pyproject.toml [tool.ruff]']],
    [{ 'pyproject.toml': "[tool.pylint.'messages control']\n" }, ['pylint:pyproject.toml [tool.pylint]']],
    [{ 'pyproject.toml': '[tool.bandit]\nskips = ["B101"]\n' }, ['bandit:pyproject.toml [tool.bandit]']],
    [{ 'pyproject.toml': '[tool.isort]\nprofile = "black"\n' }, ['isort:pyproject.toml [tool.isort]']],
    [
      { 'setup.cfg': '[flake8]\nmax-line-length = 100\n[tool:isort]\n' },
      ['isort:setup.cfg [tool:isort]', 'flake8:setup.cfg [flake8]'],
    ],
    [{ 'tox.ini': '[isort]\n[flake8]\n' }, ['isort:tox.ini [isort]', 'flake8:tox.ini [flake8]']],
    [
      { '.flake8': '', '.isort.cfg': '', 'ruff.toml': '', '.pylintrc': '', '.bandit': '' },
      ['isort:.isort.cfg', 'flake8:.flake8', 'ruff:ruff.toml', 'pylint:.pylintrc', 'bandit:.bandit'],
    ],
    // A name that only starts like a section, and a mention in a comment, configure nothing.
    [{ 'pyproject.toml': '[tool.blackened]\n# [tool.black] later\n', 'setup.cfg': '[flake8-bugbear]\n' }, []],
    [{}, []],
  ])('%j configures %j', (files, expected) => {
    expect(detectTools(project(files)).map((c) => `${c.tool}:${c.config}`)).toEqual(expected)
  })

  it('finds every tool of the fixture project', () => {
    expect(detectTools(join(fixtures, 'findings')).map((c) => c.tool)).toEqual([
      'black',
      'isort',
      'flake8',
      'pylint',
      'bandit',
    ])
  })
})

describe('auditFiles', () => {
  it('takes requirement and lock files at the top of the folder only', () => {
    const dir = project({
      'requirements.txt': '',
      'requirements-dev.txt': '',
      'Pipfile.lock': '{}',
      'poetry.lock': '',
      'uv.lock': '',
      Pipfile: '',
      'constraints.txt': '',
    })
    mkdirSync(join(dir, 'requirements.txt.d'))
    expect(auditFiles(dir)).toEqual([
      'Pipfile.lock',
      'poetry.lock',
      'requirements-dev.txt',
      'requirements.txt',
      'uv.lock',
    ])
  })
})

describe('fail-on', () => {
  const finding = (source: Finding['source'], severity: Finding['severity']): Finding => ({
    source,
    severity,
    file: 'x.py',
    code: 'X',
    message: '',
  })

  it.each([
    ['any', finding('black', 'low'), true],
    ['none', finding('bandit', 'critical'), false],
    ['bandit:medium,audit:high,flake8', finding('bandit', 'low'), false],
    ['bandit:medium,audit:high,flake8', finding('bandit', 'medium'), true],
    ['bandit:medium,audit:high,flake8', finding('audit', 'medium'), false],
    ['bandit:medium,audit:high,flake8', finding('audit', 'critical'), true],
    ['bandit:medium,audit:high,flake8', finding('flake8', 'low'), true],
    ['bandit:medium,audit:high,flake8', finding('pylint', 'high'), false],
    ['any:high', finding('pylint', 'high'), true],
    ['ANY:HIGH', finding('pylint', 'medium'), false],
  ])('%s: %j fails the gate: %s', (text, f, fails) => {
    expect(failsGate(f, parseFailOn(text, 'fail-on'))).toBe(fails)
  })

  it.each(['bandit:severe', 'mypy', 'flake8:high:x', 'none,flake8'])(
    'refuses %s naming the input',
    (text) => {
      expect(() => parseFailOn(text, 'quality-fail-on')).toThrow(
        /^Input 'quality-fail-on' must be any, none, or entries like/,
      )
    },
  )
})

describe('parsePythonQualityOptions', () => {
  const workspace = join(fixtures, '..')
  const parse = (inputs: Record<string, string>, names?: Record<string, string>) =>
    parsePythonQualityOptions(inputsOf(inputs), context(workspace), names)

  it('finds the tools the project configures, and its requirement files, from working-directory', () => {
    const options = parse({ 'working-directory': 'python-quality/findings' })
    expect(options.tools).toEqual([
      { tool: 'black', config: 'pyproject.toml [tool.black]' },
      { tool: 'isort', config: 'pyproject.toml [tool.isort]' },
      { tool: 'flake8', config: '.flake8' },
      { tool: 'pylint', config: 'pyproject.toml [tool.pylint]' },
      { tool: 'bandit', config: '.bandit' },
    ])
    expect(options).toMatchObject({
      autoTools: true,
      python: 'python3',
      install: false,
      workingDirectoryShown: 'python-quality/findings',
      audit: { enabled: true, files: ['requirements.txt'], trivyVersion: '0.67.2' },
      failOn: [{ source: 'any', min: 'low' }],
      sarifFile: '/tmp-not-used/python-quality.sarif',
    })
  })

  it('runs an explicit list in the suite order, configured or not', () => {
    const options = parse({ 'working-directory': 'python-quality/clean', tools: 'ruff, black\nbandit' })
    expect(options.tools).toEqual([
      { tool: 'black', config: 'pyproject.toml [tool.black]' },
      { tool: 'ruff', config: undefined },
      { tool: 'bandit', config: '.bandit' },
    ])
  })

  it('fails with one error naming tools (or the name deploy gives it) for unknown names', () => {
    expect(() => parse({ tools: 'black, mypy, safety' })).toThrow(
      "Input 'tools' must be auto or a list of black, isort, flake8, ruff, pylint, bandit (got 'mypy', 'safety')",
    )
    expect(() => parse({ 'quality-tools': 'mypy' }, { tools: 'quality-tools' })).toThrow(
      /^Input 'quality-tools' must be auto/,
    )
  })

  it('rejects a working-directory that is not a folder, a bad trivy-path, version or boolean', () => {
    expect(() => parse({ 'working-directory': 'nope' })).toThrow(
      "Input 'working-directory' names 'nope', which is not a folder in the workspace",
    )
    expect(() => parse({ 'working-directory': 'python-quality/findings', 'trivy-path': 'no-trivy' })).toThrow(
      "Input 'trivy-path' names 'no-trivy', which is neither a file (relative to the workspace) nor a command on PATH",
    )
    expect(() => parse({ 'working-directory': 'python-quality/clean', 'trivy-version': 'latest' })).toThrow(
      /^Input 'trivy-version' must be a release version like 0\.67\.2 \(got 'latest'\)/,
    )
    expect(() => parse({ 'working-directory': 'python-quality/clean', install: 'yes' })).toThrow(
      /^Input 'install' must be true or false/,
    )
  })

  it('refuses a folder with nothing to check, naming working-directory and tools', () => {
    const empty = mkdtempSync(join(workspace, 'python-quality', 'tmp-empty-'))
    try {
      expect(() => parse({ 'working-directory': empty })).toThrow(
        /^Nothing to check in 'python-quality\/tmp-empty-\w+': no tool is configured there \(.*\) and no requirements\*\.txt, Pipfile\.lock, poetry\.lock or uv\.lock is there; set 'working-directory' to the project's folder, or list the tools to run in 'tools'$/,
      )
      expect(parse({ 'working-directory': empty, tools: 'flake8' }).tools).toEqual([
        { tool: 'flake8', config: undefined },
      ])
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('does not look for Trivy when nothing is to be audited', () => {
    const options = parse({ 'working-directory': 'python-quality/clean', 'trivy-path': 'no-trivy' })
    expect(options.audit).toMatchObject({ enabled: true, files: [], trivyPath: undefined })
    expect(
      parse({ 'working-directory': 'python-quality/findings', audit: 'false', 'trivy-path': 'x' }).audit
        .files,
    ).toEqual([])
  })
})

describe('python', () => {
  const workspace = join(fixtures, '..')
  const parse = (inputs: Record<string, string>, platform: NodeJS.Platform = 'linux') =>
    parsePythonQualityOptions(inputsOf(inputs), { ...context(workspace), platform }).python

  it('is python3 on PATH by default (python on Windows), a command as given, a path from working-directory', () => {
    const clean = { 'working-directory': 'python-quality/clean' }
    expect(parse(clean)).toBe('python3')
    expect(parse(clean, 'win32')).toBe('python')
    expect(parse({ ...clean, python: 'python3.12' })).toBe('python3.12')
    expect(parse({ python: '.venv/bin/python', 'working-directory': 'python-quality/clean' })).toBe(
      join(fixtures, 'clean', '.venv', 'bin', 'python'),
    )
  })
})
