import type { LocalImage } from '../../../src/lib/docker/image.js'
import { decodeAuthorization, registryHost } from '../../../src/push-to-ecr/auth.js'
import { keepLastPolicy, samePolicy } from '../../../src/push-to-ecr/lifecycle.js'
import { configDigest, isSameImage, planTag } from '../../../src/push-to-ecr/plan.js'
import { recordingIO } from '../../helpers/io.js'

const D = (c: string) => `sha256:${c.repeat(64)}`
const URI = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web'

describe('keepLastPolicy', () => {
  test('expires everything but the newest N images, tagged or not', () => {
    expect(JSON.parse(keepLastPolicy(7))).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: 'Keep only the newest 7 images',
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 7 },
          action: { type: 'expire' },
        },
      ],
    })
  })
})

describe('samePolicy', () => {
  test.each([
    ['{"a":1,"b":[1,2]}', '{ "b": [1, 2], "a": 1 }', true],
    ['{"a":1}', '{"a":2}', false],
    ['{"b":[1,2]}', '{"b":[2,1]}', false],
    ['{"a":1}', 'not json', false],
  ])('%p vs %p -> %p', (a, b, same) => {
    expect(samePolicy(a, b)).toBe(same)
  })
})

describe('planTag', () => {
  test.each([
    [undefined, false, 'IMMUTABLE', { action: 'push' }],
    [undefined, false, 'MUTABLE', { action: 'push' }],
    [{ digest: D('a'), tags: ['v1'] }, true, 'IMMUTABLE', { action: 'skip', digest: D('a') }],
    [{ digest: D('a'), tags: ['v1'] }, true, 'MUTABLE', { action: 'skip', digest: D('a') }],
    [{ digest: D('a'), tags: ['v1'] }, false, 'IMMUTABLE', { action: 'conflict', digest: D('a') }],
    [{ digest: D('a'), tags: ['v1'] }, false, 'MUTABLE', { action: 'replace', previousDigest: D('a') }],
    // Only the registry knows which tags its exclusion filters make mutable: let it decide.
    [
      { digest: D('a'), tags: ['v1'] },
      false,
      'IMMUTABLE_WITH_EXCLUSION',
      { action: 'replace', previousDigest: D('a') },
    ],
  ])('remote %p, same %p, %s -> %p', (remote, same, mutability, plan) => {
    expect(planTag(remote, same, mutability)).toEqual(plan)
  })
})

describe('isSameImage', () => {
  const local = (over: Partial<LocalImage> = {}): LocalImage => ({
    id: D('c'),
    repoTags: [],
    repoDigests: [],
    ...over,
  })
  const manifest = (config: string) => ({
    digest: D('a'),
    manifest: JSON.stringify({ config: { digest: config } }),
  })
  const remote = { digest: D('a'), tags: ['v1'] }

  test.each([
    ['image ID equals the remote config digest', local(), manifest(D('c')), true],
    ['image ID is another config', local(), manifest(D('e')), false],
    ['containerd store: image ID is the manifest digest', local({ id: D('a') }), undefined, true],
    [
      'the daemon recorded this digest for the repository',
      local({ repoDigests: [`${URI}@${D('a')}`] }),
      undefined,
      true,
    ],
    [
      'the digest was recorded for another repository',
      local({ repoDigests: [`other/web@${D('a')}`] }),
      undefined,
      false,
    ],
    [
      'a multi-platform index has no config',
      local(),
      { digest: D('a'), manifest: '{"manifests":[]}' },
      false,
    ],
  ])('%s', (_label, image, remoteManifest, same) => {
    expect(isSameImage(image, URI, remote, remoteManifest)).toBe(same)
  })

  test('configDigest tolerates garbage', () => {
    expect(configDigest({ digest: D('a'), manifest: 'not json' })).toBeUndefined()
    expect(configDigest(undefined)).toBeUndefined()
  })
})

describe('decodeAuthorization', () => {
  test('masks the token, the password and its base64 before returning the login', () => {
    const io = recordingIO()
    const token = Buffer.from('AWS:pa55word-from-ecr').toString('base64')
    const login = decodeAuthorization(io, { token, proxyEndpoint: `https://${URI.split('/')[0]}` })
    expect(login).toEqual({
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      username: 'AWS',
      password: 'pa55word-from-ecr',
    })
    expect(io.secrets).toEqual(
      expect.arrayContaining([
        token,
        'pa55word-from-ecr',
        Buffer.from('pa55word-from-ecr').toString('base64'),
      ]),
    )
  })

  test('a token that is not user:password is an error, and still masked', () => {
    const io = recordingIO()
    const token = Buffer.from('garbage').toString('base64')
    expect(() => decodeAuthorization(io, { token, proxyEndpoint: 'https://r' })).toThrow(/not user:password/)
    expect(io.secrets).toContain(token)
  })

  test.each([
    ['https://1.dkr.ecr.eu-west-1.amazonaws.com', '1.dkr.ecr.eu-west-1.amazonaws.com'],
    ['https://1.dkr.ecr.eu-west-1.amazonaws.com/', '1.dkr.ecr.eu-west-1.amazonaws.com'],
    ['http://127.0.0.1:5000', '127.0.0.1:5000'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
  ])('registryHost(%p) = %p', (endpoint, host) => {
    expect(registryHost(endpoint)).toBe(host)
  })
})
