import type { Exec } from '../lib/process/exec.js'

/** When the image was "created": the commit's time, so rebuilding a commit gives the same image config. */
export interface SourceDate {
  /** Seconds since the epoch (SOURCE_DATE_EPOCH). */
  epoch: number
  /** Where it came from, for the log. */
  from: 'SOURCE_DATE_EPOCH' | 'commit' | 'build time'
}

/**
 * The reproducible-builds.org SOURCE_DATE_EPOCH: the job's own when it sets one, else the time
 * of the commit checked out in the build context (`git log -1 --format=%ct`), else the build's
 * time (no checkout: the image then differs on every build).
 */
export async function sourceDate(
  exec: Exec,
  env: NodeJS.ProcessEnv,
  dir: string,
  now: number,
): Promise<SourceDate> {
  const given = env.SOURCE_DATE_EPOCH?.trim()
  if (given !== undefined && /^\d+$/.test(given)) return { epoch: Number(given), from: 'SOURCE_DATE_EPOCH' }
  try {
    const result = await exec('git', ['-C', dir, 'log', '-1', '--format=%ct', 'HEAD'])
    const text = result.stdout.trim()
    if (result.exitCode === 0 && /^\d+$/.test(text)) return { epoch: Number(text), from: 'commit' }
  } catch {
    // No git on the runner: fall through to the build time.
  }
  return { epoch: Math.floor(now / 1000), from: 'build time' }
}
