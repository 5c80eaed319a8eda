import { backoffDelay, poll } from '../../../src/lib/poll.js'
import { fakeClock } from '../../helpers/clock.js'

describe('backoffDelay', () => {
  test('grows by the factor and stops at the cap', () => {
    const b = { initialMs: 1000, maxMs: 10_000, factor: 2 }
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, b))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ])
  })
  test('jitter spreads evenly around the delay', () => {
    const b = { initialMs: 1000, maxMs: 1000, jitter: 0.2 }
    expect(backoffDelay(1, b, () => 0)).toBe(900)
    expect(backoffDelay(1, b, () => 1)).toBe(1100)
    expect(backoffDelay(1, b, () => 0.5)).toBe(1000)
  })
})

describe('poll', () => {
  test('returns when done and reports only changes', async () => {
    const clock = fakeClock()
    const states = ['PENDING', 'PENDING', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCESSFUL']
    const seen: string[] = []
    const result = await poll({
      check: async () => states.shift() ?? 'SUCCESSFUL',
      isDone: (s) => s === 'SUCCESSFUL',
      interval: 5000,
      deadline: clock.now() + 60_000,
      sleep: clock.sleep,
      now: clock.now,
      describe: (s) => s,
      onChange: (_s, d) => seen.push(d),
    })
    expect(result).toEqual({ done: true, state: 'SUCCESSFUL', attempts: 5 })
    expect(seen).toEqual(['PENDING', 'IN_PROGRESS', 'SUCCESSFUL'])
    expect(clock.sleeps).toEqual([5000, 5000, 5000, 5000])
  })

  test('stops at the deadline, never sleeping past it, with one last check at it', async () => {
    const clock = fakeClock()
    const start = clock.now()
    const checkedAt: number[] = []
    const result = await poll({
      check: async () => checkedAt.push(clock.now() - start),
      isDone: () => false,
      interval: 4000,
      deadline: start + 10_000,
      sleep: clock.sleep,
      now: clock.now,
    })
    expect(result.done).toBe(false)
    expect(checkedAt).toEqual([0, 4000, 8000, 10_000])
  })

  test('retries transient errors and rethrows others', async () => {
    const clock = fakeClock()
    let calls = 0
    const transient: number[] = []
    const result = await poll({
      check: async () => {
        calls += 1
        if (calls < 3) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })
        return calls
      },
      isDone: () => true,
      interval: { initialMs: 100, maxMs: 1000 },
      deadline: clock.now() + 10_000,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      isTransient: (e) => (e as Error).name === 'ThrottlingException',
      onTransientError: (_e, attempt) => transient.push(attempt),
    })
    expect(result).toMatchObject({ done: true, state: 3 })
    expect(transient).toEqual([1, 2])
    expect(clock.sleeps).toEqual([100, 200])

    await expect(
      poll({
        check: async () => {
          throw new Error('AccessDenied')
        },
        isDone: () => true,
        interval: 1,
        deadline: clock.now() + 1000,
        sleep: clock.sleep,
        now: clock.now,
        isTransient: () => false,
      }),
    ).rejects.toThrow('AccessDenied')
  })
})

describe('poll with an interval chosen from the last state', () => {
  test('each wait is what the function says for the state just seen, capped at the deadline', async () => {
    const clock = fakeClock(0)
    const states = ['starting', 'baking', 'baking', 'done']
    const seen: [string | undefined, number][] = []
    const result = await poll<string>({
      check: async () => states.shift() ?? 'done',
      isDone: (s) => s === 'done',
      interval: (state, attempt) => {
        seen.push([state, attempt])
        return state === 'baking' ? 15_000 : 1000
      },
      deadline: 20_000,
      sleep: clock.sleep,
      now: clock.now,
    })
    expect(result).toMatchObject({ done: true, state: 'done', attempts: 4 })
    expect(seen).toEqual([
      ['starting', 1],
      ['baking', 2],
      ['baking', 3],
    ])
    expect(clock.sleeps).toEqual([1000, 15_000, 4000])
  })
})
