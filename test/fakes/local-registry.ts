import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A REAL Docker registry (Debian's `docker-registry`, distribution v2) on 127.0.0.1:<free port>
 * with htpasswd (bcrypt) authentication. The Docker engine treats 127.0.0.0/8 registries as
 * plain HTTP, so no TLS is needed. Used with the fake ECR API, whose authorization tokens point
 * here, so logins, pushes and digests are real.
 */
export interface LocalRegistry {
  /** host:port, what docker logs in to and tags against. */
  host: string
  username: string
  password: string
  /** GET a manifest by tag or digest; undefined on 404. */
  manifest(name: string, reference: string): Promise<RegistryManifest | undefined>
  tags(name: string): Promise<string[]>
  close(): Promise<void>
}

export interface RegistryManifest {
  digest: string
  mediaType: string
  body: string
}

export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ')

const SETUP_HINT = 'run `bash scripts/e2e/setup.sh` to install and start the e2e prerequisites'

function findRegistryBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/bin')) {
    const candidate = join(dir, 'docker-registry')
    if (dir && existsSync(candidate)) return candidate
  }
  throw new Error(`docker-registry is not installed: ${SETUP_HINT}`)
}

/**
 * A bcrypt htpasswd line: Apache's htpasswd (scripts/e2e/setup.d installs it), else Python's crypt
 * (Debian's python3 up to 3.12).
 * The registry checks the hash on every request, so the lowest cost (4) keeps pushes fast.
 */
function htpasswdLine(username: string, password: string): string {
  try {
    return execFileSync('htpasswd', ['-nbB', '-C', '4', username, password], { encoding: 'utf8' }).trim()
  } catch {
    const hash = execFileSync(
      '/usr/bin/python3',
      [
        '-W',
        'ignore',
        '-c',
        'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))',
        password,
      ],
      { encoding: 'utf8' },
    ).trim()
    if (!hash.startsWith('$2')) throw new Error(`Cannot make a bcrypt hash (got '${hash}'): ${SETUP_HINT}`)
    return `${username}:${hash}`
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

function request(url: string, headers: Record<string, string>, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * Reads a registry's /v2 API (manifests and tags) at `host`, with Basic credentials when given:
 * the registry started here, or one that runs elsewhere (a `registry:2` service container).
 */
export function registryClient(
  host: string,
  credentials?: { username: string; password: string },
): Pick<LocalRegistry, 'manifest' | 'tags'> {
  const auth: Record<string, string> = credentials
    ? {
        Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
      }
    : {}
  const base = `http://${host}/v2`
  return {
    async manifest(name, reference) {
      const res = await request(`${base}/${name}/manifests/${reference}`, {
        ...auth,
        Accept: MANIFEST_ACCEPT,
      })
      if (res.status === 404) return undefined
      if (res.status !== 200) throw new Error(`registry answered ${res.status} for ${name}:${reference}`)
      return {
        digest: String(res.headers['docker-content-digest'] ?? ''),
        mediaType: String(res.headers['content-type'] ?? ''),
        body: res.body,
      }
    },
    async tags(name) {
      const res = await request(`${base}/${name}/tags/list`, auth)
      if (res.status === 404) return []
      if (res.status !== 200) throw new Error(`registry answered ${res.status} listing tags of ${name}`)
      return ((JSON.parse(res.body) as { tags?: string[] | null }).tags ?? []).sort()
    },
  }
}

export async function startLocalRegistry(): Promise<LocalRegistry> {
  const binary = findRegistryBinary()
  const dir = mkdtempSync(join(tmpdir(), 'registry-'))
  const username = 'AWS'
  const password = randomBytes(18).toString('hex')
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  mkdirSync(join(dir, 'data'))
  writeFileSync(join(dir, 'htpasswd'), `${htpasswdLine(username, password)}\n`)
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      'auth:',
      '  htpasswd:',
      '    realm: registry',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  )
  const child: ChildProcess = spawn(binary, ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const client = registryClient(host, { username, password })

  const close = async () => {
    if (child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
    }
    rmSync(dir, { recursive: true, force: true })
  }

  const deadline = Date.now() + 15_000
  for (;;) {
    const answer = await request(`http://${host}/v2/`, {}).catch(() => undefined)
    if (answer?.status === 401) break
    if (child.exitCode !== null || Date.now() > deadline) {
      await close()
      throw new Error(`docker-registry did not start on ${host}: ${stderr.trim().split('\n').pop() ?? ''}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }

  return { host, username, password, ...client, close }
}
