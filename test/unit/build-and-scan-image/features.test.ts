import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseBuildAndScanImageOptions, runBuildAndScanImage } from '../../../src/build-and-scan-image/api.js'
import { run } from '../../../src/build-and-scan-image/main.js'
import { setup, useWorkspace, workspace } from './world.js'

useWorkspace()

// An odd-shaped secret: '@' and '%40' are where naive URL handling leaks or mangles values.
const SECRET = 'https://ci:p@ss%40word@pypi.internal/simple'

const buildOf = (calls: string[][]) => calls.find((c) => c[0] === 'docker' && c.includes('build')) ?? []
const trivyOf = (calls: string[][]) => calls.find((c) => c[1] === 'image' && c[0] !== 'docker') ?? []

async function runWith(
  inputs: Record<string, string>,
  docker: Parameters<typeof setup>[1] = {},
  env: NodeJS.ProcessEnv = {},
) {
  const world = setup(inputs, docker, env)
  await run(world.deps)
  return world
}

function parseError(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): string {
  const { deps } = setup(inputs, {}, env)
  try {
    parseBuildAndScanImageOptions(deps.getInput, deps)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('parsed without an error')
}

describe('build secrets and ssh (issue 16.1)', () => {
  it('masks the value first, hands it to BuildKit through the environment, never the argv or the log', async () => {
    const { io, calls, buildEnvs } = await runWith({ secrets: `pip_index=${SECRET}`, scan: 'false' })
    expect(io.failures).toEqual([])
    expect(io.secrets).toContain(SECRET)
    const build = buildOf(calls)
    // No buildx here: the docker builder with the engine's BuildKit.
    expect(build.slice(0, 3)).toEqual(['docker', 'build', '--progress=plain'])
    expect(build).toEqual(
      expect.arrayContaining(['--secret', 'id=pip_index,env=DEVOPS_ACTIONS_BUILD_SECRET_0']),
    )
    expect(buildEnvs[0]).toMatchObject({
      DOCKER_BUILDKIT: '1',
      DEVOPS_ACTIONS_BUILD_SECRET_0: SECRET,
    })
    expect(build.join(' ')).not.toContain('p@ss')
    expect(io.log()).not.toContain('p@ss')
    expect(io.summary).toContain('docker (BuildKit)')
  })

  it('passes secret files, secret envs and ssh as BuildKit takes them', async () => {
    writeFileSync(join(workspace, 'npmrc'), '//registry/:_authToken=x')
    writeFileSync(join(workspace, 'deploy_key'), 'key')
    const { io, calls } = await runWith(
      {
        'secret-files': 'npmrc=npmrc',
        'secret-envs': 'token=GH_TOKEN',
        ssh: 'default\ngithub=deploy_key',
        scan: 'false',
      },
      { buildx: true },
      { GH_TOKEN: 'ghp_from_env', SSH_AUTH_SOCK: '/agent.sock' },
    )
    expect(io.failures).toEqual([])
    expect(io.secrets).toContain('ghp_from_env')
    const build = buildOf(calls)
    expect(build.slice(0, 3)).toEqual(['docker', 'buildx', 'build'])
    const pairs = build.flatMap((arg, i) =>
      arg === '--secret' || arg === '--ssh' ? [`${arg} ${build[i + 1]}`] : [],
    )
    expect(pairs).toEqual([
      `--secret id=npmrc,src=${join(workspace, 'npmrc')}`,
      '--secret id=token,env=GH_TOKEN',
      '--ssh default',
      `--ssh github=${join(workspace, 'deploy_key')}`,
    ])
  })

  it('says clearly when the Docker client cannot build with BuildKit', async () => {
    const { io } = await runWith(
      { secrets: 'pip=x1y2z3', scan: 'false' },
      {
        buildExit: 1,
        buildOutput:
          'ERROR: BuildKit is enabled but the buildx component is missing or broken.\n       Install the buildx component to build images with BuildKit:\n',
      },
    )
    expect(io.failures).toEqual([
      "Build secrets and ssh ('secrets', 'secret-files', 'secret-envs', 'ssh') need BuildKit, and this Docker client refuses it without the buildx plugin: install buildx (docker/setup-buildx-action), or use a Docker client that builds with the engine's BuildKit",
    ])
  })

  it.each<[string, Record<string, string>, NodeJS.ProcessEnv, RegExp]>([
    [
      'a line without =',
      { secrets: 'hunter2-no-id' },
      {},
      /^Input 'secrets' line 1 must be id=value .*not shown/,
    ],
    ['an empty value', { secrets: 'ok=1\npip=' }, {}, /^Input 'secrets' line 2 must be id=value/],
    [
      'an id twice',
      { secrets: 'a=1', 'secret-envs': 'a=HOME' },
      { HOME: '/h' },
      /Secret id 'a' is given more than once/,
    ],
    [
      'a missing file',
      { 'secret-files': 'npmrc=nope' },
      {},
      /^Input 'secret-files' entry 'npmrc' names 'nope', which does not exist/,
    ],
    ['an unset variable', { 'secret-envs': 'token=NOPE_UNSET' }, {}, /names NOPE_UNSET, which is not set/],
    [
      'ssh default without an agent',
      { ssh: 'default' },
      {},
      /^Input 'ssh' entry 'default' uses the SSH agent, but SSH_AUTH_SOCK is not set/,
    ],
  ])('refuses %s before anything runs, without echoing the line', (_, inputs, env, message) => {
    const error = parseError(inputs, env)
    expect(error).toMatch(message)
    expect(error).not.toContain('hunter2')
  })

  it('points the secret-looking build-args warning at secrets', async () => {
    writeFileSync(
      join(workspace, 'app', 'Dockerfile'),
      'FROM devops-actions/python-django:bookworm\nARG NPM_TOKEN\nUSER 1\nHEALTHCHECK CMD true\n',
    )
    const { io } = await runWith({ 'build-args': 'NPM_TOKEN=npm_abc', scan: 'false' })
    const warning = io.annotations.find((a) => a.props?.title === 'Dockerfile policy: secret-build-arg')
    expect(warning?.message).toContain("pass it in 'secrets' (NPM_TOKEN=…)")
  })
})

describe('caches (issue 16.2)', () => {
  it('passes cache-from / cache-to as buildx takes them, the gha ones scoped per image by default', async () => {
    const { calls } = await runWith(
      {
        image: 'registry.example.com/team/Shop',
        'cache-from': 'type=gha\ntype=registry,ref=registry.example.com/team/shop:cache',
        'cache-to': 'type=gha,mode=max,scope=mine\ntype=local,dest=/tmp/c',
        'no-cache': 'true',
        pull: 'true',
        scan: 'false',
      },
      { buildx: true },
    )
    const build = buildOf(calls)
    const flags = build.flatMap((arg, i) => (arg.startsWith('--cache-') ? [`${arg} ${build[i + 1]}`] : []))
    expect(flags).toEqual([
      '--cache-from type=gha,scope=registry.example.com-team-shop',
      '--cache-from type=registry,ref=registry.example.com/team/shop:cache',
      '--cache-to type=gha,mode=max,scope=mine',
      '--cache-to type=local,dest=/tmp/c',
    ])
    expect(build).toEqual(expect.arrayContaining(['--no-cache', '--pull']))
  })

  it('gives no-cache and pull to the docker builder too, and warns that its caches need buildx', async () => {
    const { calls, io } = await runWith({
      'cache-from': 'shop:cache',
      'no-cache': 'true',
      pull: 'true',
      scan: 'false',
    })
    const build = buildOf(calls)
    expect(build).toEqual(expect.arrayContaining(['--no-cache', '--pull']))
    expect(build.join(' ')).not.toContain('--cache-from')
    expect(io.annotations.map((a) => a.message)).toContainEqual(
      expect.stringMatching(/^'cache-from' \/ 'cache-to' need buildx/),
    )
  })

  it.each<[Record<string, string>, RegExp]>([
    [
      { 'cache-from': 'type=redis,ref=x' },
      /^Input 'cache-from' entry 'type=redis,ref=x' has type=redis; buildx's cache types are/,
    ],
    [{ 'cache-to': 'type=registry,mode=max' }, /^Input 'cache-to' entry .* needs ref=/],
    [{ 'cache-from': 'type=local,dest=x' }, /^Input 'cache-from' entry .* needs src=<folder>/],
    [{ 'cache-to': 'mode=max' }, /^Input 'cache-to' entry 'mode=max' has no type=/],
    [
      { 'cache-to': 'type=gha', builder: 'docker' },
      /^Input 'cache-to' needs buildx, but 'builder' is docker/,
    ],
    [{ 'no-cache': 'yes' }, /^Input 'no-cache' must be true or false/],
  ])('refuses %j', (inputs, message) => {
    expect(parseError(inputs)).toMatch(message)
  })
})

describe('extra tags (issue 16.3)', () => {
  it('adds to the derived tags, and to explicit tags', async () => {
    const derived = await runWith({
      'extra-tags': 'stable, registry.example.com/mirror/shop:stable',
      scan: 'false',
    })
    expect(derived.io.outputs.tags).toBe(
      'shop:main\nshop:sha-4f2a9c1\nshop:stable\nregistry.example.com/mirror/shop:stable',
    )
    const explicit = await runWith({ tags: '1.0', 'extra-tags': 'stable', scan: 'false' })
    expect(explicit.io.outputs.tags).toBe('shop:1.0\nshop:stable')
  })

  it('checks them before anything runs', () => {
    expect(parseError({ 'extra-tags': '-bad' })).toMatch(
      /^Input 'extra-tags' entry '-bad' is not a valid tag/,
    )
  })
})

describe('provenance and SBOM (issue 16.5)', () => {
  const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop'
  const attest = (build: string[]) => build.filter((a) => /^--(provenance|sbom)=/.test(a))

  it('turns buildx attestations off by default for an image bound for ECR, and leaves buildx its default otherwise', async () => {
    const toEcr = await runWith({ image: ecr, scan: 'false' }, { buildx: true })
    expect(attest(buildOf(toEcr.calls))).toEqual(['--provenance=false', '--sbom=false'])
    const elsewhere = await runWith({ image: 'registry.example.com/shop', scan: 'false' }, { buildx: true })
    expect(attest(buildOf(elsewhere.calls))).toEqual([])
  })

  it('passes what is asked, and off by default when the composing action pushes to ECR', async () => {
    const asked = await runWith(
      { image: ecr, provenance: 'mode=max', sbom: 'true', scan: 'false' },
      { buildx: true },
    )
    expect(attest(buildOf(asked.calls))).toEqual(['--provenance=mode=max', '--sbom=true'])
    const { deps, calls } = setup({ scan: 'false' }, { buildx: true })
    const options = parseBuildAndScanImageOptions(deps.getInput, { ...deps, pushesToEcr: true })
    await runBuildAndScanImage(deps, options)
    expect(attest(buildOf(calls))).toEqual(['--provenance=false', '--sbom=false'])
  })

  it('writes the CycloneDX SBOM from the scan already done', async () => {
    const { io, calls } = await runWith({ 'sbom-file': 'sbom.cdx.json', 'severity-threshold': 'none' })
    expect(io.failures).toEqual([])
    expect(trivyOf(calls)).toContain('--list-all-pkgs')
    const report = io.outputs['report-file'] ?? ''
    const convert = calls.find((c) => c[1] === 'convert')
    expect(convert?.slice(1)).toEqual([
      'convert',
      '--format',
      'cyclonedx',
      '--output',
      join(workspace, 'sbom.cdx.json'),
      report,
    ])
    // One scan: the SBOM is converted from its report, not made by a second `trivy image`.
    expect(calls.filter((c) => c[1] === 'image' && c[0] !== 'docker')).toHaveLength(1)
    expect(io.outputs['sbom-file']).toBe(join(workspace, 'sbom.cdx.json'))
    expect(JSON.parse(readFileSync(join(workspace, 'sbom.cdx.json'), 'utf8'))).toMatchObject({
      bomFormat: 'CycloneDX',
    })
  })

  it.each<[Record<string, string>, RegExp]>([
    [
      { 'sbom-file': 'x.json', scan: 'false' },
      /^Input 'sbom-file' writes the SBOM from the scan, but 'scan' is false/,
    ],
    [{ provenance: 'max' }, /^Input 'provenance' must be true, false or buildx's key=value options/],
    [{ sbom: 'true', builder: 'docker' }, /^Input 'sbom' needs buildx/],
  ])('refuses %j', (inputs, message) => {
    expect(parseError(inputs)).toMatch(message)
  })
})

/** A report shaped as Trivy's secret scanner writes it (aquasecurity/trivy integration/testdata/secrets.json.golden). */
const SECRET_REPORT = JSON.stringify({
  SchemaVersion: 2,
  Results: [
    {
      Target: 'shop:main (debian 12.5)',
      Class: 'os-pkgs',
      Vulnerabilities: [
        { VulnerabilityID: 'CVE-2024-7000', PkgName: 'libfoo', InstalledVersion: '1', Severity: 'HIGH' },
      ],
    },
    {
      Target: '/app/settings.py',
      Class: 'secret',
      Secrets: [
        {
          RuleID: 'aws-access-key-id',
          Category: 'AWS',
          Severity: 'CRITICAL',
          Title: 'AWS Access Key ID',
          StartLine: 3,
          Code: { Lines: [{ Number: 2, Content: 'TOKEN = "tok_unredacted_context_line"' }] },
          Match: 'AWS_ACCESS_KEY_ID=********************',
        },
      ],
    },
  ],
})

describe('scanners and unfixed vulnerabilities (issue 16.6)', () => {
  it('asks Trivy for vuln and secret by default, or the scanners given', async () => {
    const byDefault = await runWith({ 'severity-threshold': 'none' })
    expect(trivyOf(byDefault.calls).slice(1, 4)).toEqual(['image', '--scanners', 'vuln,secret'])
    const given = await runWith({ scanners: 'vuln, misconfig', 'severity-threshold': 'none' })
    expect(trivyOf(given.calls).slice(1, 4)).toEqual(['image', '--scanners', 'vuln,misconfig'])
    expect(parseError({ scanners: 'vuln,sast' })).toMatch(
      /^Input 'scanners' entry 'sast' is not a Trivy scanner/,
    )
  })

  it('gates on a secret baked into the image, and keeps the unfixed finding in the SARIF file and the summary', async () => {
    const { io } = await runWith({}, { report: SECRET_REPORT })
    expect(io.failures).toEqual([
      "1 finding (1 secret in the image) at or above HIGH (CRITICAL 1, HIGH 0) in shop:main; fix them, or raise 'severity-threshold' / add IDs to 'trivyignore'",
    ])
    expect(io.outputs.vulnerabilities).toBe('{"CRITICAL":1,"HIGH":0,"MEDIUM":0,"LOW":0,"UNKNOWN":0}')
    const sarifText = readFileSync(io.outputs['sarif-file'] ?? '', 'utf8')
    const sarif = JSON.parse(sarifText) as {
      runs: {
        tool: { driver: { rules: { id: string; name: string }[] } }
        results: { ruleId: string; message: { text: string }; properties?: { unfixed?: boolean } }[]
      }[]
    }
    const [log] = sarif.runs
    expect(log?.tool.driver.rules.map((r) => [r.id, r.name])).toEqual([
      ['CVE-2024-7000', 'OsPackageVulnerability'],
      ['aws-access-key-id', 'Secret'],
    ])
    const unfixed = log?.results.find((r) => r.ruleId === 'CVE-2024-7000')
    expect(unfixed?.properties?.unfixed).toBe(true)
    expect(unfixed?.message.text).toMatch(/^Unfixed: no fixed version yet; reported, not counted/)
    expect(log?.results.find((r) => r.ruleId === 'aws-access-key-id')?.message.text).toContain(
      'File: /app/settings.py:3',
    )
    // Trivy's Code lines around a secret can hold other secrets unredacted: none of it travels on.
    expect(sarifText).not.toContain('tok_unredacted')
    expect(io.summary).not.toContain('tok_unredacted')
    expect(io.summary).toContain('HIGH (unfixed, not counted)')
    expect(io.summary).toContain('secret in /app/settings.py:3')
  })

  it('counts the unfixed finding when ignore-unfixed is false', async () => {
    const { io } = await runWith(
      { 'ignore-unfixed': 'false', 'severity-threshold': 'none' },
      { report: SECRET_REPORT },
    )
    expect(io.outputs.vulnerabilities).toBe('{"CRITICAL":1,"HIGH":1,"MEDIUM":0,"LOW":0,"UNKNOWN":0}')
    expect(readFileSync(io.outputs['sarif-file'] ?? '', 'utf8')).not.toContain('Unfixed')
  })
})
