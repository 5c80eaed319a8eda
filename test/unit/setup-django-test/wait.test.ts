import { parseServiceUrl } from '../../../src/setup-django-test/services.js'
import type { ProbeResult } from '../../../src/setup-django-test/probe.js'
import { waitForServices } from '../../../src/setup-django-test/wait.js'
import { fakeClock } from '../../helpers/clock.js'

const pg = parseServiceUrl('postgres://u:p@db:5432/app', 'database-url', 'database')
const redis = parseServiceUrl('redis://cache:6379', 'REDIS_URL', 'redis')

describe('waitForServices', () => {
  it('polls until each service answers, logging only changes', async () => {
    const clock = fakeClock()
    const answers: Record<string, ProbeResult[]> = {
      db: [
        { ready: false, detail: 'connection refused' },
        { ready: false, detail: 'connection refused' },
        { ready: false, detail: 'no answer yet' },
        { ready: true, detail: "answered SSLRequest with 'N'" },
      ],
      cache: [{ ready: true, detail: 'answered PING with +PONG' }],
    }
    const log: string[] = []
    const probed: number[] = []
    const waits = await waitForServices([pg, redis], 60_000, {
      probe: async (target, timeoutMs) => {
        probed.push(timeoutMs)
        return answers[target.host]?.shift() ?? { ready: false, detail: 'unexpected' }
      },
      sleep: clock.sleep,
      now: clock.now,
      log: (line) => log.push(line),
    })
    expect(waits.map((w) => [w.target.label, w.attempts])).toEqual([
      ['PostgreSQL', 4],
      ['Redis', 1],
    ])
    expect(waits[0]?.waitedMs).toBe(clock.sleeps.slice(0, 3).reduce((a, b) => a + b, 0))
    expect(probed.every((ms) => ms <= 3000)).toBe(true)
    expect(log).toEqual([
      'Waiting for PostgreSQL at db:5432 (database-url) to accept connections, up to 1m 00s',
      '  PostgreSQL at db:5432: connection refused',
      '  PostgreSQL at db:5432: no answer yet',
      "  PostgreSQL at db:5432: answered SSLRequest with 'N'",
      expect.stringMatching(/^PostgreSQL at db:5432 is ready after /),
      'Waiting for Redis at cache:6379 (REDIS_URL) to accept connections, up to 1m 00s',
      '  Redis at cache:6379: answered PING with +PONG',
      'Redis at cache:6379 is ready after 0ms',
    ])
  })

  it('gives up at the deadline, naming host, port and what it last saw', async () => {
    const clock = fakeClock()
    await expect(
      waitForServices([pg], 5000, {
        probe: async () => ({ ready: false, detail: 'connection refused' }),
        sleep: clock.sleep,
        now: clock.now,
        log: () => undefined,
      }),
    ).rejects.toThrow(
      "PostgreSQL at db:5432 did not accept connections within 5.0s (last: connection refused). Check that the service container is started and its port is published, or raise 'services-timeout'.",
    )
    expect(clock.now() - 1_700_000_000_000).toBe(5000)
  })
})
