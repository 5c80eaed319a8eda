import { lineWriter } from '../lib/list.js'
import type { ActionIO } from '../lib/runner/io.js'
import { OperationError } from '../lib/errors.js'
import type { Exec } from '../lib/process/exec.js'
import type { DependencyCache } from './cache-state.js'
import type { Dependencies, Manager } from './dependencies.js'
import { installFailureMessage } from './install-errors.js'
import { installPlan } from './install.js'
import type { ProjectFs } from './project-fs.js'

export interface InstallContext {
  io: ActionIO
  exec: Exec
  fs: ProjectFs
  env: NodeJS.ProcessEnv
  python: string
  cacheRoot: string
  tempDir: string
  /** What the composite's actions/cache/restore step did with the installer's cache folder. */
  cache: DependencyCache
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

/** What an install did: the summary line, and whether the composite should save the cache folder. */
export interface Installed {
  line: string
  cacheSave: boolean
}

/**
 * Installs the dependencies with their manager, pointed at the cache folder the composite's
 * actions/cache/restore step restored (cache-state.ts says why the cache lives in those steps).
 * After a successful install the folder is worth saving (the `cache-save` output) when it was not
 * an exact hit and the installer put something there (actions/cache/save warns on a path that
 * does not exist).
 */
export async function installDependencies(
  ctx: InstallContext,
  deps: Dependencies & { manager: Manager },
): Promise<Installed> {
  const plan = installPlan(deps, ctx.python, ctx.cacheRoot, ctx.tempDir)
  if (ctx.cache.note !== 'cache off')
    ctx.io.info(`Dependency cache: ${ctx.cache.note}${ctx.cache.key ? ` (${ctx.cache.key})` : ''}`)
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
  const downloaded = ctx.cache.save && ctx.fs.list(plan.cacheDir).length > 0
  if (ctx.cache.save && !downloaded)
    ctx.io.info('Dependency cache not saved: the installer downloaded nothing')
  return {
    line: `${deps.manager} from ${deps.files.join(', ') || deps.reason} (${ctx.cache.note})`,
    cacheSave: downloaded,
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
