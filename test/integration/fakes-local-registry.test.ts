// The local registry helper's own tests: the registry it starts is Debian's docker-registry
// (distribution v2, nobody here wrote it), and these hold the helper's /v2 client (manifest(),
// tags()), which the fake ECR reads digests and tags through, to what that registry answers.
import { createHash } from 'node:crypto'
import { registryClient, startLocalRegistry, type LocalRegistry } from '../fakes/local-registry.js'
import { OCI_INDEX, pushBlob, pushImage, pushManifest } from '../fakes/registry-push.js'
import { requireCommand } from '../helpers/prerequisites.js'

let registry: LocalRegistry

beforeAll(async () => {
  requireCommand('docker-registry', ['--version'], "Debian's docker-registry")
  registry = await startLocalRegistry()
}, 30_000)

afterAll(async () => {
  await registry?.close()
})

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`

describe("the local registry (Debian's docker-registry) and its client", () => {
  test('asks for Basic credentials on /v2/ and accepts the generated ones', async () => {
    const anonymous = await fetch(`http://${registry.host}/v2/`)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="registry"/)
    expect(anonymous.headers.get('docker-distribution-api-version')).toBe('registry/2.0')
    const token = Buffer.from(`${registry.username}:${registry.password}`).toString('base64')
    const authorized = await fetch(`http://${registry.host}/v2/`, {
      headers: { Authorization: `Basic ${token}` },
    })
    expect(authorized.status).toBe(200)
  })

  test('a pushed manifest reads back by tag and by digest: the digest is the sha256 of its bytes', async () => {
    const pushed = await pushImage(registry, 'team/web', 'v1', 'first')
    expect(pushed.digest).toBe(sha256(pushed.body))
    const byTag = await registry.manifest('team/web', 'v1')
    expect(byTag).toEqual({ digest: pushed.digest, mediaType: pushed.mediaType, body: pushed.body })
    expect(await registry.manifest('team/web', pushed.digest)).toEqual(byTag)
  })

  test('tags are listed sorted; a tag moved to another manifest reads the new one', async () => {
    const first = await pushImage(registry, 'team/api', 'v2', 'api one')
    await pushManifest(registry, 'team/api', 'latest', first.body)
    await pushManifest(registry, 'team/api', 'v1', first.body)
    expect(await registry.tags('team/api')).toEqual(['latest', 'v1', 'v2'])
    const second = await pushImage(registry, 'team/api', 'latest', 'api two')
    expect(second.digest).not.toBe(first.digest)
    expect((await registry.manifest('team/api', 'latest'))?.digest).toBe(second.digest)
    expect((await registry.manifest('team/api', 'v1'))?.digest).toBe(first.digest)
  })

  test('the same push twice stores one manifest under one digest', async () => {
    const once = await pushImage(registry, 'team/twice', 'v1', 'same')
    const again = await pushImage(registry, 'team/twice', 'v1', 'same')
    expect(again.digest).toBe(once.digest)
    expect(await registry.tags('team/twice')).toEqual(['v1'])
  })

  test('an unknown tag is undefined, an unknown repository has no tags', async () => {
    await pushImage(registry, 'team/known', 'v1', 'known')
    expect(await registry.manifest('team/known', 'v9')).toBeUndefined()
    expect(await registry.manifest('team/unknown', 'v1')).toBeUndefined()
    expect(await registry.tags('team/unknown')).toEqual([])
  })

  test('an OCI index is answered with its own media type (the client accepts indexes)', async () => {
    const image = await pushImage(registry, 'team/multi', 'amd64', 'multi')
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: image.mediaType,
          digest: image.digest,
          size: Buffer.byteLength(image.body),
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
    })
    const pushed = await pushManifest(registry, 'team/multi', 'v1', index, OCI_INDEX)
    expect(await registry.manifest('team/multi', 'v1')).toEqual({
      digest: pushed.digest,
      mediaType: OCI_INDEX,
      body: index,
    })
  })

  test('a manifest naming a blob the registry does not have is refused', async () => {
    const config = await pushBlob(registry, 'team/broken', Buffer.from('{}'))
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: config, size: 2 },
      layers: [
        {
          mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
          digest: `sha256:${'0'.repeat(64)}`,
          size: 1,
        },
      ],
    })
    await expect(pushManifest(registry, 'team/broken', 'v1', body)).rejects.toThrow(/registry answered 400/)
    expect(await registry.manifest('team/broken', 'v1')).toBeUndefined()
  })

  test('the client with wrong credentials fails naming the status, never reads as "not found"', async () => {
    await pushImage(registry, 'team/secret', 'v1', 'secret')
    const wrong = registryClient(registry.host, { username: registry.username, password: 'wrong' })
    await expect(wrong.manifest('team/secret', 'v1')).rejects.toThrow(
      'registry answered 401 for team/secret:v1',
    )
    await expect(wrong.tags('team/secret')).rejects.toThrow(
      'registry answered 401 listing tags of team/secret',
    )
  })
})
