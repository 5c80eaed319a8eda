import { cacheKey, installPlan } from '../../../src/setup-django-test/install.js'

const base = { dir: '/repo', reason: '' }

describe('installPlan', () => {
  it.each([
    [
      'pip',
      ['requirements-dev.txt', 'requirements.txt'],
      undefined,
      [['-m', 'pip', 'install', '-r', 'requirements-dev.txt', '-r', 'requirements.txt']],
      { PIP_CACHE_DIR: '/c/pip/pip' },
    ],
    [
      'poetry',
      ['poetry.lock'],
      'poetry',
      [['-m', 'poetry', 'install', '--no-interaction', '--no-root']],
      { POETRY_VIRTUALENVS_CREATE: 'false', POETRY_CACHE_DIR: '/c/poetry/poetry' },
    ],
    [
      'pipenv',
      ['Pipfile.lock', 'Pipfile'],
      'pipenv',
      [['-m', 'pipenv', 'install', '--system', '--dev', '--deploy']],
      { PIPENV_CACHE_DIR: '/c/pipenv/pipenv' },
    ],
    ['pipenv', ['Pipfile'], 'pipenv', [['-m', 'pipenv', 'install', '--system', '--dev']], {}],
    [
      'uv',
      ['uv.lock', 'pyproject.toml'],
      'uv',
      [
        [
          '-m',
          'uv',
          'export',
          '--frozen',
          '--no-hashes',
          '--no-emit-project',
          '--format',
          'requirements-txt',
          '-o',
          '/t/uv-requirements.txt',
        ],
        ['-m', 'uv', 'pip', 'install', '--python', '/py/bin/python', '-r', '/t/uv-requirements.txt'],
      ],
      { UV_CACHE_DIR: '/c/uv/uv' },
    ],
    [
      'uv',
      ['pyproject.toml'],
      'uv',
      [['-m', 'uv', 'pip', 'install', '--python', '/py/bin/python', '-r', 'pyproject.toml', '--all-extras']],
      {},
    ],
  ] as const)('%s with %j', (manager, files, tool, steps, env) => {
    const plan = installPlan({ ...base, manager, files: [...files] }, '/py/bin/python', '/c', '/t')
    expect(plan.tool).toBe(tool)
    expect(plan.cacheDir).toBe(`/c/${manager}`)
    expect(plan.steps.map((s) => s.args)).toEqual(steps)
    for (const step of plan.steps) expect(step.env).toMatchObject(env)
  })
})

describe('cacheKey', () => {
  const parts = { os: 'Linux', arch: 'x64', pythonVersion: '3.12.1', manager: 'pip' as const }

  it('is keyed by OS, arch, Python version, manager and the files', () => {
    const { key, restoreKeys } = cacheKey(parts, [{ name: 'requirements.txt', text: 'Django==5.0\n' }])
    expect(key).toMatch(/^setup-django-test-Linux-x64-py3\.12\.1-pip-[0-9a-f]{32}$/)
    expect(restoreKeys).toEqual(['setup-django-test-Linux-x64-py3.12.1-pip-'])
  })

  it('changes when a file or the Python version changes, not otherwise', () => {
    const files = [{ name: 'requirements.txt', text: 'Django==5.0\n' }]
    const key = cacheKey(parts, files).key
    expect(cacheKey(parts, [{ name: 'requirements.txt', text: 'Django==5.0\n' }]).key).toBe(key)
    expect(cacheKey(parts, [{ name: 'requirements.txt', text: 'Django==5.1\n' }]).key).not.toBe(key)
    expect(cacheKey({ ...parts, pythonVersion: '3.12.2' }, files).key).not.toBe(key)
  })
})
