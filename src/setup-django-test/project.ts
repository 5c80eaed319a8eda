import { relative } from 'node:path'
import { findCoverageConfig } from './coverage-config.js'
import { detectDependencies, usesPytestDjango, type Dependencies } from './dependencies.js'
import type { ParseContext } from './deps.js'
import { findProjectDir, findSettingsModule, type SettingsModule } from './discovery.js'
import type { InputName } from './input-names.js'
import type { Inputs } from './inputs.js'
import type { ProjectFs } from './project-fs.js'

/** What discovery decided from the files alone, before any process ran. */
export interface Project {
  dir: string
  /** The project folder relative to the workspace (`''` at the root). */
  prefix: string
  settings: SettingsModule
  dependencies: Dependencies
  pytestDjango: boolean
  /** What coverage measures (see coverageScope). */
  coverage: { source?: string; why: string }
}

/** Everything that can be decided from files, decided before any process runs. */
export function discoverProject(ctx: ParseContext, inputs: Inputs, name: InputName): Project {
  const { fs, workspace, env } = ctx
  const dir = findProjectDir(fs, workspace, inputs.workingDirectory, name)
  const dependencies = detectDependencies(fs, dir, workspace, inputs.install, inputs.requirements, name)
  return {
    dir,
    prefix: relative(workspace, dir).split('\\').join('/'),
    settings: findSettingsModule(fs, dir, inputs.settingsModule, env.DJANGO_SETTINGS_MODULE, name),
    dependencies,
    pytestDjango: usesPytestDjango(fs, dir, workspace, dependencies),
    coverage: coverageScope(fs, dir, env),
  }
}

/**
 * What coverage measures: what the project's coverage config says, else the project folder
 * (coverage.py's own default measures everything outside the standard library it sees run,
 * which on a system Python includes all of dist-packages).
 */
function coverageScope(
  fs: ProjectFs,
  projectDir: string,
  env: NodeJS.ProcessEnv,
): { source?: string; why: string } {
  const config = findCoverageConfig(fs, projectDir, env)
  if (config?.choosesFiles) return { why: `what ${config.file} chooses (its source or include)` }
  return {
    source: '.',
    why: `the project folder (--source=.), since ${config ? `${config.file} sets no source or include` : 'the project has no coverage config'}`,
  }
}
