import { join } from 'node:path'
import type { ActionIO } from '../lib/runner/io.js'
import type { Exec } from '../lib/process/exec.js'
import type { Dependencies } from './dependencies.js'
import { cacheFolder, lockFilesHash } from './install.js'
import type { ProjectFs } from './project-fs.js'
import { resolveInterpreter } from './python-env.js'
import { resolvePythonRequest, type PythonInputs } from './python-version.js'

export interface PlanContext {
  io: ActionIO
  exec: Exec
  fs: ProjectFs
  workspace: string
  projectDir: string
  cacheRoot: string
  windows: boolean
}

/**
 * The composite's first step, after every input was validated and the project was found (so a
 * bad input fails before setup-python installs anything): what the later steps need, as this
 * step's outputs. For actions/setup-python: `setup-python`, `python-version`,
 * `python-version-file`. For the dependency cache (cache-state.ts): `cache-path` (empty: no
 * cache), `installer`, `lock-hash`, and `interpreter-version` when setup-python is skipped (the
 * key's Python version is then the interpreter's own).
 */
export async function planSteps(
  ctx: PlanContext,
  python: PythonInputs,
  cache: boolean,
  dependencies: Dependencies,
): Promise<void> {
  const { io } = ctx
  const request = resolvePythonRequest(ctx.fs, ctx.workspace, ctx.projectDir, python)
  for (const note of request.notes) io.warning(note)
  io.setOutput('setup-python', String(request.setupPython))
  io.setOutput('python-version', request.version ?? '')
  io.setOutput('python-version-file', request.file ?? '')
  io.info(
    request.setupPython
      ? `Python: setup-python with ${request.version ?? request.file} (${request.source})`
      : `Python: the interpreter already there (${request.source})`,
  )
  const manager = dependencies.manager
  if (!cache || manager === undefined) {
    io.info(`Dependency cache: ${cache ? 'nothing to install' : 'off'}`)
    return io.setOutput('cache-path', '')
  }
  let interpreterVersion = ''
  if (!request.setupPython) {
    try {
      interpreterVersion = (await resolveInterpreter(ctx.exec, python.python, ctx.windows)).version
    } catch {
      // The main step names the missing interpreter; without its version there is no cache key.
      io.info('Dependency cache: not used (no interpreter to key it on)')
      return io.setOutput('cache-path', '')
    }
  }
  const files = dependencies.files.map((name) => ({
    name,
    text: ctx.fs.readText(join(dependencies.dir, name)) ?? '',
  }))
  io.setOutput('installer', manager)
  io.setOutput('lock-hash', lockFilesHash(files))
  io.setOutput('interpreter-version', interpreterVersion)
  io.setOutput('cache-path', cacheFolder(ctx.cacheRoot, manager))
}
