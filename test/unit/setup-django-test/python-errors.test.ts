import {
  causeOf,
  lastException,
  parseCheckIssues,
  parseTracebacks,
  settingsImportFailure,
  testDatabaseError,
} from '../../../src/setup-django-test/python-errors.js'

// `manage.py check` with Debian's Django 3.2 / Python 3.11 and a settings module importing a
// package that is not installed (shortened; the second traceback is how Django re-raises it).
const SETTINGS_IMPORT = `Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/django/conf/__init__.py", line 170, in __init__
    mod = importlib.import_module(self.SETTINGS_MODULE)
          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/importlib/__init__.py", line 126, in import_module
    return _bootstrap._gcd_import(name[level:], package, level)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "<frozen importlib._bootstrap>", line 1206, in _gcd_import
  File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed
  File "/w/app/mysite/settings.py", line 9, in <module>
    import environ
ModuleNotFoundError: No module named 'environ'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/w/app/manage.py", line 15, in <module>
    main()
  File "/usr/lib/python3/dist-packages/django/core/management/base.py", line 367, in run_from_argv
    connections.close_all()
ModuleNotFoundError: No module named 'environ'
`

const inProject = (file: string) => file.startsWith('/w/') && !file.includes('-packages/')

describe('parseTracebacks', () => {
  it('reads each block with its frames and exception', () => {
    const blocks = parseTracebacks(SETTINGS_IMPORT)
    expect(blocks).toHaveLength(2)
    expect(blocks[0]?.exception).toBe("ModuleNotFoundError: No module named 'environ'")
    expect(blocks[0]?.frames.map((f) => `${f.file}:${f.line}`)).toEqual([
      '/usr/lib/python3/dist-packages/django/conf/__init__.py:170',
      '/usr/lib/python3.11/importlib/__init__.py:126',
      '<frozen importlib._bootstrap>:1206',
      '<frozen importlib._bootstrap>:241',
      '/w/app/mysite/settings.py:9',
    ])
    expect(blocks[0]?.frames[0]?.code).toBe('mod = importlib.import_module(self.SETTINGS_MODULE)')
    expect(lastException(SETTINGS_IMPORT)).toBe("ModuleNotFoundError: No module named 'environ'")
  })
})

describe('settingsImportFailure', () => {
  it('finds the import of the settings module and the project line that raised', () => {
    expect(settingsImportFailure(SETTINGS_IMPORT, inProject)).toEqual({
      exception: "ModuleNotFoundError: No module named 'environ'",
      frame: { file: '/w/app/mysite/settings.py', line: 9, func: '<module>', code: 'import environ' },
    })
  })

  it('has no frame when the module itself does not exist', () => {
    const missing = `Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/django/conf/__init__.py", line 170, in __init__
    mod = importlib.import_module(self.SETTINGS_MODULE)
  File "<frozen importlib._bootstrap>", line 1142, in _find_and_load_unlocked
ModuleNotFoundError: No module named 'mysite.settingz'`
    expect(settingsImportFailure(missing, inProject)).toEqual({
      exception: "ModuleNotFoundError: No module named 'mysite.settingz'",
    })
  })

  it('is undefined for other failures', () => {
    const other = `Traceback (most recent call last):
  File "/w/app/notes/models.py", line 3, in <module>
    x = 1 / 0
ZeroDivisionError: division by zero`
    expect(settingsImportFailure(other, inProject)).toBeUndefined()
  })
})

describe('parseCheckIssues', () => {
  it('reads the id, level, object and message of each system check line', () => {
    const output = [
      'WARNINGS:',
      'notes.Note: (models.W042) Auto-created primary key used.',
      '\tHINT: Configure the DEFAULT_AUTO_FIELD setting.',
      '?: (security.W004) You have not set a value for the SECURE_HSTS_SECONDS setting.',
      'ERRORS:',
      "shop.Order.total: (fields.E130) DecimalFields must define a 'decimal_places' attribute.",
    ].join('\n')
    expect(parseCheckIssues(output)).toEqual([
      {
        object: 'notes.Note',
        id: 'models.W042',
        level: 'warning',
        message: 'Auto-created primary key used.',
      },
      {
        object: '?',
        id: 'security.W004',
        level: 'warning',
        message: 'You have not set a value for the SECURE_HSTS_SECONDS setting.',
      },
      {
        object: 'shop.Order.total',
        id: 'fields.E130',
        level: 'error',
        message: "DecimalFields must define a 'decimal_places' attribute.",
      },
    ])
  })
})

describe('causes', () => {
  it("reads Django's test database error", () => {
    expect(
      testDatabaseError(
        "Creating test database for alias 'default'...\nGot an error creating the test database: permission denied to create database\n",
      ),
    ).toBe('permission denied to create database')
  })

  it.each([
    ['AssertionError: 1 != 2', '', 'AssertionError: 1 != 2'],
    [
      'failed on setup with "SystemExit: 2"',
      'E               psycopg2.errors.InsufficientPrivilege: permission denied to create database\n\n/usr/lib/x.py:82: InsufficientPrivilege\nE   SystemExit: 2',
      'psycopg2.errors.InsufficientPrivilege: permission denied to create database',
    ],
    ['failed on setup with "KeyError: \'x\'"', '', "KeyError: 'x'"],
    [
      'SystemExit: 2',
      'Traceback (most recent call last):\n  File "/w/x.py", line 1, in f\ndjango.db.utils.OperationalError: could not connect to server\nSystemExit: 2',
      'django.db.utils.OperationalError: could not connect to server',
    ],
    ['failed on setup with "SystemExit: 2"', 'nothing useful', 'SystemExit: 2'],
  ])('the cause of %j', (message, detail, cause) => {
    expect(causeOf(message, detail)).toBe(cause)
  })
})
