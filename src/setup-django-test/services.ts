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

/**
 * Parses a DATABASE_URL (postgres, mysql, sqlite, in dj-database-url's spelling) or a
 * REDIS_URL. The error never repeats the URL: it may carry a password.
 */
export function parseServiceUrl(text: string, source: string, expect: 'database' | 'redis'): ServiceTarget {
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
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigurationError(
      `${describeSource(source)} is not a valid ${scheme}:// URL (check for unescaped characters in the password)`,
    )
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === '') throw new ConfigurationError(`${describeSource(source)} has no host name`)
  const port = url.port === '' ? known.port : Number(url.port)
  return {
    kind: known.kind,
    label: known.label,
    source,
    host,
    port,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: known.tls ?? false,
  }
}

function describeSource(source: string): string {
  return source === source.toUpperCase() ? `Environment variable ${source}` : `Input '${source}'`
}

/** `PostgreSQL at db:5432`. */
export function describeTarget(target: ServiceTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host
  return `${target.label} at ${host}:${target.port}`
}
