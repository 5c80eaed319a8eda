import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ExecResult } from '../../../src/lib/process/exec.js'
import type { DbCache } from '../../../src/lib/trivy/db-cache.js'
import {
  parsePythonQualityOptions,
  pythonQualityOutputs,
  runPythonQuality,
  type PythonQualityPorts,
} from '../../../src/python-quality/api.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'
import { fixtures, realRun, repoRoot, SHOWN, type FixtureTool, type Project } from './fixtures.js'

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '', stderrTail: '' })

/** A Trivy report of our own in the shape `trivy fs --format json` writes (schema 2). */
const AUDIT_REPORT = JSON.stringify({
  SchemaVersion: 2,
  ArtifactType: 'repository',
  Results: [
    {
      Target: 'requirements.txt',
      Class: 'lang-pkgs',
      Type: 'pip',
      Vulnerabilities: [
        {
          VulnerabilityID: 'CVE-2021-33203',
          PkgName: 'Django',
          InstalledVersion: '3.2.0',
          FixedVersion: '3.2.4',
          Severity: 'MEDIUM',
          Title: 'Potential directory traversal via admindocs',
          PrimaryURL: 'https://avd.aquasec.com/nvd/cve-2021-33203',
        },
        {
          VulnerabilityID: 'CVE-2022-34265',
          PkgName: 'Django',
          InstalledVersion: '3.2.0',
          FixedVersion: '3.2.14',
          Severity: 'CRITICAL',
          Title: 'SQL injection via Trunc(kind) and Extract(lookup_name)',
        },
      ],
    },
    {
      Target: 'frontend/package-lock.json',
      Class: 'lang-pkgs',
      Type: 'npm',
      Vulnerabilities: [
        { VulnerabilityID: 'CVE-2099-1', PkgName: 'x', InstalledVersion: '1', Severity: 'HIGH' },
      ],
    },
  ],
})

interface World {
  ports: PythonQualityPorts
  io: ReturnType<typeof recordingIO>
  calls: string[]
  cache: { restored: string[]; saved: string[] }
}

/** Fake ports: the interpreter answers with the real outputs of Debian's tools on the fixture project. */
function world(
  project: Project,
  { missing = [] as string[], cachedKey = undefined as string | undefined } = {},
): World {
  const io = recordingIO()
  const calls: string[] = []
  const installed = new Set(
    ['black', 'isort', 'flake8', 'pylint', 'bandit', 'ruff', 'pip'].filter((m) => !missing.includes(m)),
  )
  const cache = { restored: [] as string[], saved: [] as string[] }
  const dbCache = (): DbCache => ({
    restore: async (_paths, key) => {
      cache.restored.push(key)
      return cachedKey
    },
    save: async (_paths, key) => void cache.saved.push(key),
  })
  const ports: PythonQualityPorts = {
    io,
    env: {},
    now: () => Date.parse('2026-03-04T05:06:07Z'),
    homeDir: mkdtempSync(join(tmpdir(), 'pq-home-')),
    platform: 'linux',
    dbCache,
    installTrivy: async (version) => {
      calls.push(`install trivy ${version}`)
      return '/opt/trivy'
    },
    exec: async (command, args, options) => {
      calls.push([command, ...args].join(' '))
      if (command === '/opt/trivy') {
        const output = args[args.indexOf('--output') + 1] ?? ''
        writeFileSync(output, AUDIT_REPORT)
        return ok()
      }
      if (args[0] === '-c')
        return ok(
          args
            .slice(2)
            .filter((m) => !installed.has(m))
            .map((m) => `${m}\n`)
            .join(''),
        )
      const module = args[1] ?? ''
      if (!installed.has(module))
        return { exitCode: 1, stdout: '', stderr: `No module named ${module}`, stderrTail: '' }
      if (module === 'pip') {
        for (const name of args.slice(3)) installed.add(name)
        return ok('Successfully installed')
      }
      expect(options?.cwd).toBe(join(fixtures, project))
      // The real outputs name the folder the fixture script ran the tools in; here it is cwd.
      const run = realRun(project, module as FixtureTool)
      const here = (text: string) => text.split(SHOWN).join(options?.cwd ?? '')
      return { ...run, stdout: here(run.stdout), stderr: here(run.stderr) }
    },
  }
  return { ports, io, calls, cache }
}

const workspace = resolve(fixtures, '..', '..', '..')
function options(project: Project, inputs: Record<string, string> = {}) {
  const temp = mkdtempSync(join(tmpdir(), 'pq-run-'))
  return parsePythonQualityOptions(
    inputsOf({ 'working-directory': `test/fixtures/python-quality/${project}`, 'trivy-path': '', ...inputs }),
    { env: { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: temp }, cwd: '/', tempDir: temp, platform: 'linux' },
  )
}

describe('runPythonQuality on the findings project', () => {
  it('runs each configured tool, then the audit, and fails the gate with counts by tool', async () => {
    const { ports, io, calls } = world('findings')
    const result = await runPythonQuality(ports, options('findings'))
    expect(calls.slice(1)).toEqual([
      'python3 -m black --check --diff --no-color .',
      'python3 -m isort --check-only --diff .',
      'python3 -m flake8 --format %(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s .',
      'python3 -m pylint --output-format=json --recursive=y .',
      'python3 -m bandit -r . -f json -q',
      'install trivy 0.67.2',
      expect.stringMatching(
        /^\/opt\/trivy fs --scanners vuln --format json --output \S+ --cache-dir \S+ --quiet \.$/,
      ),
    ])
    expect(pythonQualityOutputs(result)).toEqual({
      findings: '{"black":1,"isort":1,"flake8":5,"pylint":4,"bandit":4,"audit":2}',
      'sarif-file': result.sarifFile,
    })
    expect(result.failure).toBe(
      "17 findings fail the gate ('fail-on: any'): black 1, isort 1, flake8 5, pylint 4, bandit 4, audit 2; see the annotations and the job summary",
    )
    expect(io.groups).toEqual([
      'Run black',
      'Run isort',
      'Run flake8',
      'Run pylint',
      'Run bandit',
      'Audit dependencies with Trivy',
    ])
  })

  it('annotates the 9 most severe failing findings at their lines, paths from the workspace root', async () => {
    const { ports, io } = world('findings')
    const result = await runPythonQuality(ports, options('findings'))
    expect(result.annotations).toHaveLength(9)
    expect(result.annotations[0]).toEqual({
      message:
        'CVE-2022-34265: Django 3.2.0: fixed in 3.2.14 — SQL injection via Trunc(kind) and Extract(lookup_name)',
      props: {
        title: 'audit (critical)',
        file: 'test/fixtures/python-quality/findings/requirements.txt',
        startLine: undefined,
        startColumn: undefined,
      },
    })
    expect(result.annotations[1]?.props).toEqual({
      title: 'flake8 (high)',
      file: 'test/fixtures/python-quality/findings/shop/orders.py',
      startLine: 2,
      startColumn: 1,
    })
    expect(io.annotations).toEqual([])
    expect(result.summary).toContain('8 failing finding(s) are not annotated')
  })

  it('gates per tool and severity: findings under it become warnings, at most 10', async () => {
    const { ports, io } = world('findings')
    const result = await runPythonQuality(
      ports,
      options('findings', { 'fail-on': 'bandit:medium,audit:high,flake8' }),
    )
    expect(result.failing).toBe(2 + 1 + 5)
    expect(result.failure).toMatch(
      /^8 findings fail the gate \('fail-on: bandit:medium,audit:high,flake8'\): flake8 5, bandit 2, audit 1;/,
    )
    expect(result.annotations.map((a) => a.props?.title)).toEqual([
      'audit (critical)',
      'flake8 (high)',
      'flake8 (high)',
      'flake8 (high)',
      'bandit (high)',
      'bandit (medium)',
      'flake8 (low)',
      'flake8 (low)',
    ])
    expect(io.annotations.map((a) => a.level)).toEqual(Array(9).fill('warning'))
    expect(io.annotations[0]).toMatchObject({
      message: expect.stringMatching(/^E0602: /),
      props: { title: 'pylint (high)' },
    })
  })

  it('reports only with fail-on none, and writes one SARIF run per tool', async () => {
    const { ports, io } = world('findings')
    const result = await runPythonQuality(ports, options('findings', { 'fail-on': 'none' }))
    expect(result.failure).toBeUndefined()
    expect(io.annotations).toHaveLength(10)
    const sarif = JSON.parse(readFileSync(result.sarifFile, 'utf8')) as {
      runs: {
        tool: { driver: { name: string } }
        results: { ruleId: string; level: string; locations: unknown[] }[]
      }[]
    }
    expect(sarif.runs.map((r) => `${r.tool.driver.name}:${r.results.length}`)).toEqual([
      'black:1',
      'isort:1',
      'flake8:5',
      'pylint:4',
      'bandit:4',
      'Trivy:2',
    ])
    expect(sarif.runs[4]?.results.find((r) => r.ruleId === 'B602')).toMatchObject({
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'test/fixtures/python-quality/findings/shop/orders.py' },
            region: { startLine: 15 },
          },
        },
      ],
    })
  })

  it('writes a summary: a table by tool, the top findings, the formatters diffs', async () => {
    const { ports } = world('findings')
    const { summary } = await runPythonQuality(ports, options('findings', { 'fail-on': 'bandit:medium' }))
    expect(summary).toContain('### Python quality: failed')
    expect(summary).toContain('| bandit | .bandit | 4 | 2 |')
    expect(summary).toContain('| audit | requirements.txt | 2 | 0 |')
    expect(summary).toContain('#### Top findings')
    expect(summary).toMatch(
      /\| ❌ \| bandit \| high \| `test\/fixtures\/python-quality\/findings\/shop\/orders.py:15` \| \[B602\]\(https:/,
    )
    expect(summary).toContain('<details><summary>black: shop/orders.py</summary>')
    expect(summary).toContain('+import sys')
  })

  it('restores the Trivy database before the audit and saves it only when today was not restored (run twice)', async () => {
    const first = world('findings')
    await runPythonQuality(first.ports, options('findings'))
    expect(first.cache).toEqual({
      restored: ['trivy-db-linux-2026-03-04'],
      saved: ['trivy-db-linux-2026-03-04'],
    })
    const second = world('findings', { cachedKey: 'trivy-db-linux-2026-03-04' })
    await runPythonQuality(second.ports, options('findings'))
    expect(second.cache).toEqual({ restored: ['trivy-db-linux-2026-03-04'], saved: [] })
  })

  // The audit and build-and-scan-image's scan run Trivy through lib/trivy/scan.ts: a Trivy that
  // failed (a database download cut off, say) leaves today's cache entry unwritten, so a broken
  // database is not what every later run of the day restores. The audit once saved it anyway.
  it('saves no Trivy database when Trivy failed, and says what it could not audit', async () => {
    const { ports, cache } = world('findings')
    const exec = ports.exec
    ports.exec = async (command, args, opts) =>
      command === '/opt/trivy'
        ? { exitCode: 1, stdout: '', stderr: 'FATAL\tdb download failed', stderrTail: '' }
        : exec(command, args, opts)
    const result = await runPythonQuality(ports, options('findings', { 'fail-on': 'none' }))
    expect(cache).toEqual({ restored: ['trivy-db-linux-2026-03-04'], saved: [] })
    expect(result.failure).toBe(
      'Trivy could not audit requirements.txt (exit code 1): FATAL\tdb download failed',
    )
  })
})

describe('runPythonQuality on the clean project', () => {
  it('passes with zero counts for each tool that ran and no annotation', async () => {
    const { ports, io, calls } = world('clean')
    const result = await runPythonQuality(ports, options('clean'))
    expect(result.failure).toBeUndefined()
    expect(pythonQualityOutputs(result).findings).toBe(
      '{"black":0,"isort":0,"flake8":0,"pylint":0,"bandit":0}',
    )
    expect(calls.some((c) => c.includes('trivy'))).toBe(false)
    expect(io.annotations).toEqual([])
    expect(result.summary).toContain('### Python quality: passed, 0 finding(s) under the gate')
  })
})

describe('missing tools', () => {
  it('fails before any tool runs, naming each, where it is configured and how to install it', async () => {
    const { ports, calls } = world('findings', { missing: ['pylint', 'bandit'] })
    await expect(runPythonQuality(ports, options('findings'))).rejects.toThrow(
      'Not installed for python3: pylint (configured in pyproject.toml [tool.pylint]), bandit (configured in .bandit). ' +
        'Install them (python3 -m pip install pylint bandit, or on Debian/Ubuntu apt-get install pylint python3-bandit), ' +
        "or set 'install: true' to pip-install the missing tools",
    )
    expect(calls).toEqual([
      expect.stringMatching(/^python3 -c import importlib\.util, sys\n.* black isort flake8 pylint bandit$/s),
    ])
  })

  it('pip-installs the missing ones with install: true, then runs them', async () => {
    const { ports, calls } = world('findings', { missing: ['pylint', 'bandit'] })
    const result = await runPythonQuality(ports, options('findings', { install: 'true' }))
    expect(calls).toContain('python3 -m pip install pylint bandit')
    expect(result.counts).toMatchObject({ pylint: 4, bandit: 4 })
  })

  it('says when the interpreter itself fails, naming python', async () => {
    const { ports } = world('findings')
    ports.exec = async () => ({
      exitCode: 1,
      stdout: '',
      stderr: 'Fatal Python error: init_fs_encoding',
      stderrTail: '',
    })
    await expect(runPythonQuality(ports, options('findings'))).rejects.toThrow(
      "Input 'python' is python3, which cannot be run: exit code 1: Fatal Python error: init_fs_encoding",
    )
  })

  it('says which interpreter cannot be run, naming python', async () => {
    const { ports } = world('findings')
    ports.exec = async (command) => {
      throw new Error(`Cannot run '${command}': it is not installed or not on PATH`)
    }
    await expect(runPythonQuality(ports, options('findings', { python: 'python3.99' }))).rejects.toThrow(
      "Input 'python' is python3.99, which cannot be run: Cannot run 'python3.99': it is not installed or not on PATH",
    )
  })
})

describe('a tool that cannot run', () => {
  it('fails the step whatever fail-on says, with its last output lines, and the others still report', async () => {
    const { ports } = world('findings')
    const exec = ports.exec
    ports.exec = async (command, args, opts) =>
      args[1] === 'flake8'
        ? { exitCode: 1, stdout: '', stderr: 'Traceback\nValueError: bad config', stderrTail: '' }
        : exec(command, args, opts)
    const flaky = await runPythonQuality(ports, options('findings', { 'fail-on': 'none', audit: 'false' }))
    expect(flaky.failure).toBeUndefined()
    ports.exec = async (command, args, opts) =>
      args[1] === 'flake8'
        ? { exitCode: 2, stdout: '', stderr: 'Traceback\nValueError: bad config', stderrTail: '' }
        : exec(command, args, opts)
    const result = await runPythonQuality(ports, options('findings', { 'fail-on': 'none', audit: 'false' }))
    expect(result.failure).toBe('flake8 failed (exit code 2): Traceback\nValueError: bad config')
    expect(result.counts).toEqual({ black: 1, isort: 1, pylint: 4, bandit: 4 })
    expect(result.summary).toContain('| flake8 | .flake8 | could not run |')
  })
})

describe('the audit report', () => {
  const shared = resolve(repoRoot, '../shared/fixtures/trivy/pip.json')
  const sharedIt = existsSync(shared) ? it : it.skip

  sharedIt(
    "reads Trivy's own pip golden report (the package, installed and fixed versions, the advisory)",
    async () => {
      const { parseAuditReport } = await import('../../../src/python-quality/audit-report.js')
      const findings = parseAuditReport(readFileSync(shared, 'utf8'), ['requirements.txt'])
      expect(findings.map((f) => `${f.code} ${f.severity} ${f.message.split(' — ')[0]}`)).toEqual([
        'CVE-2019-14806 high Werkzeug 0.11: fixed in 0.15.3',
        'CVE-2020-28724 medium Werkzeug 0.11: fixed in 0.11.6',
      ])
    },
  )

  it('keeps only the audited files and refuses another schema', async () => {
    const { parseAuditReport } = await import('../../../src/python-quality/audit-report.js')
    expect(parseAuditReport(AUDIT_REPORT, ['requirements.txt']).map((f) => f.code)).toEqual([
      'CVE-2021-33203',
      'CVE-2022-34265',
    ])
    expect(() => parseAuditReport('{"SchemaVersion":1}', [])).toThrow(
      /schema version 1; this action reads version 2/,
    )
  })

  it('tells Trivy about requirements files with other names', async () => {
    const { trivyFsArgv } = await import('../../../src/python-quality/audit.js')
    expect(trivyFsArgv(['requirements-dev.txt', 'requirements.txt'], '/r.json', '/c')).toEqual([
      'fs',
      '--scanners',
      'vuln',
      '--format',
      'json',
      '--output',
      '/r.json',
      '--cache-dir',
      '/c',
      '--quiet',
      '--file-patterns',
      'pip:requirements.*\\.txt',
      '.',
    ])
    expect(trivyFsArgv(['poetry.lock'], '/r.json', '/c')).not.toContain('--file-patterns')
  })
})

describe('a project that configures no tool', () => {
  it('warns, naming tools, and still audits its requirements', async () => {
    const dir = mkdtempSync(join(workspace, 'test', 'fixtures', 'python-quality', 'tmp-'))
    try {
      writeFileSync(join(dir, 'requirements.txt'), 'Django==3.2.0\n')
      const { ports, io, calls } = world('findings')
      const parsed = parsePythonQualityOptions(inputsOf({ 'working-directory': dir, 'fail-on': 'none' }), {
        env: { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: dir },
        cwd: '/',
        tempDir: dir,
        platform: 'linux',
      })
      const result = await runPythonQuality(ports, parsed)
      expect(io.annotations[0]).toEqual({
        level: 'warning',
        message: expect.stringMatching(
          /^No tool is configured in test\/fixtures\/python-quality\/tmp-\w+ .*: list the tools to run in 'tools'$/,
        ),
        props: undefined,
      })
      expect(calls.filter((c) => c.startsWith('python3'))).toEqual([])
      expect(result.counts).toEqual({ audit: 2 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
