import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { trivyAsset } from '../../src/lib/trivy/install.js'
import { startFakeCacheService } from '../fakes/actions-cache.js'
import { repoRoot } from '../helpers/run-action.js'
import { runStep, type StepOptions } from '../helpers/run-step.js'

// The bundle run from its action.yml as the runner runs it, with a stand-in interpreter that
// answers with the real outputs Debian's tools gave on the fixture project
// (test/fixtures/python-quality/outputs/), a stand-in trivy, a local server standing in for
// Trivy's release downloads, and the fake Actions cache service for Trivy's database.
const root = repoRoot()
const VERSION = '0.67.2'
const OUTPUTS = join(root, 'test', 'fixtures', 'python-quality', 'outputs', 'findings')
const SHOWN = '/home/runner/work/shop/shop'

const STANDIN_PYTHON = `#!${process.execPath}
// Stand-in python: no tool is missing (-c prints none); \`-m <tool> ...\` prints what Debian's tool printed.
const fs = require('node:fs')
const [flag, tool, ...rest] = process.argv.slice(2)
fs.appendFileSync(process.env.STANDIN_LOG, [flag, tool, ...rest].join(' ') + '\\n')
if (flag === '-c') process.exit(0)
if (flag !== '-m') process.exit(2)
const read = (ext) => fs.readFileSync(${JSON.stringify(OUTPUTS)} + '/' + tool + '.' + ext, 'utf8').split(${JSON.stringify(SHOWN)}).join(process.cwd())
process.stdout.write(read('stdout'))
process.stderr.write(read('stderr'))
process.exit(Number(read('exit').trim()))
`

const STANDIN_TRIVY = `#!/bin/sh
# Stand-in trivy: "downloads" its database into --cache-dir when missing, writes one finding.
if [ "$1" = "--version" ]; then echo "Version: ${VERSION}"; exit 0; fi
out=""; cache=""
while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; --cache-dir) cache="$2"; shift 2 ;; *) shift ;; esac; done
if [ ! -f "$cache/db/trivy.db" ]; then mkdir -p "$cache/db" && echo database > "$cache/db/trivy.db" && echo download >> "$STANDIN_LOG.db"; fi
cat > "$out" <<'JSON'
{"SchemaVersion": 2, "Results": [{"Target": "requirements.txt", "Type": "pip", "Vulnerabilities": [
 {"VulnerabilityID": "CVE-2023-32681", "PkgName": "requests", "InstalledVersion": "2.25.0", "FixedVersion": "2.31.0",
  "Severity": "MEDIUM", "Title": "Unintended leak of Proxy-Authorization header"}]}]}
JSON
`

let dir: string
let workspace: string
let server: http.Server
let baseUrl: string
let requests: string[]
let files: Map<string, Buffer>

function releaseFiles({ corrupt = false } = {}): Map<string, Buffer> {
  const asset = trivyAsset(VERSION, process.platform, process.arch)
  const tarball = join(dir, asset)
  execFileSync('tar', ['-czf', tarball, '-C', join(dir, 'content'), 'trivy'])
  const bytes = readFileSync(tarball)
  const sha = createHash('sha256')
    .update(corrupt ? Buffer.from('something else') : bytes)
    .digest('hex')
  return new Map([
    [`/v${VERSION}/${asset}`, bytes],
    [`/v${VERSION}/trivy_${VERSION}_checksums.txt`, Buffer.from(`${sha}  ${asset}\n`)],
  ])
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pq-int-'))
  workspace = join(dir, 'ws')
  mkdirSync(join(dir, 'content'))
  cpSync(join(root, 'test', 'fixtures', 'python-quality', 'findings'), join(workspace, 'shop'), {
    recursive: true,
  })
  writeFileSync(join(dir, 'python'), STANDIN_PYTHON)
  writeFileSync(join(dir, 'content', 'trivy'), STANDIN_TRIVY)
  writeFileSync(join(workspace, 'standin-trivy'), STANDIN_TRIVY)
  for (const file of [join(dir, 'python'), join(dir, 'content', 'trivy'), join(workspace, 'standin-trivy')])
    chmodSync(file, 0o755)
  files = releaseFiles()
  requests = []
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '')
    const body = files.get(req.url ?? '')
    res.writeHead(body ? 200 : 404).end(body ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

function job(extra: Record<string, string> = {}, more: Omit<StepOptions, 'env'> = {}) {
  const log = join(dir, `log-${Math.random().toString(36).slice(2)}`)
  writeFileSync(log, '')
  const options: StepOptions = {
    cwd: workspace,
    env: { STANDIN_LOG: log, HOME: join(dir, `home-${Math.random()}`), ...extra },
    ...more,
  }
  return { log, options }
}

const inputs = (more: Record<string, string> = {}) => ({
  'working-directory': 'shop',
  python: join(dir, 'python'),
  ...more,
})

describe('python-quality from its action.yml', () => {
  it('installs Trivy from a verified download for the audit, and reuses the tool cache next time', async () => {
    const toolCache = join(dir, 'tool-cache')
    const { options } = job({ TRIVY_DOWNLOAD_MIRROR: baseUrl }, { runner: { tool_cache: toolCache } })
    const first = await runStep('python-quality', inputs({ 'fail-on': 'audit:high' }), options)
    expect(first.errors).toEqual([])
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toContain('Verified trivy_')
    expect(JSON.parse(first.outputs.findings ?? '')).toEqual({
      black: 1,
      isort: 1,
      flake8: 5,
      pylint: 4,
      bandit: 4,
      audit: 1,
    })
    expect(first.warnings).toHaveLength(10)
    expect(first.warnings[0]).toBe("F401: 'sys' imported but unused")
    expect(existsSync(join(toolCache, 'trivy', VERSION))).toBe(true)
    expect(first.summary).toContain('| audit | requirements.txt | 1 | 0 |')
    expect(first.summary).toContain(
      'requests 2.25.0: fixed in 2.31.0 — Unintended leak of Proxy-Authorization header',
    )

    const second = await runStep('python-quality', inputs({ 'fail-on': 'audit:high' }), options)
    expect(second.exitCode).toBe(0)
    expect(second.stdout).toContain(`Trivy ${VERSION} found in the tool cache`)
    expect(second.outputs.findings).toBe(first.outputs.findings)
    expect(requests.filter((r) => r.endsWith('.tar.gz'))).toHaveLength(1)
  })

  it('refuses a Trivy tarball whose checksum does not match: the audit fails the step, the tools still report', async () => {
    const good = files
    files = releaseFiles({ corrupt: true })
    const toolCache = join(dir, 'tool-cache-mismatch')
    try {
      const { options } = job({ TRIVY_DOWNLOAD_MIRROR: baseUrl }, { runner: { tool_cache: toolCache } })
      const run = await runStep('python-quality', inputs({ 'fail-on': 'none' }), options)
      expect(run.exitCode).toBe(1)
      expect(run.errors).toEqual([
        expect.stringMatching(
          /^Checksum mismatch for trivy_0\.67\.2_\S+\.tar\.gz: expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}; refusing to install it$/,
        ),
      ])
      expect(JSON.parse(run.outputs.findings ?? '')).toEqual({
        black: 1,
        isort: 1,
        flake8: 5,
        pylint: 4,
        bandit: 4,
      })
      expect(existsSync(join(toolCache, 'trivy'))).toBe(false)
    } finally {
      files = good
    }
  })

  it('keeps the Trivy database in the Actions cache: saved after a miss, restored next run', async () => {
    const service = await startFakeCacheService()
    mkdirSync(join(dir, 'runner-temp'), { recursive: true })
    try {
      const { options, log } = job(
        {},
        {
          runtime: { resultsUrl: `${service.url}/`, token: service.token, cacheServiceV2: true },
          runner: { temp: join(dir, 'runner-temp') },
        },
      )
      const home = options.env?.HOME ?? ''
      const step = inputs({ 'trivy-path': 'standin-trivy', 'fail-on': 'none' })
      const first = await runStep('python-quality', step, options)
      expect(first.errors).toEqual([])
      expect(service.entries).toMatchObject([{ key: expect.stringMatching(/^trivy-db-/), finalized: true }])
      const key = service.entries[0]?.key ?? ''
      rmSync(join(home, '.cache'), { recursive: true })
      const second = await runStep('python-quality', step, options)
      expect(second.exitCode).toBe(0)
      expect(second.stdout).toContain(`Trivy database restored from cache ${key}`)
      expect(readFileSync(`${log}.db`, 'utf8')).toBe('download\n')
      expect(service.entries).toHaveLength(1)
    } finally {
      await service.close()
    }
  })

  it('fails a bad input before the interpreter is started', async () => {
    const { options, log } = job()
    const run = await runStep('python-quality', inputs({ 'fail-on': 'bandit:severe' }), options)
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(/^Invalid configuration: Input 'fail-on' must be any, none, or entries like/),
    ])
    expect(readFileSync(log, 'utf8')).toBe('')
  })
})
