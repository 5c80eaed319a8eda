import { join } from 'node:path'
import type { ActionIO } from '../lib/core.js'
import { errorMessage, OperationError } from '../lib/errors.js'
import type { Exec } from '../lib/exec.js'
import type { CacheStore } from './cache.js'
import type { Dependencies, Manager } from './dependencies.js'
import { installFailureMessage } from './install-errors.js'
import { cacheKey, installPlan } from './install.js'
import { lineWriter } from './lines.js'
import type { ProjectFs } from './project-fs.js'

export interface InstallContext {
  io: ActionIO
  exec: Exec
  fs: ProjectFs
  cache: CacheStore
  env: NodeJS.ProcessEnv
  python: string
  pythonVersion: string
  platform: { os: string; arch: string }
  cacheRoot: string
  tempDir: string
  useCache: boolean
}

/** Runs one command with its output streamed to the log; a failure names it with its last lines. */
export async function runLogged(
  ctx: Pick<InstallContext, 'io' | 'exec'>,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  ctx.io.info(`$ ${[command, ...args].join(' ')}`)
  const out = lineWriter((line) => ctx.io.info(line))
  const err = lineWriter((line) => ctx.io.info(line))
  const result = await ctx.exec(command, args, {
    ...options,
    onStdout: (c) => out.push(c),
    onStderr: (c) => err.push(c),
  })
  out.flush()
  err.flush()
  return result
}

/**
 * Installs the dependencies with their manager, the manager's cache folder restored before and
 * saved after. The cache is a speed-up only: any cache problem is a warning, never a failure.
 * Returns the summary line.
 */
export async function installDependencies(
  ctx: InstallContext,
  deps: Dependencies & { manager: Manager },
): Promise<string> {
  const plan = installPlan(deps, ctx.python, ctx.cacheRoot, ctx.tempDir)
  const { key, restoreKeys } = cacheKey(
    { ...ctx.platform, pythonVersion: ctx.pythonVersion, manager: deps.manager },
    deps.files.map((name) => ({ name, text: ctx.fs.readText(join(deps.dir, name)) ?? '' })),
  )
  let cacheNote = 'cache off'
  let restored: string | undefined
  if (ctx.useCache) {
    try {
      restored = await ctx.cache.restore(plan.cacheDir, key, restoreKeys)
      cacheNote =
        restored === undefined
          ? 'cache miss'
          : restored === key
            ? 'cache hit'
            : 'cache restored from an older key'
      ctx.io.info(`Dependency cache: ${cacheNote} (${key})`)
    } catch (error) {
      cacheNote = 'cache unavailable'
      ctx.io.warning(`Dependency cache not restored, installing without it: ${errorMessage(error)}`)
    }
  }
  const env = { ...ctx.env }
  if (plan.tool !== undefined) {
    const probe = await ctx.exec(ctx.python, ['-m', plan.tool, '--version'], { cwd: deps.dir, env })
    if (probe.exitCode !== 0) {
      ctx.io.info(`${plan.tool} is not installed for ${ctx.python}; installing it with pip`)
      await mustSucceed(ctx, ['-m', 'pip', 'install', plan.tool], deps.dir, env, `installing ${plan.tool}`)
    }
  }
  for (const step of plan.steps) {
    await mustSucceed(ctx, step.args, deps.dir, { ...env, ...step.env }, `${deps.manager} install`)
  }
  if (ctx.useCache && restored !== key && cacheNote !== 'cache unavailable') {
    if (ctx.fs.list(plan.cacheDir).length === 0) {
      ctx.io.info('Dependency cache not saved: the installer downloaded nothing')
    } else {
      await saveCache(ctx, plan.cacheDir, key)
    }
  }
  return `${deps.manager} from ${deps.files.join(', ') || deps.reason} (${cacheNote})`
}

async function saveCache(ctx: InstallContext, dir: string, key: string): Promise<void> {
  try {
    await ctx.cache.save(dir, key)
    ctx.io.info(`Dependency cache saved (${key})`)
  } catch (error) {
    ctx.io.warning(`Dependency cache not saved (the install itself succeeded): ${errorMessage(error)}`)
  }
}

async function mustSucceed(
  ctx: InstallContext,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  what: string,
): Promise<void> {
  const result = await runLogged(ctx, ctx.python, args, { cwd, env })
  if (result.exitCode !== 0) {
    throw new OperationError(
      installFailureMessage(what, result.exitCode, `${result.stdout}\n${result.stderr}`),
    )
  }
}
