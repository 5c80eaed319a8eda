import { ConfigurationError } from '../../../src/lib/errors.js'
import { greeting, interpretReply, PG_SSL_REQUEST } from '../../../src/setup-django-test/probe.js'
import { describeTarget, parseServiceUrl } from '../../../src/setup-django-test/services.js'

describe('parseServiceUrl', () => {
  it('takes a hostless URL to the socket folder in PGHOST, as libpq does', () => {
    expect(
      parseServiceUrl('postgres:///app', 'DATABASE_URL', 'database', { PGHOST: '/run/pg' }),
    ).toMatchObject({
      socket: ['/run/pg/.s.PGSQL.5432'],
    })
    const tcp = parseServiceUrl('postgres:///app', 'DATABASE_URL', 'database', { PGHOST: 'db' })
    expect(tcp).toMatchObject({ host: 'db', port: 5432 })
    expect(tcp.socket).toBeUndefined()
  })

  it('describes a socket target by its files', () => {
    expect(describeTarget(parseServiceUrl('postgres:///app', 'DATABASE_URL', 'database'))).toBe(
      'PostgreSQL at /var/run/postgresql/.s.PGSQL.5432 or /tmp/.s.PGSQL.5432',
    )
  })

  it.each([
    [
      'postgres://u:p@db:5433/app',
      { kind: 'postgres', host: 'db', port: 5433, username: 'u', password: 'p' },
    ],
    ['postgresql://db/app', { kind: 'postgres', host: 'db', port: 5432 }],
    ['pgsql://db/app', { kind: 'postgres', port: 5432 }],
    ['postgis://db/app', { kind: 'postgres', port: 5432 }],
    ['postgres://u:p%40ss@127.0.0.1/app', { password: 'p@ss', host: '127.0.0.1' }],
    ['mysql://root@mysql/app', { kind: 'mysql', host: 'mysql', port: 3306, username: 'root' }],
    ['mysql2://db:3307/app', { kind: 'mysql', port: 3307 }],
    ['postgres://[::1]:5432/app', { host: '::1', port: 5432 }],
    ['sqlite:///db.sqlite3', { kind: 'sqlite', path: 'db.sqlite3' }],
    ['sqlite:////tmp/db.sqlite3', { kind: 'sqlite', path: '/tmp/db.sqlite3' }],
    ['sqlite://:memory:', { kind: 'sqlite', path: ':memory:' }],
    // A password with '@': the user info ends at the last '@' (urllib.parse, WHATWG URL).
    ['postgres://u:p@ss@db/app', { host: 'db', password: 'p@ss' }],
    ['postgres://u:p@ss%40word@db/app', { host: 'db', password: 'p@ss@word' }],
    // Unix sockets, as dj-database-url's tests spell them.
    [
      'postgres://%2Fvar%2Frun%2Fpostgresql/app',
      { host: '', port: 5432, socket: ['/var/run/postgresql/.s.PGSQL.5432'] },
    ],
    ['postgres://%2FUsers%2Fpostgres%2FRuN:6000/app', { socket: ['/Users/postgres/RuN/.s.PGSQL.6000'] }],
    [
      'postgres://u:pw@%2Fcloudsql%2Fproject_id%3Aregion%3Ainstance_id/app',
      { socket: ['/cloudsql/project_id:region:instance_id/.s.PGSQL.5432'], password: 'pw' },
    ],
    ['postgres:///app', { socket: ['/var/run/postgresql/.s.PGSQL.5432', '/tmp/.s.PGSQL.5432'] }],
    // WHATWG URL refuses credentials without a host; urllib (dj-database-url) takes them.
    [
      'postgres://u:pw@/app',
      { socket: ['/var/run/postgresql/.s.PGSQL.5432', '/tmp/.s.PGSQL.5432'], password: 'pw' },
    ],
    ['postgres:///app?host=/run/pg&port=5433', { socket: ['/run/pg/.s.PGSQL.5433'] }],
    ['postgres://db/app?host=/run/pg', { host: 'db', port: 5432 }],
    ['postgres:///app?host=db', { host: 'db', port: 5432 }],
    ['mysql://u:p@%2Fvar%2Frun%2Fmysqld%2Fmysqld.sock/app', { socket: ['/var/run/mysqld/mysqld.sock'] }],
    ['mysql://u:p@localhost/app?unix_socket=/tmp/my.sock', { socket: ['/tmp/my.sock'] }],
  ])('database %s', (url, expected) => {
    expect(parseServiceUrl(url, 'database-url', 'database')).toMatchObject(expected)
  })

  it.each([
    ['redis://cache:6380/0', { kind: 'redis', host: 'cache', port: 6380, tls: false }],
    ['redis://:secret@cache', { port: 6379, password: 'secret', username: undefined }],
    ['rediss://user:pw@cache', { tls: true, username: 'user', password: 'pw' }],
  ])('redis %s', (url, expected) => {
    expect(parseServiceUrl(url, 'REDIS_URL', 'redis')).toMatchObject(expected)
  })

  it.each([
    [
      'localhost:5432',
      'database',
      "Input 'database-url' must be a postgres://, mysql:// or sqlite:// URL (got something that is not a URL)",
    ],
    [
      'mongodb://db/app',
      'database',
      "Input 'database-url' must be a postgres://, mysql:// or sqlite:// URL (got a mongodb:// URL)",
    ],
    ['redis://cache', 'database', /got a redis:\/\/ URL/],
    ['mysql://db:0/app', 'database', "Input 'database-url' has an invalid port"],
    ['postgres://u:p@db:99999/app', 'database', /is not a valid postgres:\/\/ URL/],
  ] as const)('rejects %s', (url, expect_, message) => {
    expect(() => parseServiceUrl(url, 'database-url', expect_)).toThrow(ConfigurationError)
    expect(() => parseServiceUrl(url, 'database-url', expect_)).toThrow(message)
  })

  it('names an environment variable source as such and never repeats the password', () => {
    let message = ''
    try {
      parseServiceUrl('postgres://u:hunter2@db:70000/x', 'DATABASE_URL', 'database')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/^Environment variable DATABASE_URL/)
    expect(message).not.toContain('hunter2')
  })

  it('describes where a target is', () => {
    expect(describeTarget(parseServiceUrl('postgres://db:5433/x', 'database-url', 'database'))).toBe(
      'PostgreSQL at db:5433',
    )
    expect(describeTarget(parseServiceUrl('redis://[::1]', 'REDIS_URL', 'redis'))).toBe('Redis at [::1]:6379')
  })
})

describe('protocol probes', () => {
  const pg = parseServiceUrl('postgres://db/x', 'database-url', 'database')
  const redis = parseServiceUrl('redis://cache', 'REDIS_URL', 'redis')
  const redisAuth = parseServiceUrl('redis://me:pw@cache', 'REDIS_URL', 'redis')

  it('sends PostgreSQL an SSLRequest and Redis a PING (after AUTH when a password is set)', () => {
    expect(greeting(pg)).toEqual(PG_SSL_REQUEST)
    expect([...PG_SSL_REQUEST]).toEqual([0, 0, 0, 8, 4, 210, 22, 47])
    expect(greeting(redis)?.toString()).toBe('*1\r\n$4\r\nPING\r\n')
    expect(greeting(redisAuth)?.toString()).toBe(
      '*3\r\n$4\r\nAUTH\r\n$2\r\nme\r\n$2\r\npw\r\n*1\r\n$4\r\nPING\r\n',
    )
  })

  it.each([
    ['postgres', 'S', { ready: true, detail: "answered SSLRequest with 'S'" }],
    ['postgres', 'N', { ready: true, detail: "answered SSLRequest with 'N'" }],
    ['postgres', 'E', { ready: false }],
    ['postgres', '', undefined],
    ['redis', '+PONG\r\n', { ready: true }],
    ['redis', '+OK\r\n+PONG\r\n', { ready: true }],
    [
      'redis',
      '-LOADING Redis is loading the dataset in memory\r\n',
      { ready: false, detail: 'answered -LOADING Redis is loading the dataset in memory' },
    ],
    [
      'redis',
      '-NOAUTH Authentication required.\r\n',
      { ready: false, detail: 'refused authentication: NOAUTH Authentication required.' },
    ],
    ['redis', '+PO', undefined],
  ] as const)('%s replying %j', (kind, bytes, expected) => {
    const result = interpretReply(kind, Buffer.from(bytes, 'latin1'))
    if (expected === undefined) expect(result).toBeUndefined()
    else expect(result).toMatchObject(expected)
  })

  it('reads a MySQL greeting', () => {
    expect(interpretReply('mysql', Buffer.from([0x4a, 0, 0, 0, 10, 0x38]))).toMatchObject({ ready: true })
    expect(interpretReply('mysql', Buffer.from([0x17, 0, 0, 0, 0xff, 0x10]))).toMatchObject({ ready: true })
    expect(interpretReply('mysql', Buffer.from([0x17, 0, 0]))).toBeUndefined()
  })
})
