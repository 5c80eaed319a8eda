import { DEFAULT_TRIVY_VERSION, parseInputs } from '../../../src/build-and-scan-image/inputs.js'
import { parseSize } from '../../../src/build-and-scan-image/size.js'
import { inputsOf } from '../../helpers/io.js'

const parse = (values: Record<string, string>) => parseInputs(inputsOf({ image: 'shop', ...values }))

describe('parseInputs', () => {
  it('applies the documented defaults', () => {
    expect(parse({})).toEqual({
      image: 'shop',
      context: '.',
      dockerfile: './Dockerfile',
      tags: [],
      buildArgs: {},
      target: undefined,
      platforms: [],
      labels: {},
      builder: 'auto',
      cache: true,
      push: false,
      lint: true,
      scan: true,
      severityThreshold: 'HIGH',
      ignoreUnfixed: true,
      trivyignore: undefined,
      trivyVersion: DEFAULT_TRIVY_VERSION,
      trivyPath: undefined,
      sarifFile: undefined,
      maxSize: undefined,
      extraTags: [],
      cacheFrom: [],
      cacheTo: [],
      noCache: false,
      pull: false,
      provenance: undefined,
      sbom: undefined,
      sbomFile: undefined,
      scanners: ['vuln', 'secret'],
    })
  })

  it('reads every input', () => {
    const inputs = parse({
      image: 'Registry.example.com/Team/Shop',
      context: 'app/',
      tags: 'stable\n1.0, registry.example.com/team/shop:extra',
      'build-args': 'PY=3.12\nNOTE=a=b',
      target: 'prod',
      platforms: 'linux/amd64',
      labels: 'team=web',
      builder: 'Docker',
      cache: 'false',
      push: 'true',
      lint: 'false',
      scan: 'false',
      'severity-threshold': 'critical',
      'ignore-unfixed': 'false',
      trivyignore: '.trivyignore',
      'trivy-version': 'v0.60.0',
      'trivy-path': 'bin/trivy',
      'sarif-file': 'trivy.sarif',
      'max-size': '1.5GB',
    })
    expect(inputs).toMatchObject({
      image: 'registry.example.com/team/shop',
      dockerfile: 'app/Dockerfile',
      tags: ['stable', '1.0', 'registry.example.com/team/shop:extra'],
      buildArgs: { PY: '3.12', NOTE: 'a=b' },
      builder: 'docker',
      severityThreshold: 'CRITICAL',
      trivyVersion: '0.60.0',
      maxSize: 1_500_000_000,
      cache: false,
      push: true,
      lint: false,
      scan: false,
      ignoreUnfixed: false,
    })
  })

  it.each([
    [{ image: '' }, /Input 'image' is required/],
    [{ image: 'shop:1.0' }, /without a tag/],
    [{ builder: 'kaniko' }, /Input 'builder' must be one of auto, buildx, docker \(got 'kaniko'\)/],
    [
      { 'severity-threshold': 'severe' },
      /Input 'severity-threshold' must be one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN, none/,
    ],
    [{ 'build-args': 'NOVALUE' }, /Input 'build-args' must be KEY=VALUE lines \(got 'NOVALUE'\)/],
    [{ 'build-args': '=x' }, /Input 'build-args' must be KEY=VALUE/],
    [{ labels: 'a b=c' }, /Input 'labels' must be KEY=VALUE/],
    [{ tags: 'ok, bad tag!' }, /Input 'tags' entry 'bad tag!' is not a valid tag/],
    [{ tags: '-dash' }, /not a valid tag/],
    [{ platforms: 'amd64' }, /Input 'platforms' entry 'amd64' must be os\/arch/],
    [{ platforms: 'linux/amd64,linux/arm64' }, /set 'push: true'/],
    [
      { platforms: 'linux/amd64,linux/arm64', builder: 'docker', push: 'true' },
      /'builder: docker' builds one/,
    ],
    [
      { platforms: 'linux/amd64,linux/arm64', push: 'true', 'max-size': '1GB' },
      /'max-size' needs a single-platform/,
    ],
    [{ push: 'yes' }, /Input 'push' must be true or false \(got 'yes'\)/],
    [{ 'max-size': 'big' }, /Input 'max-size' must be a size like 500MB/],
    [{ 'max-size': '0' }, /Input 'max-size' must be a size/],
    [{ 'trivy-version': 'latest' }, /Input 'trivy-version' must be a release version like/],
    [{ target: 'bad target' }, /Input 'target' must be a stage name/],
  ])('rejects %j', (values, message) => {
    expect(() => parse(values)).toThrow(message)
  })
})

describe('parseSize', () => {
  it.each([
    ['500MB', 500_000_000],
    ['1.5GB', 1_500_000_000],
    ['300MiB', 300 * 1024 * 1024],
    ['2048', 2048],
    ['10 kb', 10_000],
  ])('%s = %i bytes', (text, bytes) => expect(parseSize(text, "Input 'max-size'")).toBe(bytes))
})
