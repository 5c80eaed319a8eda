/** A fake clock whose sleep advances time instantly, so retry loops run in microseconds. */
export function fakeClock(start = 1_700_000_000_000) {
  let now = start
  const sleeps: number[] = []
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      now += ms
    },
    advance: (ms: number) => void (now += ms),
    sleeps,
  }
}
