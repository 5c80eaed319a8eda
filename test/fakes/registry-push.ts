import { createHash } from 'node:crypto'

/**
 * Pushes an image to a registry over the distribution API, the way `docker push` does it
 * (distribution spec, "Pushing blobs" and "Pushing manifests"): each blob by POST
 * /v2/<name>/blobs/uploads/ then a monolithic PUT to the Location it answers with `?digest=`,
 * then the manifest by PUT /v2/<name>/manifests/<tag> with its media type. No Docker engine
 * is needed, so tests of the registry (and of the fake ECR that reads it) can push exact bytes.
 */

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'

export interface PushedManifest {
  /** The digest the registry answered with (Docker-Content-Digest). */
  digest: string
  mediaType: string
  /** The manifest exactly as sent. */
  body: string
}

export interface RegistryTarget {
  host: string
  username: string
  password: string
}

const sha256 = (data: string | Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`

function authorization(target: RegistryTarget): Record<string, string> {
  const token = Buffer.from(`${target.username}:${target.password}`).toString('base64')
  return { Authorization: `Basic ${token}` }
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) {
    throw new Error(`${what}: registry answered ${response.status} ${await response.text()}`)
  }
}

/** Uploads one blob; returns its digest. */
export async function pushBlob(target: RegistryTarget, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data)
  const base = `http://${target.host}`
  const started = await fetch(`${base}/v2/${name}/blobs/uploads/`, {
    method: 'POST',
    headers: authorization(target),
  })
  await expectStatus(started, 202, `starting the upload of ${digest}`)
  const location = new URL(started.headers.get('location') ?? '', base)
  location.searchParams.set('digest', digest)
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...authorization(target), 'Content-Type': 'application/octet-stream' },
    body: data,
  })
  await expectStatus(put, 201, `uploading ${digest}`)
  return digest
}

/** Puts a manifest under a tag (or digest); returns what the registry stored. */
export async function pushManifest(
  target: RegistryTarget,
  name: string,
  reference: string,
  body: string,
  mediaType = DOCKER_MANIFEST,
): Promise<PushedManifest> {
  const put = await fetch(`http://${target.host}/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...authorization(target), 'Content-Type': mediaType },
    body,
  })
  await expectStatus(put, 201, `putting the manifest ${name}:${reference}`)
  return { digest: put.headers.get('docker-content-digest') ?? '', mediaType, body }
}

/** A single-platform image manifest (Docker v2 schema 2) over the given config and layer blobs. */
export function imageManifest(
  config: { digest: string; size: number },
  layers: { digest: string; size: number }[],
): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...config },
    layers: layers.map((layer) => ({
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      ...layer,
    })),
  })
}

/** Pushes a small image (a config and one layer made from `label`) under `tag`. */
export async function pushImage(
  target: RegistryTarget,
  name: string,
  tag: string,
  label: string,
): Promise<PushedManifest & { configDigest: string; layerSize: number }> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { label } },
      rootfs: { type: 'layers' },
    }),
  )
  const layer = Buffer.from(`layer of ${label}\n`)
  const configDigest = await pushBlob(target, name, config)
  const layerDigest = await pushBlob(target, name, layer)
  const body = imageManifest({ digest: configDigest, size: config.length }, [
    { digest: layerDigest, size: layer.length },
  ])
  return { ...(await pushManifest(target, name, tag, body)), configDigest, layerSize: layer.length }
}
