import { findCoverageConfig } from '../../../src/setup-django-test/coverage-config.js'
import { installFailureMessage } from '../../../src/setup-django-test/install-errors.js'
import { memoryFs } from './memory-fs.js'

describe('findCoverageConfig', () => {
  it.each([
    [{}, undefined],
    [{ '.coveragerc': '' }, { file: '.coveragerc', choosesFiles: false }],
    [{ '.coveragerc': '[run]\nsource =\n    notes\n' }, { file: '.coveragerc', choosesFiles: true }],
    [{ 'setup.cfg': '[flake8]\nmax-line-length = 99\n' }, undefined],
    [{ 'setup.cfg': '[coverage:run]\nbranch = True\n' }, { file: 'setup.cfg', choosesFiles: false }],
    [{ 'tox.ini': '[coverage:run]\ninclude = app/*\n' }, { file: 'tox.ini', choosesFiles: true }],
    [
      { 'pyproject.toml': '[tool.coverage.run]\nsource_pkgs = ["app"]\n' },
      { file: 'pyproject.toml', choosesFiles: true },
    ],
    [
      { 'pyproject.toml': '[tool.coverage.report]\nprecision = 1\n' },
      { file: 'pyproject.toml', choosesFiles: false },
    ],
    // coverage.py reads one file: .coveragerc wins even when setup.cfg names a source.
    [
      { '.coveragerc': '[report]\nprecision = 2\n', 'setup.cfg': '[coverage:run]\nsource = app\n' },
      { file: '.coveragerc', choosesFiles: false },
    ],
  ])('%j', (files, expected) => {
    expect(findCoverageConfig(memoryFs(files), '/repo')).toEqual(expected)
  })

  it('reads COVERAGE_RCFILE when it is set, as coverage.py does', () => {
    const fs = memoryFs({ 'ci/coverage.ini': '[run]\nsource = app\n', 'setup.cfg': '[coverage:run]\n' })
    expect(findCoverageConfig(fs, '/repo', { COVERAGE_RCFILE: '/repo/ci/coverage.ini' })).toEqual({
      file: '/repo/ci/coverage.ini',
      choosesFiles: true,
    })
  })
})

// pip 23 on Debian 12's system Python (PEP 668), as it prints it.
const PEP_668 = `error: externally-managed-environment

× This environment is externally managed
╰─> To install Python packages system-wide, try apt install
    python3-xyz, where xyz is the package you are trying to
    install.

    See /usr/share/doc/python3.11/README.venv for more information.

note: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.
hint: See PEP 668 for the detailed specification.
`

describe('installFailureMessage', () => {
  it("keeps pip's reason line and says how to get past PEP 668", () => {
    const message = installFailureMessage('pip install', 1, PEP_668)
    expect(message.split('\n').slice(0, 2)).toEqual([
      'Dependency installation failed (pip install, exit code 1):',
      'error: externally-managed-environment',
    ])
    expect(message).toContain('hint: See PEP 668 for the detailed specification.')
    expect(message).toMatch(/'install: none'.*virtualenv.*PIP_BREAK_SYSTEM_PACKAGES=1/s)
  })

  it('keeps every ERROR line with the last lines, in order', () => {
    const output =
      'Looking in indexes: x\nCollecting Djangoo\nERROR: Could not find a version that satisfies the requirement Djangoo\nERROR: No matching distribution found for Djangoo\n'
    expect(installFailureMessage('pip install', 1, output)).toBe(
      'Dependency installation failed (pip install, exit code 1):\nCollecting Djangoo\nERROR: Could not find a version that satisfies the requirement Djangoo\nERROR: No matching distribution found for Djangoo',
    )
  })
})
