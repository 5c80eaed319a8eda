import {
  buildArgv,
  cacheScope,
  hasGhaCacheService,
  type BuildPlan,
} from '../../../src/build-and-scan-image/build-args.js'
import { failedStep } from '../../../src/build-and-scan-image/build-output.js'
import { parsePushDigest } from '../../../src/lib/docker/cli.js'
import { isRootUser } from '../../../src/lib/docker/image.js'
import { parseDockerfile } from '../../../src/build-and-scan-image/dockerfile.js'
import { trivyDbCacheKey } from '../../../src/lib/trivy/db-cache.js'
import { expectedChecksum, trivyAsset } from '../../../src/lib/trivy/install.js'

const base: BuildPlan = {
  builder: 'docker',
  dockerfile: 'app/Dockerfile',
  context: 'app',
  references: ['shop:main', 'shop:sha-1234567'],
  labels: { 'org.opencontainers.image.revision': 'abc' },
  buildArgs: { PY: '3.12', NOTE: 'a b; $(touch pwned)' },
  platforms: [],
  iidFile: '/t/iid',
}

describe('buildArgv', () => {
  it.each<[string, Partial<BuildPlan>, string[]]>([
    [
      'docker build: tags, labels, build args as data',
      {},
      [
        'build',
        '--force-rm',
        '--file',
        'app/Dockerfile',
        '--tag',
        'shop:main',
        '--tag',
        'shop:sha-1234567',
        '--label',
        'org.opencontainers.image.revision=abc',
        '--build-arg',
        'PY=3.12',
        '--build-arg',
        'NOTE=a b; $(touch pwned)',
        '--iidfile',
        '/t/iid',
        'app',
      ],
    ],
    [
      'docker build with target and one platform',
      { target: 'prod', platforms: ['linux/amd64'], labels: {}, buildArgs: {} },
      [
        'build',
        '--force-rm',
        '--file',
        'app/Dockerfile',
        '--tag',
        'shop:main',
        '--tag',
        'shop:sha-1234567',
        '--target',
        'prod',
        '--platform',
        'linux/amd64',
        '--iidfile',
        '/t/iid',
        'app',
      ],
    ],
    [
      'buildx: plain progress, metadata file, loads to scan',
      { builder: 'buildx', labels: {}, buildArgs: {}, metadataFile: '/t/meta.json' },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--file',
        'app/Dockerfile',
        '--tag',
        'shop:main',
        '--tag',
        'shop:sha-1234567',
        '--iidfile',
        '/t/iid',
        '--metadata-file',
        '/t/meta.json',
        '--load',
        'app',
      ],
    ],
    [
      'buildx with the GitHub Actions cache',
      {
        builder: 'buildx',
        labels: {},
        buildArgs: {},
        references: ['shop:1'],
        metadataFile: '/t/m',
        ghaCacheScope: 'shop',
      },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--file',
        'app/Dockerfile',
        '--tag',
        'shop:1',
        '--iidfile',
        '/t/iid',
        '--metadata-file',
        '/t/m',
        '--cache-from',
        'type=gha,scope=shop',
        '--cache-to',
        'type=gha,mode=max,scope=shop',
        '--load',
        'app',
      ],
    ],
    [
      'buildx multi-platform pushes from the builder',
      {
        builder: 'buildx',
        labels: {},
        buildArgs: {},
        references: ['r.example.com/shop:1'],
        platforms: ['linux/amd64', 'linux/arm64'],
        metadataFile: '/t/m',
        pushFromBuilder: true,
      },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--file',
        'app/Dockerfile',
        '--tag',
        'r.example.com/shop:1',
        '--platform',
        'linux/amd64,linux/arm64',
        '--iidfile',
        '/t/iid',
        '--metadata-file',
        '/t/m',
        '--push',
        'app',
      ],
    ],
  ])('%s', (_name, plan, argv) => {
    expect(buildArgv({ ...base, ...plan })).toEqual(argv)
  })

  it.each([
    [{ ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results/' }, true],
    [{ ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_CACHE_URL: 'https://cache/' }, true],
    [{ ACTIONS_RESULTS_URL: 'https://results/' }, false],
    [{}, false],
  ])('cache service available in %j: %s', (env, expected) => expect(hasGhaCacheService(env)).toBe(expected))

  it('makes a cache scope from the image name', () => {
    expect(cacheScope('registry.example.com:5000/team/shop')).toBe('registry.example.com-5000-team-shop')
  })
})

const DOCKERFILE = `ARG BASE=devops-actions/python-django:bookworm
FROM \${BASE} AS build
RUN echo hello
FROM build
RUN echo one && \\
    false
`

// Output of the classic builder (Debian docker.io 20.10, DOCKER_BUILDKIT=0) for DOCKERFILE.
const CLASSIC = `Sending build context to Docker daemon  3.584kB
Step 1/5 : ARG BASE=devops-actions/python-django:bookworm
Step 2/5 : FROM \${BASE} AS build
 ---> 4c704609e617
Step 3/5 : RUN echo hello
 ---> Running in 7496edbe7757
hello
Removing intermediate container 7496edbe7757
 ---> e87107cc216d
Step 4/5 : FROM build
 ---> e87107cc216d
Step 5/5 : RUN echo one &&     false
 ---> Running in 6d14d00addb9
one
DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
The command '/bin/sh -c echo one &&     false' returned a non-zero code: 1
`

// BuildKit (buildx --progress=plain) output for the same failure.
const BUILDKIT = `#0 building with "default" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 180B done
#1 DONE 0.0s

#5 [build 2/2] RUN echo hello
#5 0.301 hello
#5 DONE 0.4s

#6 [stage-1 2/2] RUN echo one &&     false
#6 0.288 one
#6 ERROR: process "/bin/sh -c echo one &&     false" did not complete successfully: exit code: 1
------
 > [stage-1 2/2] RUN echo one &&     false:
0.288 one
------
Dockerfile:5
--------------------
   4 |     FROM build
   5 | >>> RUN echo one && \\
   6 | >>>     false
   7 |
--------------------
ERROR: failed to solve: process "/bin/sh -c echo one &&     false" did not complete successfully: exit code: 1
`

describe('failedStep', () => {
  const instructions = parseDockerfile(DOCKERFILE).instructions

  it('finds the step in classic builder output by its number', () => {
    expect(failedStep(CLASSIC, instructions)).toEqual({
      line: 5,
      step: 'RUN echo one &&     false',
      reason: "The command '/bin/sh -c echo one &&     false' returned a non-zero code: 1",
    })
  })

  it('finds the step in BuildKit output by its Dockerfile pointer', () => {
    expect(failedStep(BUILDKIT, instructions)).toEqual({
      line: 5,
      step: 'RUN echo one &&     false',
      reason: 'process "/bin/sh -c echo one &&     false" did not complete successfully: exit code: 1',
    })
  })

  it('matches the BuildKit step text to a line when there is no pointer', () => {
    const output = BUILDKIT.split('\n')
      .filter((line) => !line.startsWith('Dockerfile:'))
      .join('\n')
    expect(failedStep(output, instructions)?.line).toBe(5)
  })

  it('says nothing when the output names no step', () => {
    expect(
      failedStep('Cannot connect to the Docker daemon at unix:///var/run/docker.sock', instructions),
    ).toBeUndefined()
  })
})

describe('docker output helpers', () => {
  it('reads the digest docker push reports', () => {
    const digest = `sha256:${'b'.repeat(64)}`
    expect(parsePushDigest(`abc: Pushed\nmain: digest: ${digest} size: 1570\n`)).toBe(digest)
    expect(parsePushDigest('nothing here')).toBeUndefined()
  })

  it.each([
    ['', true],
    ['root', true],
    ['0', true],
    ['0:0', true],
    ['root:app', true],
    ['app', false],
    ['10001:10001', false],
  ])('isRootUser(%j) = %s', (user, expected) => expect(isRootUser(user)).toBe(expected))
})

describe('Trivy release assets', () => {
  it.each([
    ['linux', 'x64', 'trivy_0.67.2_Linux-64bit.tar.gz'],
    ['linux', 'arm64', 'trivy_0.67.2_Linux-ARM64.tar.gz'],
    ['darwin', 'arm64', 'trivy_0.67.2_macOS-ARM64.tar.gz'],
  ] as const)('%s/%s -> %s', (platform, arch, asset) => {
    expect(trivyAsset('0.67.2', platform, arch)).toBe(asset)
  })

  it('has no tarball for Windows', () => {
    expect(() => trivyAsset('0.67.2', 'win32', 'x64')).toThrow(/set 'trivy-path'/)
  })

  it('finds the checksum of the asset, not of a neighbour', () => {
    const sums = `${'a'.repeat(64)}  trivy_0.67.2_Linux-64bit.deb\n${'B'.repeat(64)}  trivy_0.67.2_Linux-64bit.tar.gz\n`
    expect(expectedChecksum(sums, 'trivy_0.67.2_Linux-64bit.tar.gz')).toBe('b'.repeat(64))
    expect(expectedChecksum(sums, 'trivy_0.67.2_Linux-ARM64.tar.gz')).toBeUndefined()
  })

  it('keys the database cache by day', () => {
    expect(trivyDbCacheKey(new Date('2026-03-10T23:59:00Z'), 'linux')).toBe('trivy-db-linux-2026-03-10')
  })
})
