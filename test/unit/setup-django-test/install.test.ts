import { cacheFolder, installPlan, lockFilesHash } from '../../../src/setup-django-test/install.js'

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

describe('lockFilesHash', () => {
  it('changes when a file name or its text changes, not otherwise', () => {
    const files = [{ name: 'requirements.txt', text: 'Django==5.0\n' }]
    const hash = lockFilesHash(files)
    expect(hash).toMatch(/^[0-9a-f]{32}$/)
    expect(lockFilesHash([{ name: 'requirements.txt', text: 'Django==5.0\n' }])).toBe(hash)
    expect(lockFilesHash([{ name: 'requirements.txt', text: 'Django==5.1\n' }])).not.toBe(hash)
    expect(lockFilesHash([{ name: 'requirements-dev.txt', text: 'Django==5.0\n' }])).not.toBe(hash)
  })

  it('names the folder installPlan points the manager at', () => {
    const plan = installPlan(
      { manager: 'uv', dir: '/p', files: ['uv.lock'], reason: 'uv.lock' },
      '/py',
      '/c',
      '/t',
    )
    expect(cacheFolder('/c', 'uv')).toBe(plan.cacheDir)
  })
})
