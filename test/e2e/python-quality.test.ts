import { createHash } from 'node:crypto'
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DEBIAN_PYTHON, requireCommand } from '../helpers/prerequisites.js'
import { repoRoot } from '../helpers/run-action.js'
import { runStep, type StepOptions } from '../helpers/run-step.js'

// The bundle runs as a step against Debian's real black, isort, flake8, pylint and bandit on the
// fixture projects (copied into a scratch workspace). Trivy cannot be downloaded here: a stand-in
// given by trivy-path reads the requirements file Trivy is pointed at and reports Django 3.2.0.
const root = repoRoot()
const TOOLS = [
  ['black', 'black'],
  ['isort', 'isort'],
  ['flake8', 'flake8'],
  ['pylint', 'pylint'],
  ['bandit', 'python3-bandit'],
] as const

const STANDIN_TRIVY = `#!/bin/sh
# Stand-in trivy fs: requirements.txt of the folder scanned must pin Django 3.2.0 for a finding.
out=""; cmd="$1"
while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; *) last="$1"; shift ;; esac; done
[ "$cmd" = fs ] || { echo "expected trivy fs, got $cmd" >&2; exit 2; }
echo "$(pwd)" >> "$STANDIN_TRIVY_LOG"
vulns=""
if grep -q '^Django==3.2.0$' "$last/requirements.txt" 2>/dev/null; then
  vulns='{"VulnerabilityID": "CVE-2022-34265", "PkgName": "Django", "InstalledVersion": "3.2.0", "FixedVersion": "3.2.14, 4.0.6", "Severity": "CRITICAL", "Title": "SQL injection via Trunc(kind) and Extract(lookup_name)", "PrimaryURL": "https://avd.aquasec.com/nvd/cve-2022-34265"}'
fi
cat > "$out" <<JSON
{"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "repository",
 "Results": [{"Target": "requirements.txt", "Class": "lang-pkgs", "Type": "pip", "Vulnerabilities": [$vulns]}]}
JSON
`

let workspace: string
let trivyLog: string

beforeAll(() => {
  // Fails (never skips) when a tool is missing: scripts/e2e/setup.sh installs Debian's packages.
  for (const [module, pkg] of TOOLS)
    requireCommand(DEBIAN_PYTHON, ['-m', module, '--version'], `Debian's ${pkg}`)
  workspace = mkdtempSync(join(tmpdir(), 'pq-e2e-'))
  cpSync(join(root, 'test', 'fixtures', 'python-quality', 'findings'), join(workspace, 'findings'), {
    recursive: true,
  })
  cpSync(join(root, 'test', 'fixtures', 'python-quality', 'clean'), join(workspace, 'clean'), {
    recursive: true,
  })
  writeFileSync(join(workspace, 'trivy'), STANDIN_TRIVY)
  chmodSync(join(workspace, 'trivy'), 0o755)
  trivyLog = join(workspace, 'trivy.log')
  writeFileSync(trivyLog, '')
})

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true })
})

const job = (): StepOptions => ({ cwd: workspace, env: { STANDIN_TRIVY_LOG: trivyLog }, timeoutMs: 120_000 })

/** Every file of a folder with its SHA-256: the tools only check, nothing in the checkout changes. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name)
      if (statSync(path).isDirectory()) walk(path)
      else files[path.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(path)).digest('hex')
    }
  }
  walk(dir)
  return files
}

describe('python-quality with Debian’s tools', () => {
  it('finds every kind of finding, fails the gate, annotates verdict first and changes nothing, twice', async () => {
    const before = snapshot(join(workspace, 'findings'))
    const inputs = {
      'working-directory': 'findings',
      python: DEBIAN_PYTHON,
      'trivy-path': 'trivy',
      'sarif-file': 'quality.sarif',
    }
    const first = await runStep('python-quality', inputs, job())
    expect(first.exitCode).toBe(1)
    expect(JSON.parse(first.outputs.findings ?? '')).toEqual({
      black: 1,
      isort: 1,
      flake8: 5,
      pylint: 4,
      bandit: 4,
      audit: 1,
    })
    expect(first.errors[0]).toBe(
      "16 findings fail the gate ('fail-on: any'): black 1, isort 1, flake8 5, pylint 4, bandit 4, audit 1; see the annotations and the job summary",
    )
    expect(first.errors).toHaveLength(10)
    expect(first.errors[1]).toBe(
      'CVE-2022-34265: Django 3.2.0: fixed in 3.2.14, 4.0.6 — SQL injection via Trunc(kind) and Extract(lookup_name)',
    )
    expect(first.stdout).toMatch(
      /::error title=bandit \(high\),file=findings\/shop\/orders\.py,line=15::B602: subprocess call with shell=True/,
    )
    expect(first.outputs['sarif-file']).toBe(resolve(workspace, 'quality.sarif'))
    const sarif = JSON.parse(readFileSync(join(workspace, 'quality.sarif'), 'utf8')) as {
      runs: { tool: { driver: { name: string } } }[]
    }
    expect(sarif.runs.map((r) => r.tool.driver.name)).toEqual([
      'black',
      'isort',
      'flake8',
      'pylint',
      'bandit',
      'Trivy',
    ])
    expect(first.summary).toContain('| black | pyproject.toml [tool.black] | 1 | 1 |')
    expect(first.summary).toContain('+    return sum(item["price"] for item in items)')
    expect(readFileSync(trivyLog, 'utf8').trim().split('\n').at(-1)).toBe(join(workspace, 'findings'))

    const second = await runStep('python-quality', inputs, job())
    expect(second.exitCode).toBe(1)
    expect(second.outputs.findings).toBe(first.outputs.findings)
    expect(second.errors).toEqual(first.errors)
    expect(snapshot(join(workspace, 'findings'))).toEqual(before)
  })

  it('gates per tool and severity: bandit:medium,audit:high,flake8', async () => {
    const result = await runStep(
      'python-quality',
      {
        'working-directory': 'findings',
        python: DEBIAN_PYTHON,
        'trivy-path': 'trivy',
        'fail-on': 'bandit:medium,audit:high,flake8',
      },
      job(),
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toMatch(
      /^8 findings fail the gate \('fail-on: bandit:medium,audit:high,flake8'\): flake8 5, bandit 2, audit 1;/,
    )
    expect(result.errors).toHaveLength(9)
    expect(result.warnings).toHaveLength(8)
  })

  it('passes a clean project with zero counts for each configured tool', async () => {
    const result = await runStep(
      'python-quality',
      { 'working-directory': 'clean', python: DEBIAN_PYTHON, 'trivy-path': 'trivy' },
      job(),
    )
    expect(result.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.outputs.findings ?? '')).toEqual({
      black: 0,
      isort: 0,
      flake8: 0,
      pylint: 0,
      bandit: 0,
    })
    expect(result.summary).toContain('### Python quality: passed, 0 finding(s) under the gate')
  })

  it('fails before running anything when a listed tool is not installed (ruff has no Debian package), saying how to install it', async () => {
    const result = await runStep(
      'python-quality',
      { 'working-directory': 'clean', python: DEBIAN_PYTHON, tools: 'flake8, ruff' },
      job(),
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      `Not installed for ${DEBIAN_PYTHON}: ruff. Install it (${DEBIAN_PYTHON} -m pip install ruff, or on Debian/Ubuntu apt-get install ruff), or set 'install: true' to pip-install the missing tools`,
    ])
    expect(result.stdout).not.toContain('-m flake8 --format')
  })

  it('rejects an unknown tool with one error naming tools, before any process', async () => {
    const result = await runStep('python-quality', { tools: 'black, safety' }, job())
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      "Invalid configuration: Input 'tools' must be auto or a list of black, isort, flake8, ruff, pylint, bandit (got 'safety')",
    ])
  })
})
