// What python-quality costs on top of the tools it runs, on the fixture project with findings of
// every kind: the action's wall time beside the five tools run one after the other as five
// workflow steps would run them (the same argv, Debian's black, isort, flake8, pylint, bandit),
// and the cost of the audit with a stand-in trivy (Trivy cannot be downloaded here).
import { spawnSync } from 'node:child_process'
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot, runAction } from '../../test/helpers/run-action.js'
import { median } from './support/stats.js'

const PYTHON = process.env.E2E_PYTHON ?? '/usr/bin/python3'
const RUNS = 3
const DIRECT: string[][] = [
  ['black', '--check', '--diff', '--no-color', '.'],
  ['isort', '--check-only', '--diff', '.'],
  ['flake8', '--format', '%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s', '.'],
  ['pylint', '--output-format=json', '--recursive=y', '.'],
  ['bandit', '-r', '.', '-f', 'json', '-q'],
]

const TRIVY = `#!/bin/sh
out=""
while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; *) shift ;; esac; done
printf '{"SchemaVersion":2,"Results":[]}' > "$out"
`

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

export default async function bench() {
  const missing = DIRECT.filter(
    ([tool]) => spawnSync(PYTHON, ['-m', tool ?? '', '--version'], { stdio: 'ignore' }).status !== 0,
  )
  if (missing.length > 0) {
    return [
      {
        metric: 'python-quality',
        value:
          'not measured: run `bash scripts/e2e/setup.sh` first (Debian’s black, isort, flake8, pylint, bandit)',
      },
    ]
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-pq-'))
  const project = join(dir, 'findings')
  cpSync(join(repoRoot(), 'test', 'fixtures', 'python-quality', 'findings'), project, { recursive: true })
  writeFileSync(join(dir, 'trivy'), TRIVY)
  chmodSync(join(dir, 'trivy'), 0o755)
  const direct = () => {
    const started = process.hrtime.bigint()
    for (const args of DIRECT)
      spawnSync(PYTHON, ['-m', ...args], {
        cwd: project,
        stdio: 'ignore',
        env: { ...process.env, HOME: dir },
      })
    return Number(process.hrtime.bigint() - started) / 1e6
  }
  const action = async (audit: boolean) => {
    const result = await runAction(
      'python-quality',
      { python: PYTHON, audit: String(audit), 'trivy-path': join(dir, 'trivy'), 'fail-on': 'none' },
      { cwd: project, env: { GITHUB_WORKSPACE: project, HOME: dir }, timeoutMs: 300_000 },
    )
    if (result.exitCode !== 0) throw new Error(`python-quality failed: ${result.errors.join('; ')}`)
    return result.durationMs
  }
  try {
    direct()
    const runs: { direct: number; action: number; audited: number }[] = []
    for (let i = 0; i < RUNS; i++)
      runs.push({ direct: direct(), action: await action(false), audited: await action(true) })
    const overhead = runs.map((r) => r.action - r.direct)
    return [
      {
        metric: `the five tools run directly, one after the other (median of ${RUNS})`,
        value: seconds(median(runs.map((r) => r.direct))),
      },
      {
        metric: `python-quality running the same five, audit off (median of ${RUNS})`,
        value: seconds(median(runs.map((r) => r.action))),
      },
      {
        metric: 'its overhead: checking the tools are installed, parsing, SARIF, summary (action − direct)',
        value: `${seconds(median(overhead))} (max ${seconds(Math.max(...overhead))})`,
        target: '≤ 1.5 s',
      },
      {
        metric: `with the audit (stand-in trivy), whole step (median of ${RUNS})`,
        value: seconds(median(runs.map((r) => r.audited))),
      },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
