import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import {
  buildAndScanImageOutputs,
  parseBuildAndScanImageOptions,
  runBuildAndScanImage,
} from '../../../src/build-and-scan-image/api.js'
import { run } from '../../../src/build-and-scan-image/main.js'
import { inputsOf } from '../../helpers/io.js'
import { repoRoot } from '../../helpers/run-action.js'
import { commands, DIGEST, IMAGE_ID, isPush, REPORT, setup, useWorkspace, workspace } from './world.js'

useWorkspace()

describe('run', () => {
  it('lints, builds, scans and pushes, setting every output', async () => {
    const { io, calls, deps, cache } = setup({
      push: 'true',
      'severity-threshold': 'none',
      tags: 'main,sha-4f2a9c1',
    })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(commands(calls)).toEqual([
      `git -C ${join(workspace, 'app')}`,
      'docker buildx version',
      'docker build --force-rm',
      'docker image inspect',
      expect.stringMatching(/trivy image --scanners/),
      expect.stringMatching(/trivy --version/),
      'docker image push',
      'docker image push',
    ])
    expect(calls.filter(isPush).map((c) => c[3])).toEqual(['shop:main', 'shop:sha-4f2a9c1'])
    const build = calls.find((c) => c[1] === 'build') ?? []
    expect(build).toContain('org.opencontainers.image.revision=4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39')
    expect(io.outputs).toMatchObject({
      image: 'shop',
      tags: 'shop:main\nshop:sha-4f2a9c1',
      'image-id': IMAGE_ID,
      size: '123456789',
      digest: DIGEST,
      vulnerabilities: '{"CRITICAL":1,"HIGH":2,"MEDIUM":1,"LOW":0,"UNKNOWN":1}',
      'scan-passed': 'true',
    })
    const sarif = JSON.parse(readFileSync(io.outputs['sarif-file'] ?? '', 'utf8')) as {
      runs: { results: unknown[] }[]
    }
    // All seven, the two without a fix too (ignore-unfixed keeps them out of the counts only).
    expect(sarif.runs[0]?.results).toHaveLength(7)
    const unfixed = (sarif.runs[0]?.results as { ruleId: string; properties?: { unfixed?: boolean } }[])
      .filter((r) => r.properties?.unfixed)
      .map((r) => r.ruleId)
    expect(unfixed).toEqual(['CVE-2024-0002', 'CVE-2024-0005'])
    expect(readFileSync(io.outputs['report-file'] ?? '', 'utf8')).toBe(REPORT)
    expect(cache.restored).toEqual(['trivy-db-linux-2026-03-10'])
    expect(cache.saved).toEqual(['trivy-db-linux-2026-03-10'])
    expect(io.summary).toContain('Pushed digest')
    expect(io.summary).toContain('| 1 | 2 | 1 | 0 | 1 |')
  })

  it('derives tags from the context when none are given', async () => {
    const { io, deps } = setup({ scan: 'false' })
    await run(deps)
    expect(io.outputs.tags).toBe('shop:main\nshop:sha-4f2a9c1')
  })

  it('fails on policy errors before building, with annotations at Dockerfile:line', async () => {
    writeFileSync(join(workspace, 'app', 'Dockerfile'), 'FROM debian:latest\nENV DB_PASSWORD=hunter2\n')
    const { io, calls, deps } = setup({})
    await run(deps)
    // Only the read of the commit's time: nothing is built.
    expect(calls.map((c) => c[0])).toEqual(['git'])
    expect(io.failures).toEqual([
      'app/Dockerfile breaks 3 policy rule(s), first at line 1: The final stage (1) never sets USER, so the container runs as root; add a non-root USER',
    ])
    expect(
      io.annotations.filter((a) => a.level === 'error').map((a) => [a.props?.file, a.props?.startLine]),
    ).toEqual([
      ['app/Dockerfile', 1],
      ['app/Dockerfile', 1],
      ['app/Dockerfile', 2],
    ])
    expect(io.log()).not.toContain('hunter2')
  })

  it('builds anyway when lint is false', async () => {
    writeFileSync(join(workspace, 'app', 'Dockerfile'), 'FROM debian:latest\n')
    const { io, deps } = setup({ lint: 'false', scan: 'false' }, { user: '' })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(io.annotations.map((a) => a.message)).toEqual([expect.stringMatching(/runs as root/)])
  })

  it('names the failed step of a build', async () => {
    const output =
      'Step 1/6 : ARG BASE=x\nStep 2/6 : FROM ${BASE} AS build\nStep 3/6 : RUN python3 manage.py check\n ---> Running in abc\nSystemCheckError\n'
    const { io, deps } = setup(
      {},
      {
        buildExit: 1,
        buildOutput: `${output}The command '/bin/sh -c python3 manage.py check' returned a non-zero code: 1\n`,
      },
    )
    await run(deps)
    expect(io.failures).toEqual([
      "Build failed at app/Dockerfile:3 (RUN python3 manage.py check): The command '/bin/sh -c python3 manage.py check' returned a non-zero code: 1",
    ])
    expect(io.annotations.find((a) => a.level === 'error')?.props).toMatchObject({
      file: 'app/Dockerfile',
      startLine: 3,
    })
  })

  it('fails over max-size before scanning', async () => {
    const { io, calls, deps } = setup({ 'max-size': '100MB' }, { size: 248_000_000 })
    await run(deps)
    expect(io.failures).toEqual([
      "Image is 248.0MB (248000000 bytes), over 'max-size' 100.0MB (100000000 bytes)",
    ])
    expect(calls.some((c) => c[1] === 'image' && c[0] !== 'docker')).toBe(false)
    expect(io.outputs.size).toBe('248000000')
  })

  it('fails the gate, sets scan-passed false and pushes nothing', async () => {
    const { io, calls, deps } = setup({ push: 'true' })
    await run(deps)
    expect(io.failures).toEqual([
      "3 vulnerabilities at or above HIGH (CRITICAL 1, HIGH 2) in shop:main; fix them, or raise 'severity-threshold' / add IDs to 'trivyignore'",
    ])
    expect(io.outputs['scan-passed']).toBe('false')
    expect(calls.some(isPush)).toBe(false)
    expect(io.summary).toContain('Vulnerabilities: failed (threshold HIGH)')
  })

  it('honours the ignore file and warns about expired entries', async () => {
    writeFileSync(
      join(workspace, 'ignore'),
      '# accepted\nCVE-2024-0001\nCVE-2024-0003 exp:2026-12-31\nCVE-2024-0006 exp:2026-01-01\n',
    )
    const { io, deps } = setup({ trivyignore: 'ignore' })
    await run(deps)
    expect(io.failures).toEqual([
      expect.stringMatching(/^1 vulnerability at or above HIGH \(CRITICAL 0, HIGH 1\)/),
    ])
    expect(io.annotations.find((a) => a.level === 'warning')).toMatchObject({
      message: 'Ignore entry CVE-2024-0006 expired on 2026-01-01; it is counted again',
      props: { file: 'ignore', startLine: 4 },
    })
  })

  it('finds a bare trivy-path command on PATH', async () => {
    mkdirSync(join(workspace, 'bin'))
    writeFileSync(join(workspace, 'bin', 'my-trivy'), '#!/bin/sh\n', { mode: 0o755 })
    const { io, calls, deps } = setup(
      { 'trivy-path': 'my-trivy', 'severity-threshold': 'none' },
      {},
      { PATH: `/nonexistent:${join(workspace, 'bin')}` },
    )
    await run(deps)
    expect(io.failures).toEqual([])
    expect(calls.find((c) => c[0] !== 'docker' && c[1] === 'image')?.[0]).toBe(
      join(workspace, 'bin', 'my-trivy'),
    )
  })

  // build-and-scan-image once took any existing path, a directory too, where python-quality's
  // lookup (lib/trivy/binary.ts) wanted a file: both now share that lookup, which also refuses a
  // file the runner may not execute, naming the input before anything is built.
  it.each([
    [
      'a directory',
      () => mkdirSync(join(workspace, 'tools', 'trivy'), { recursive: true }),
      /which is a directory/,
    ],
    [
      'a file that is not executable',
      () => {
        mkdirSync(join(workspace, 'tools'))
        writeFileSync(join(workspace, 'tools', 'trivy'), '#!/bin/sh\n', { mode: 0o644 })
      },
      /a file the runner may not execute \(mode 644\)/,
    ],
  ])('rejects a trivy-path naming %s before running anything', async (_what, make, message) => {
    make()
    const { io, calls, deps } = setup({ 'trivy-path': 'tools/trivy' })
    await run(deps)
    expect(io.failures).toEqual([
      expect.stringMatching(/^Invalid configuration: Input 'trivy-path' names 'tools\/trivy', /),
    ])
    expect(io.failures[0]).toMatch(message)
    expect(calls).toEqual([])
  })

  it('installs Trivy when no trivy-path is given', async () => {
    const { io, installs, deps } = setup({
      'trivy-path': '',
      'severity-threshold': 'none',
      'trivy-version': '0.60.0',
    })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(installs).toEqual(['0.60.0'])
  })

  it('uses buildx with the GitHub Actions cache when the service and a container builder are there', async () => {
    const env = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results.example/' }
    const { io, calls, deps } = setup({ scan: 'false' }, { buildx: true }, env)
    await run(deps)
    expect(io.failures).toEqual([])
    const build = calls.find((c) => c[2] === 'build') ?? []
    expect(build.slice(0, 3)).toEqual(['docker', 'buildx', 'build'])
    expect(build).toEqual(expect.arrayContaining(['--cache-from', 'type=gha,scope=shop', '--load']))
  })

  it('builds without the cache on the docker driver, and says why', async () => {
    const env = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results.example/' }
    const { io, calls, deps } = setup({ scan: 'false' }, { buildx: true, driver: 'docker' }, env)
    await run(deps)
    expect(calls.find((c) => c[2] === 'build')).not.toContain('--cache-from')
    expect(io.annotations.filter((a) => !a.props?.file).map((a) => a.message)).toEqual([
      expect.stringMatching(/docker-container driver/),
    ])
  })

  it('pushes a multi-platform build from buildx and scans it from the registry by digest', async () => {
    const { io, calls, deps } = setup(
      {
        platforms: 'linux/amd64,linux/arm64',
        push: 'true',
        'severity-threshold': 'none',
        image: 'r.example.com/shop',
      },
      { buildx: true },
    )
    await run(deps)
    expect(io.failures).toEqual([])
    const build = calls.find((c) => c[2] === 'build') ?? []
    expect(build).toEqual(expect.arrayContaining(['--platform', 'linux/amd64,linux/arm64', '--push']))
    expect(build).not.toContain('--load')
    expect(calls.find((c) => c[1] === 'image' && c[0] !== 'docker')?.at(-1)).toBe(
      `r.example.com/shop@${DIGEST}`,
    )
    expect(calls.some((c) => isPush(c) || (c[1] === 'image' && c[2] === 'inspect'))).toBe(false)
    expect(io.outputs).toMatchObject({ digest: DIGEST, 'image-id': IMAGE_ID, 'scan-passed': 'true' })
  })

  it('refuses builder buildx when buildx is not installed', async () => {
    const { io, deps } = setup({ builder: 'buildx' })
    await run(deps)
    expect(io.failures).toEqual([
      expect.stringMatching(/^builder is 'buildx' but 'docker buildx version' fails/),
    ])
  })

  it.each([
    [
      { dockerfile: 'missing/Dockerfile' },
      "Invalid configuration: Dockerfile 'missing/Dockerfile' not found; set 'dockerfile' to its path (relative to the workspace)",
    ],
    [
      { context: 'nope' },
      "Invalid configuration: Input 'context' must be a directory (got 'nope', not found)",
    ],
    [
      { trivyignore: 'nope' },
      "Invalid configuration: Input 'trivyignore' names 'nope', which does not exist",
    ],
    [
      { target: 'prod' },
      "Invalid configuration: Input 'target' names stage 'prod', which app/Dockerfile does not define",
    ],
    [
      { builder: 'podman' },
      "Invalid configuration: Input 'builder' must be one of auto, buildx, docker (got 'podman')",
    ],
  ])('rejects %j before running anything', async (inputs, message) => {
    const { io, calls, deps } = setup(inputs)
    await run(deps)
    expect(io.failures).toEqual([message])
    expect(calls).toEqual([])
  })
})

// The public face deploy composes: run returns what happened (outputs and summary are the
// caller's to write), input names follow the composing action's, and the clock is epoch ms.
describe('api.ts', () => {
  const actionOutputs = () =>
    Object.keys(
      (
        parse(readFileSync(join(repoRoot(), 'actions/build-and-scan-image/action.yml'), 'utf8')) as {
          outputs: Record<string, unknown>
        }
      ).outputs,
    ).sort()

  it('returns a failed gate as the result, writing no output or summary itself', async () => {
    const { io, deps } = setup({ push: 'true' })
    const options = parseBuildAndScanImageOptions(deps.getInput, deps)
    const result = await runBuildAndScanImage(deps, options)
    expect(result.failure).toMatch(/^3 vulnerabilities at or above HIGH/)
    expect(result.scan?.passed).toBe(false)
    expect(result.summary).toContain('Vulnerabilities: failed (threshold HIGH)')
    expect(result.digest).toBeUndefined()
    expect(io.outputs).toEqual({})
    expect(io.summary).toBe('')
    expect(io.failures).toEqual([])
    const outputs = buildAndScanImageOutputs(result)
    expect(Object.keys(outputs).sort()).toEqual(actionOutputs())
    expect(outputs).toMatchObject({ 'scan-passed': 'false', digest: '', tags: 'shop:main\nshop:sha-4f2a9c1' })
  })

  it('dates the image by the commit checked out, not the build: created label and SOURCE_DATE_EPOCH', async () => {
    const { calls, deps, io } = setup({ scan: 'false' })
    const result = await runBuildAndScanImage(deps, parseBuildAndScanImageOptions(deps.getInput, deps))
    const build = calls.find((c) => c[1] === 'build') ?? []
    expect(build).toContain('org.opencontainers.image.created=2026-01-01T00:00:00.000Z')
    // The classic builder has no use for it (and warns about unused build args).
    expect(build.join(' ')).not.toContain('SOURCE_DATE_EPOCH')
    expect(result.summary).toContain('2026-01-01T00:00:00.000Z (commit)')
    expect(io.log()).not.toMatch(/No git commit/)
  })

  it("passes SOURCE_DATE_EPOCH to BuildKit, and takes the job's own SOURCE_DATE_EPOCH first", async () => {
    const { calls, deps } = setup({ scan: 'false' }, { buildx: true }, { SOURCE_DATE_EPOCH: '1700000000' })
    await runBuildAndScanImage(deps, parseBuildAndScanImageOptions(deps.getInput, deps))
    const build = calls.find((c) => c[2] === 'build') ?? []
    expect(build).toEqual(expect.arrayContaining(['--build-arg', 'SOURCE_DATE_EPOCH=1700000000']))
    expect(build).toContain('org.opencontainers.image.created=2023-11-14T22:13:20.000Z')
    expect(calls.some((c) => c[0] === 'git')).toBe(false)
  })

  it('falls back to the epoch-ms clock without a checkout, and says the image will differ', async () => {
    const { calls, deps, io } = setup({ scan: 'false' }, { commitTime: undefined })
    const result = await runBuildAndScanImage(deps, parseBuildAndScanImageOptions(deps.getInput, deps))
    expect(calls.find((c) => c[1] === 'build')).toContain(
      'org.opencontainers.image.created=2026-03-10T12:00:00.000Z',
    )
    expect(result.summary).toContain('(build time)')
    expect(io.log()).toMatch(/No git commit in .*rebuilding this commit gives a new image ID/)
  })

  it('names inputs as the composing action does, at parse time and while running', async () => {
    const renamed = (values: Record<string, string>) => {
      const { deps } = setup({})
      return { deps, get: inputsOf({ image: 'shop', context: 'app', 'trivy-path': 'trivy', ...values }) }
    }
    const names = { target: 'build-target', 'max-size': 'image-size-limit' }
    const bad = renamed({ 'build-target': 'no good' })
    expect(() => parseBuildAndScanImageOptions(bad.get, bad.deps, names)).toThrow(
      "Input 'build-target' must be a stage name (got 'no good')",
    )
    const missing = renamed({ 'build-target': 'prod' })
    expect(() => parseBuildAndScanImageOptions(missing.get, missing.deps, names)).toThrow(
      "Input 'build-target' names stage 'prod', which app/Dockerfile does not define",
    )
    const big = renamed({ 'image-size-limit': '100MB', scan: 'false' })
    const options = parseBuildAndScanImageOptions(big.get, big.deps, names)
    const result = await runBuildAndScanImage(big.deps, options)
    expect(result.failure).toMatch(/over 'image-size-limit' 100\.0MB/)
  })
})
