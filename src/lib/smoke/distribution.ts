/** Latency figures of a load run, in milliseconds (rounded to 0.01 ms). */
export interface LatencyStats {
  minMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  maxMs: number
}

export interface HistogramBucket {
  /** The bucket holds latencies up to this (inclusive); Infinity for the last one. */
  upToMs: number
  count: number
}

const round = (ms: number) => Math.round(ms * 100) / 100

/**
 * The `p`-th percentile (0-100) of ascending values by nearest rank: the smallest value with at
 * least p % of the values at or below it (so p99 of 100 values is the 99th, never an
 * interpolation that no request took). NaN for none.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1] as number
}

/** Min, median, p95, p99 and max of ascending latencies (NaN for none). */
export function latencyStats(sorted: ArrayLike<number>): LatencyStats {
  return {
    minMs: round(percentile(sorted, 0)),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(percentile(sorted, 100)),
  }
}

/** Bucket bounds in ms: 1-2-5 steps, so any latency lands in a bucket a person can read. */
const BOUNDS = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000]

/**
 * Counts of ascending latencies per 1-2-5 bucket, from the first non-empty bucket to the last
 * (empty ones between kept, so the shape shows); empty for no latencies.
 */
export function histogram(sorted: ArrayLike<number>): HistogramBucket[] {
  const buckets: HistogramBucket[] = [...BOUNDS, Infinity].map((upToMs) => ({ upToMs, count: 0 }))
  let b = 0
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i] as number
    while (value > (buckets[b] as HistogramBucket).upToMs) b += 1
    ;(buckets[b] as HistogramBucket).count += 1
  }
  const first = buckets.findIndex((bucket) => bucket.count > 0)
  if (first < 0) return []
  const last = buckets.length - 1 - [...buckets].reverse().findIndex((bucket) => bucket.count > 0)
  return buckets.slice(first, last + 1)
}

/** A bar of `width` blocks at most, proportional to count/max (at least one block for a non-zero count). */
export function bar(count: number, max: number, width = 30): string {
  if (count === 0 || max === 0) return ''
  return '█'.repeat(Math.max(1, Math.round((count / max) * width)))
}
