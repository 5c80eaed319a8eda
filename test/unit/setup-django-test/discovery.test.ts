import { ConfigurationError } from '../../../src/lib/errors.js'
import { findProjectDir, findSettingsModule } from '../../../src/setup-django-test/discovery.js'
import { memoryFs } from './memory-fs.js'

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'

describe('findProjectDir', () => {
  it.each([
    ['at the root', { 'manage.py': MANAGE }, '/repo'],
    ['one level down', { 'backend/manage.py': MANAGE, 'README.md': '' }, '/repo/backend'],
    ['two levels down', { 'services/api/manage.py': MANAGE }, '/repo/services/api'],
    ['the shallowest wins', { 'manage.py': MANAGE, 'docs/example/manage.py': MANAGE }, '/repo'],
    [
      'virtualenvs and node_modules are skipped',
      {
        '.venv/lib/manage.py': MANAGE,
        'venv/manage.py': MANAGE,
        'node_modules/x/manage.py': MANAGE,
        'pyenv/pyvenv.cfg': 'home = /usr',
        'pyenv/x/manage.py': MANAGE,
        'app/manage.py': MANAGE,
      },
      '/repo/app',
    ],
  ])('finds manage.py %s', (_, files, expected) => {
    expect(findProjectDir(memoryFs(files), '/repo', undefined)).toBe(expected)
  })

  it('does not look three levels down', () => {
    expect(() => findProjectDir(memoryFs({ 'a/b/c/manage.py': MANAGE }), '/repo', undefined)).toThrow(
      /No manage.py found.*set 'working-directory'/,
    )
  })

  it('names both folders when two are equally deep', () => {
    expect(() =>
      findProjectDir(memoryFs({ 'one/manage.py': MANAGE, 'two/manage.py': MANAGE }), '/repo', undefined),
    ).toThrow("Found manage.py in several folders (one, two); set 'working-directory' to one of them")
  })

  it('uses working-directory, which must hold manage.py', () => {
    const fs = memoryFs({ 'a/manage.py': MANAGE, 'b/manage.py': MANAGE })
    expect(findProjectDir(fs, '/repo', 'b')).toBe('/repo/b')
    expect(() => findProjectDir(fs, '/repo', 'c')).toThrow(ConfigurationError)
    expect(() => findProjectDir(fs, '/repo', 'c')).toThrow(
      "Input 'working-directory' is 'c', but there is no manage.py in it",
    )
  })
})

describe('findSettingsModule', () => {
  const dir = '/repo'
  it.each([
    [
      'the input first',
      { 'manage.py': MANAGE },
      'cfg.test',
      'env.settings',
      { module: 'cfg.test', source: 'input' },
    ],
    [
      'then the environment',
      { 'manage.py': MANAGE },
      undefined,
      'env.settings',
      { module: 'env.settings', source: 'environment' },
    ],
    [
      'then manage.py',
      { 'manage.py': MANAGE },
      undefined,
      undefined,
      { module: 'mysite.settings', source: 'manage.py' },
    ],
    [
      'manage.py with single quotes and spaces',
      { 'manage.py': "os.environ.setdefault( 'DJANGO_SETTINGS_MODULE' , 'proj.settings.ci' )" },
      undefined,
      undefined,
      { module: 'proj.settings.ci', source: 'manage.py' },
    ],
    [
      'then pytest.ini',
      { 'manage.py': '', 'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = a.settings\n' },
      undefined,
      undefined,
      { module: 'a.settings', source: 'pytest.ini' },
    ],
    [
      'then pyproject.toml',
      {
        'manage.py': '',
        'pyproject.toml':
          '[tool.black]\nline-length = 100\n\n[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "b.settings"  # ci\n',
      },
      undefined,
      undefined,
      { module: 'b.settings', source: 'pyproject.toml' },
    ],
    [
      'then setup.cfg',
      {
        'manage.py': '',
        'setup.cfg': '[flake8]\nmax-line-length = 100\n[tool:pytest]\nDJANGO_SETTINGS_MODULE=c.settings\n',
      },
      undefined,
      undefined,
      { module: 'c.settings', source: 'setup.cfg' },
    ],
  ])('takes %s', (_, files, input, env, expected) => {
    expect(findSettingsModule(memoryFs(files), dir, input, env)).toEqual(expected)
  })

  it('ignores a key in another section', () => {
    const fs = memoryFs({ 'manage.py': '', 'setup.cfg': '[other]\nDJANGO_SETTINGS_MODULE = x.y\n' })
    expect(() => findSettingsModule(fs, dir, undefined, undefined)).toThrow(/set 'settings-module'/)
  })

  it('rejects a settings-module input that is not a module path', () => {
    expect(() => findSettingsModule(memoryFs({}), dir, 'my-site/settings.py', undefined)).toThrow(
      "Input 'settings-module' must be a dotted Python module path like mysite.settings (got 'my-site/settings.py')",
    )
  })
})
