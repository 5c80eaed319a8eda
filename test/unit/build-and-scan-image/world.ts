import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Deps } from '../../../src/build-and-scan-image/deps.js'
import type { DbCache } from '../../../src/lib/trivy/db-cache.js'
import type { Exec, ExecResult } from '../../../src/lib/process/exec.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'
import { stub } from '../../helpers/stub.js'

// A fake world for build-and-scan-image's unit tests: a workspace with a Dockerfile, a docker
// CLI and a Trivy that answer as the real ones do (argv in, files written where they are told).

const here = dirname(fileURLToPath(import.meta.url))
export const REPORT = readFileSync(join(here, 'reports', 'mixed.json'), 'utf8')
export const DIGEST = `sha256:${'d'.repeat(64)}`
export const IMAGE_ID = `sha256:${'e'.repeat(64)}`
export const GOOD = `ARG BASE=devops-actions/python-django:bookworm
FROM \${BASE} AS build
RUN python3 manage.py check
FROM \${BASE}
COPY --from=build /app /app
USER 10001
HEALTHCHECK CMD python3 -c "print(1)"
`

export interface FakeDocker {
  buildx?: boolean
  driver?: string
  buildExit?: number
  buildOutput?: string
  size?: number
  user?: string
  report?: string
  /** What `git log -1 --format=%ct` prints; undefined: git is not there. */
  commitTime?: string
}

/** The commit time the fake checkout has: 2026-01-01T00:00:00Z. */
export const COMMIT_EPOCH = '1767225600'

export const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '', stderrTail: '' })
export const fail = (stderr: string, exitCode = 1): ExecResult => ({
  exitCode,
  stdout: '',
  stderr,
  stderrTail: stderr,
})

export function fakeExec(options: FakeDocker = {}) {
  const calls: string[][] = []
  /** The environment each build ran with. */
  const buildEnvs: NodeJS.ProcessEnv[] = []
  const exec: Exec = async (command, args, opts) => {
    calls.push([command, ...args])
    const argv = [...args]
    const at = (flag: string) => argv[argv.indexOf(flag) + 1] ?? ''
    if (command === 'git') {
      if (options.commitTime === undefined) throw new Error('spawn git ENOENT')
      return ok(`${options.commitTime}\n`)
    }
    if (command === 'docker' && argv[0] === 'buildx' && argv[1] === 'version') {
      return options.buildx
        ? ok('github.com/docker/buildx v0.17.1')
        : fail("docker: 'buildx' is not a docker command.")
    }
    if (command === 'docker' && argv[0] === 'buildx' && argv[1] === 'inspect') {
      return ok(`Name:          builder\nDriver:        ${options.driver ?? 'docker-container'}\n`)
    }
    if (command === 'docker' && (argv[0] === 'build' || argv[1] === 'build')) {
      buildEnvs.push(opts?.env ?? {})
      opts?.onStdout?.(options.buildOutput ?? 'Step 1/1 : FROM x\n')
      if (options.buildExit)
        return { ...fail('build failed', options.buildExit), stdout: options.buildOutput ?? '' }
      writeFileSync(at('--iidfile'), IMAGE_ID)
      if (argv.includes('--metadata-file')) {
        writeFileSync(at('--metadata-file'), JSON.stringify({ 'containerimage.digest': DIGEST }))
      }
      return ok()
    }
    if (command === 'docker' && argv[0] === 'image' && argv[1] === 'inspect') {
      return ok(
        JSON.stringify({
          Id: IMAGE_ID,
          Size: options.size ?? 123_456_789,
          Config: { User: options.user ?? '10001' },
        }),
      )
    }
    if (command === 'docker' && argv[0] === 'image' && argv[1] === 'push') {
      const tag = String(argv[2]).split(':').pop()
      return ok(`The push refers to repository\n${tag}: digest: ${DIGEST} size: 1570\n`)
    }
    if (argv[0] === '--version') return ok('Version: 0.67.2\n')
    if (argv[0] === 'convert') {
      writeFileSync(at('--output'), JSON.stringify({ bomFormat: 'CycloneDX', from: argv.at(-1) }))
      return ok()
    }
    if (argv[0] === 'image') {
      writeFileSync(at('--output'), options.report ?? REPORT)
      return ok()
    }
    throw new Error(`unexpected command ${command} ${argv.join(' ')}`)
  }
  return { exec, calls, buildEnvs }
}

export function fakeCache(): DbCache & { restored: string[]; saved: string[] } {
  const cache = {
    restored: [] as string[],
    saved: [] as string[],
    restore: async (_paths: string[], key: string) => {
      cache.restored.push(key)
      return undefined
    },
    save: async (_paths: string[], key: string) => void cache.saved.push(key),
  }
  return cache
}

export let workspace: string

/** A fresh workspace per test: app/Dockerfile (GOOD) and a trivy file. */
export function useWorkspace(): void {
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'bsi-unit-'))
    mkdirSync(join(workspace, 'app'))
    writeFileSync(join(workspace, 'app', 'Dockerfile'), GOOD)
    writeFileSync(join(workspace, 'trivy'), '#!/bin/sh\n', { mode: 0o755 })
  })
  afterEach(() => rmSync(workspace, { recursive: true, force: true }))
}

export function setup(inputs: Record<string, string>, docker: FakeDocker = {}, env: NodeJS.ProcessEnv = {}) {
  const io = recordingIO()
  const { exec, calls, buildEnvs } = fakeExec({ commitTime: COMMIT_EPOCH, ...docker })
  const cache = fakeCache()
  const installs: string[] = []
  const deps: Deps = {
    io,
    getInput: inputsOf({ image: 'shop', context: 'app', 'trivy-path': 'trivy', ...inputs }),
    env: {
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: workspace,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
      GITHUB_REPOSITORY: 'acme/shop',
      ...env,
    },
    exec,
    http: stub<Pick<Deps, 'http'>>({}, 'ports').http,
    sleep: async () => undefined,
    now: () => Date.parse('2026-03-10T12:00:00Z'),
    random: () => 0.5,
    homeDir: join(workspace, 'home'),
    platform: 'linux',
    cwd: workspace,
    tempDir: workspace,
    installTrivy: async (version) => {
      installs.push(version)
      return join(workspace, 'trivy')
    },
    dbCache: () => cache,
  }
  return { io, calls, buildEnvs, cache, installs, deps }
}

export const commands = (calls: string[][]) => calls.map((c) => c.slice(0, 3).join(' '))
export const isPush = (c: string[]) => c[0] === 'docker' && c[1] === 'image' && c[2] === 'push'
