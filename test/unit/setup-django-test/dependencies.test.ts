import {
  detectDependencies,
  findRequirements,
  searchDirs,
  usesPytestDjango,
} from '../../../src/setup-django-test/dependencies.js'
import { memoryFs } from './memory-fs.js'

describe('detectDependencies', () => {
  it.each([
    [
      'uv.lock',
      { 'uv.lock': '', 'pyproject.toml': '', 'requirements.txt': '' },
      'uv',
      ['uv.lock', 'pyproject.toml'],
    ],
    ['poetry.lock', { 'poetry.lock': '', 'pyproject.toml': '' }, 'poetry', ['poetry.lock', 'pyproject.toml']],
    ['Pipfile.lock', { 'Pipfile.lock': '', Pipfile: '' }, 'pipenv', ['Pipfile.lock', 'Pipfile']],
    ['a Pipfile alone', { Pipfile: '' }, 'pipenv', ['Pipfile']],
    ['requirements.txt', { 'requirements.txt': '' }, 'pip', ['requirements.txt']],
    [
      'dev requirements first, with the base',
      { 'requirements.txt': '', 'requirements-dev.txt': '' },
      'pip',
      ['requirements-dev.txt', 'requirements.txt'],
    ],
    [
      'a requirements/ folder',
      { 'requirements/base.txt': '', 'requirements/test.txt': '' },
      'pip',
      ['requirements/test.txt', 'requirements/base.txt'],
    ],
  ])('auto picks the manager from %s', (_, files, manager, expected) => {
    const found = detectDependencies(memoryFs({ 'manage.py': '', ...files }), '/repo', '/repo', 'auto', [])
    expect(found.manager).toBe(manager)
    expect(found.files).toEqual(expected)
    expect(found.dir).toBe('/repo')
  })

  // cookiecutter-django's layout: base.txt, local.txt (-r base.txt, plus pytest-django and the
  // dev tools; what its CI installs) and production.txt.
  it("installs cookiecutter-django's requirements/local.txt, which includes base.txt", () => {
    const fs = memoryFs({
      'manage.py': '',
      'requirements/base.txt': 'django==5.1\n',
      'requirements/local.txt': '-r base.txt\npytest-django==4.9\n',
      'requirements/production.txt': '-r base.txt\ngunicorn\n',
    })
    expect(detectDependencies(fs, '/repo', '/repo', 'auto', [])).toEqual({
      manager: 'pip',
      dir: '/repo',
      files: ['requirements/local.txt'],
      reason:
        "requirements/local.txt: the tests' requirements, which include requirements/base.txt; not installed: requirements/production.txt",
    })
    expect(usesPytestDjango(fs, '/repo', '/repo', detectDependencies(fs, '/repo', '/repo', 'auto', []))).toBe(
      true,
    )
  })

  it.each([
    ['requirements-dev.txt', { 'requirements-dev.txt': '-r requirements.txt\npytest-django\n' }],
    ['dev-requirements.txt', { 'dev-requirements.txt': 'pytest-django\n' }],
    ['requirements/test.txt', { 'requirements/test.txt': '--requirement=../requirements.txt\n' }],
  ])('finds %s', (file, files) => {
    const fs = memoryFs({ 'manage.py': '', 'requirements.txt': 'Django\n', ...files })
    const found = detectDependencies(fs, '/repo', '/repo', 'auto', [])
    expect(found.files[0]).toBe(file)
    expect(found.reason).toMatch(new RegExp(`^${file.replace('.', '\\.')}: the tests' requirements`))
  })

  it('finds a dev file at the repository root for a project in a subfolder', () => {
    const fs = memoryFs({
      'backend/manage.py': '',
      'backend/requirements.txt': 'Django\n',
      'requirements-dev.txt': '-r backend/requirements.txt\npytest-django\n',
    })
    expect(detectDependencies(fs, '/repo/backend', '/repo', 'auto', [])).toMatchObject({
      dir: '/repo',
      files: ['requirements-dev.txt'],
      reason: "requirements-dev.txt: the tests' requirements, which include backend/requirements.txt",
    })
  })

  it('adds the base file a test file does not include', () => {
    const fs = memoryFs({ 'manage.py': '', 'requirements.txt': '', 'requirements-test.txt': 'pytest\n' })
    expect(detectDependencies(fs, '/repo', '/repo', 'auto', [])).toMatchObject({
      files: ['requirements-test.txt', 'requirements.txt'],
      reason: "requirements-test.txt: the tests' requirements + requirements.txt",
    })
  })

  it('finds a lock file at the workspace root above the project folder', () => {
    const fs = memoryFs({ 'backend/manage.py': '', 'poetry.lock': '', 'pyproject.toml': '' })
    expect(detectDependencies(fs, '/repo/backend', '/repo', 'auto', [])).toMatchObject({
      manager: 'poetry',
      dir: '/repo',
    })
  })

  it('prefers the project folder over the root', () => {
    const fs = memoryFs({ 'backend/manage.py': '', 'backend/requirements.txt': '', 'uv.lock': '' })
    expect(detectDependencies(fs, '/repo/backend', '/repo', 'auto', [])).toMatchObject({
      manager: 'pip',
      dir: '/repo/backend',
    })
  })

  it('has nothing to install without dependency files, or with install: none', () => {
    expect(detectDependencies(memoryFs({ 'manage.py': '' }), '/repo', '/repo', 'auto', [])).toEqual({
      dir: '/repo',
      files: [],
      reason: 'no dependency files found',
    })
    const fs = memoryFs({ 'requirements.txt': '' })
    expect(detectDependencies(fs, '/repo', '/repo', 'none', []).manager).toBeUndefined()
  })

  it('forces a manager with install, which needs its files', () => {
    const fs = memoryFs({ 'requirements.txt': '', 'pyproject.toml': '' })
    expect(detectDependencies(fs, '/repo', '/repo', 'pip', []).manager).toBe('pip')
    expect(detectDependencies(fs, '/repo', '/repo', 'uv', [])).toMatchObject({
      manager: 'uv',
      files: ['pyproject.toml'],
    })
    expect(() => detectDependencies(memoryFs({}), '/repo', '/repo', 'pipenv', [])).toThrow(
      "Input 'install' is pipenv, but none of its files",
    )
  })

  it('takes requirements as given, checking they exist', () => {
    const fs = memoryFs({ 'ci.txt': '', 'requirements.txt': '' })
    expect(detectDependencies(fs, '/repo', '/repo', 'auto', ['ci.txt'])).toMatchObject({
      manager: 'pip',
      files: ['ci.txt'],
    })
    expect(() => detectDependencies(fs, '/repo', '/repo', 'auto', ['missing.txt'])).toThrow(
      "Input 'requirements' names 'missing.txt', which does not exist in '.'",
    )
    expect(() => detectDependencies(fs, '/repo', '/repo', 'poetry', ['ci.txt'])).toThrow(/for pip/)
  })
})

describe('findRequirements', () => {
  it('is empty without requirement files', () => {
    expect(findRequirements(memoryFs({ 'setup.py': '' }), '/repo')).toEqual([])
  })
})

describe('searchDirs', () => {
  it('walks from the project folder up to the root and no further', () => {
    expect(searchDirs('/repo/a/b', '/repo')).toEqual(['/repo/a/b', '/repo/a', '/repo'])
    expect(searchDirs('/repo', '/repo')).toEqual(['/repo'])
  })
})

describe('usesPytestDjango', () => {
  const none = { dir: '/repo', files: [], reason: '' }
  it.each([
    ['pytest.ini names the settings', { 'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = a.b\n' }, true],
    ['pytest-django is a requirement', { 'requirements.txt': 'Django\npytest-django==4.5\n' }, true],
    [
      'pytest_django in pyproject',
      { 'pyproject.toml': '[project]\ndependencies = ["pytest_django"]\n' },
      true,
    ],
    [
      'plain pytest only',
      { 'requirements.txt': 'Django\npytest\n', 'pytest.ini': '[pytest]\naddopts = -q\n' },
      false,
    ],
    ['nothing', {}, false],
  ])('%s -> %s', (_, files, expected) => {
    expect(usesPytestDjango(memoryFs(files), '/repo', '/repo', none)).toBe(expected)
  })
})
