import { ConfigurationError } from '../lib/errors.js'

export type ServiceKind = 'postgres' | 'mysql' | 'redis' | 'sqlite'

/** A service the tests need, as far as waiting for it goes. */
export interface ServiceTarget {
  kind: ServiceKind
  /** Human name: `PostgreSQL`, `MySQL`, `Redis`. */
  label: string
  /** Where the URL came from, for messages: `database-url`, `DATABASE_URL`, `REDIS_URL`. */
  source: string
  host: string
  port: number
  username?: string
  password?: string
  tls: boolean
  /** SQLite: the database file; nothing to wait for. */
  path?: string
  /**
   * A Unix-socket URL: the socket files to try, in order (the first that answers counts). With
   * no host at all, libpq's default folders: Debian's and Ubuntu's, then upstream's.
   */
  socket?: string[]
}

const SCHEMES: Record<string, { kind: ServiceKind; label: string; port: number; tls?: boolean }> = {
  postgres: { kind: 'postgres', label: 'PostgreSQL', port: 5432 },
  postgresql: { kind: 'postgres', label: 'PostgreSQL', port: 5432 },
  pgsql: { kind: 'postgres', label: 'PostgreSQL', port: 5432 },
  postgis: { kind: 'postgres', label: 'PostgreSQL', port: 5432 },
  mysql: { kind: 'mysql', label: 'MySQL', port: 3306 },
  mysql2: { kind: 'mysql', label: 'MySQL', port: 3306 },
  mariadb: { kind: 'mysql', label: 'MySQL', port: 3306 },
  sqlite: { kind: 'sqlite', label: 'SQLite', port: 0 },
  redis: { kind: 'redis', label: 'Redis', port: 6379 },
  rediss: { kind: 'redis', label: 'Redis', port: 6379, tls: true },
}

const DATABASE_KINDS: ServiceKind[] = ['postgres', 'mysql', 'sqlite']

/** Where libpq and libmysqlclient look for the server's socket when the URL names no host. */
const DEFAULT_SOCKET_DIRS: Partial<Record<ServiceKind, string[]>> = {
  postgres: ['/var/run/postgresql', '/tmp'],
}
const DEFAULT_SOCKET_FILES: Partial<Record<ServiceKind, string[]>> = {
  mysql: ['/var/run/mysqld/mysqld.sock', '/tmp/mysql.sock'],
}

/**
 * Parses a DATABASE_URL (postgres, mysql, sqlite, in dj-database-url's spelling) or a
 * REDIS_URL. The error never repeats the URL: it may carry a password.
 *
 * Unix sockets are read as dj-database-url and Django read them: a percent-encoded path as the
 * host (`postgres://%2Fvar%2Frun%2Fpostgresql/db`), no host at all (`postgres:///db`: libpq's
 * PGHOST, else its default folder), or the `host` (PostgreSQL) / `unix_socket` (MySQL) query
 * option, which dj-database-url passes through in OPTIONS and which a host in the URL overrides.
 */
export function parseServiceUrl(
  text: string,
  source: string,
  expect: 'database' | 'redis',
  env: NodeJS.ProcessEnv = {},
): ServiceTarget {
  const allowed = expect === 'database' ? 'postgres://, mysql:// or sqlite://' : 'redis:// or rediss://'
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase()
  const known = scheme === undefined ? undefined : SCHEMES[scheme.split('+')[0] ?? scheme]
  const fits = known && (expect === 'database' ? DATABASE_KINDS.includes(known.kind) : known.kind === 'redis')
  if (!known || !fits) {
    throw new ConfigurationError(
      `${describeSource(source)} must be a ${allowed} URL (got ${scheme ? `a ${scheme}:// URL` : 'something that is not a URL'})`,
    )
  }
  if (known.kind === 'sqlite') {
    const path = text.slice(text.indexOf('://') + 3)
    return {
      kind: 'sqlite',
      label: known.label,
      source,
      host: '',
      port: 0,
      tls: false,
      path: path.replace(/^\//, '') || ':memory:',
    }
  }
  let url: SplitUrl
  try {
    url = splitUrl(text)
  } catch {
    throw new ConfigurationError(
      `${describeSource(source)} is not a valid ${scheme}:// URL (check for unescaped characters in the password)`,
    )
  }
  const query = (name: string) => url.query.get(name) ?? undefined
  const host = percentDecode(url.hostname)
  const portText = url.port ?? (known.kind === 'postgres' ? query('port') : undefined)
  const port = portText === undefined || portText === '' ? known.port : Number(portText)
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ConfigurationError(`${describeSource(source)} has an invalid port`)
  const target: ServiceTarget = {
    kind: known.kind,
    label: known.label,
    source,
    host,
    port,
    username: url.username ? percentDecode(url.username) : undefined,
    password: url.password ? percentDecode(url.password) : undefined,
    tls: known.tls ?? false,
  }
  const where = connectTo(target, query, env)
  if (where.socket) return { ...target, host: '', socket: where.socket }
  if (where.host === '') throw new ConfigurationError(`${describeSource(source)} has no host name`)
  return { ...target, host: where.host }
}

/** The TCP host, or the socket files, the database driver connects to for this URL. */
function connectTo(
  target: ServiceTarget,
  query: (name: string) => string | undefined,
  env: NodeJS.ProcessEnv,
): { host: string; socket?: string[] } {
  if (target.kind === 'postgres') {
    // Django passes HOST (when set) over OPTIONS' host; with neither, libpq reads PGHOST.
    const host = target.host || query('host') || env.PGHOST?.trim() || ''
    if (host !== '' && !host.startsWith('/')) return { host }
    const dirs = host === '' ? (DEFAULT_SOCKET_DIRS.postgres ?? []) : [host.replace(/\/+$/, '') || '/']
    return { host: '', socket: dirs.map((dir) => `${dir === '/' ? '' : dir}/.s.PGSQL.${target.port}`) }
  }
  if (target.kind === 'mysql') {
    const path = target.host.startsWith('/') ? target.host : query('unix_socket')
    if (path) return { host: '', socket: [path] }
    if (target.host === '') return { host: '', socket: DEFAULT_SOCKET_FILES.mysql }
  }
  return { host: target.host }
}

/**
 * Percent-decoding as Python's urllib.parse.unquote does it (what dj-database-url applies to
 * every part): valid `%XX` sequences become bytes read as UTF-8, anything else stays as it is.
 */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3)
    if (text[i] === '%' && /^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      const code = text.codePointAt(i) as number
      if (code > 0xffff) i++
      bytes.push(...Buffer.from(String.fromCodePoint(code), 'utf8'))
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

export interface SplitUrl {
  username?: string
  /** Still percent-encoded. */
  password?: string
  hostname: string
  port?: string
  path: string
  query: URLSearchParams
}

/**
 * A URL split as Python's urllib.parse.urlsplit splits it, which is how dj-database-url (and so
 * Django's settings) read DATABASE_URL: the authority ends at the first `/`, `?` or `#`, the
 * user info at its last `@`, the password starts after the user info's first `:`. Unlike WHATWG
 * URL (Node's), it takes a hostless URL with a password (`postgres://u:p@/db`, a socket URL).
 * Throws, as urllib does, on a port that is not a number from 0 to 65535.
 */
export function splitUrl(text: string): SplitUrl {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(text.trim())
  if (!match) throw new Error('not a URL with an authority')
  const { userinfo, hostinfo } = splitNetloc(match[1] ?? '')
  const colon = userinfo?.indexOf(':') ?? -1
  let hostname = hostinfo
  let port: string | undefined
  const bracket = hostinfo.indexOf('[')
  if (bracket >= 0) {
    const close = hostinfo.indexOf(']', bracket)
    hostname = hostinfo.slice(bracket + 1, close < 0 ? undefined : close)
    const rest = close < 0 ? '' : hostinfo.slice(close + 1)
    port = rest.includes(':') ? rest.slice(rest.indexOf(':') + 1) : undefined
  } else if (hostinfo.includes(':')) {
    hostname = hostinfo.slice(0, hostinfo.indexOf(':'))
    port = hostinfo.slice(hostinfo.indexOf(':') + 1)
  }
  if (port === '') port = undefined
  if (port !== undefined && (!/^[0-9]+$/.test(port) || Number(port) > 65535))
    throw new Error('port out of range 0-65535')
  return {
    ...(userinfo !== undefined ? { username: colon < 0 ? userinfo : userinfo.slice(0, colon) } : {}),
    ...(userinfo !== undefined && colon >= 0 ? { password: userinfo.slice(colon + 1) } : {}),
    hostname,
    ...(port !== undefined ? { port } : {}),
    path: match[2] ?? '',
    query: new URLSearchParams(match[3] ?? ''),
  }
}

function splitNetloc(netloc: string): { userinfo?: string; hostinfo: string } {
  const at = netloc.lastIndexOf('@')
  return at < 0 ? { hostinfo: netloc } : { userinfo: netloc.slice(0, at), hostinfo: netloc.slice(at + 1) }
}

/**
 * The password of a URL as urllib.parse.urlsplit reads it (see splitUrl), still percent-encoded;
 * also when the rest of the URL is malformed, so it is masked before that is reported.
 */
export function urlPassword(text: string): string | undefined {
  const netloc = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text.trim())?.[1]
  const userinfo = netloc === undefined ? undefined : splitNetloc(netloc).userinfo
  const colon = userinfo?.indexOf(':') ?? -1
  return userinfo === undefined || colon < 0 ? undefined : userinfo.slice(colon + 1) || undefined
}

/**
 * Every form a URL's password can reach a log in: as written, percent-decoded (what the
 * database driver gets) and as WHATWG URL (Node) re-encodes it.
 */
export function passwordForms(text: string): string[] {
  const raw = urlPassword(text)
  if (raw === undefined) return []
  const forms = new Set([raw, percentDecode(raw)])
  try {
    const whatwg = new URL(text.trim()).password
    if (whatwg) forms.add(whatwg)
  } catch {
    // A URL Node cannot parse is refused by parseServiceUrl; its raw forms are masked already.
  }
  return [...forms]
}

function describeSource(source: string): string {
  return source === source.toUpperCase() ? `Environment variable ${source}` : `Input '${source}'`
}

/** `PostgreSQL at db:5432`, `PostgreSQL at /var/run/postgresql/.s.PGSQL.5432`. */
export function describeTarget(target: ServiceTarget): string {
  if (target.socket) return `${target.label} at ${target.socket.join(' or ')}`
  const host = target.host.includes(':') ? `[${target.host}]` : target.host
  return `${target.label} at ${host}:${target.port}`
}
