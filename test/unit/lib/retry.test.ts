import { retry, settle, type Outcome } from '../../../src/lib/retry.js'
import { fakeClock } from '../../helpers/clock.js'

const backoff = { initialMs: 100, maxMs: 1000, factor: 2 }
/** Retries a thrown 'busy' and a value of 503; anything else is final. */
const transient = (outcome: Outcome<number>) =>
  outcome.ok
    ? outcome.value === 503
      ? { reason: 'HTTP 503' }
      : undefined
    : (outcome.error as Error).message === 'busy'
      ? { reason: 'busy' }
      : undefined

function scripted(...steps: (number | Error)[]) {
  const calls: number[] = []
  const run = async (n: number) => {
    calls.push(n)
    const step = steps.shift()
    if (step instanceof Error) throw step
    return step ?? 200
  }
  return { run, calls }
}

test('returns the first final outcome, backing off between tries', async () => {
  const clock = fakeClock()
  const { run, calls } = scripted(new Error('busy'), 503, 200)
  const retries: string[] = []
  const result = await retry(run, {
    attempts: 5,
    backoff,
    sleep: clock.sleep,
    now: clock.now,
    retryable: transient,
    onRetry: (d, next) => retries.push(`${d.reason} -> try ${next} in ${d.delayMs}`),
  })
  expect(result).toEqual({ outcome: { ok: true, value: 200 }, attempts: 3, stopped: 'final' })
  expect(calls).toEqual([1, 2, 3])
  expect(clock.sleeps).toEqual([100, 200])
  expect(retries).toEqual(['busy -> try 2 in 100', 'HTTP 503 -> try 3 in 200'])
})

test('a final error is returned as the outcome, not thrown, and settle throws it', async () => {
  const clock = fakeClock()
  const boom = new Error('bad request')
  const result = await retry(scripted(boom).run, {
    attempts: 5,
    backoff,
    sleep: clock.sleep,
    now: clock.now,
    retryable: transient,
  })
  expect(result).toEqual({ outcome: { ok: false, error: boom }, attempts: 1, stopped: 'final' })
  expect(() => settle(result)).toThrow(boom)
  expect(clock.sleeps).toEqual([])
})

test('stops when the tries run out, saying why another was wanted', async () => {
  const clock = fakeClock()
  const result = await retry(scripted(503, 503, 503, 200).run, {
    attempts: 3,
    backoff,
    sleep: clock.sleep,
    now: clock.now,
    retryable: transient,
  })
  expect(result).toEqual({
    outcome: { ok: true, value: 503 },
    attempts: 3,
    stopped: 'attempts',
    reason: 'HTTP 503',
  })
  expect(settle(result)).toBe(503)
})

test('never sleeps past the deadline; a decision may choose its own delay', async () => {
  const clock = fakeClock()
  const start = clock.now()
  const result = await retry(scripted(503, 503).run, {
    attempts: 10,
    backoff,
    deadline: start + 1000,
    sleep: clock.sleep,
    now: clock.now,
    retryable: (o, n) => (o.ok && o.value === 503 ? { reason: 'rate limited', delayMs: 700 * n } : undefined),
  })
  expect(clock.sleeps).toEqual([700])
  expect(result).toMatchObject({ attempts: 2, stopped: 'deadline', reason: 'rate limited', delayMs: 1400 })
})
