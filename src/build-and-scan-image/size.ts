import { ConfigurationError, quote } from '../lib/errors.js'

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
}

/** `450MB`, `1.5GB`, `300MiB` or a number of bytes, in bytes. MB and GB are decimal, as `docker images` shows them. */
export function parseSize(text: string, source: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())
  const factor = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined
  if (!match || factor === undefined || Number(match[1]) <= 0) {
    throw new ConfigurationError(
      `${source} must be a size like 500MB, 1.5GB, 300MiB or a number of bytes (got ${quote(text)})`,
    )
  }
  return Math.round(Number(match[1]) * factor)
}

/** A size as `docker images` shows it: 248MB, 1.2GB. */
export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)}GB`
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)}MB`
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)}kB`
  return `${bytes}B`
}
