import { existsSync, statSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { ConfigurationError, quote } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import { parseTrivyVersion, resolveTrivyPath } from '../lib/trivy/binary.js'
import { auditFiles } from './audit-files.js'
import type { PythonQualityParseContext } from './deps.js'
import { detectTools } from './detect.js'
import { TOOLS, type Tool } from './finding.js'
import { parseFailOn, type GateRule } from './gate.js'

/** A tool to run, and the configuration file it was found in (undefined when listed but unconfigured). */
export interface SelectedTool {
  tool: Tool
  config?: string
}

export interface AuditOptions {
  enabled: boolean
  /** The requirement and lock files found, relative to the working directory. */
  files: string[]
  /** The Trivy binary `trivy-path` names, resolved; undefined when Trivy is to be installed. */
  trivyPath?: string
  trivyVersion: string
}

/** Everything a run needs, validated before anything runs. */
export interface PythonQualityOptions {
  workspace: string
  workingDirectory: string
  /** The working directory as annotations and the summary name it: relative to the workspace. */
  workingDirectoryShown: string
  python: string
  tools: SelectedTool[]
  /** True when `tools` was auto: the list is what the project configures. */
  autoTools: boolean
  install: boolean
  audit: AuditOptions
  failOn: GateRule[]
  sarifFile: string
  tempDir: string
  /** The names the user knows the inputs by (deploy may rename them), for messages written later. */
  inputNames: Record<'tools' | 'install' | 'python' | 'fail-on' | 'audit', string>
}

function workingDirectory(input: InputReader, workspace: string): string {
  const given = input.string('working-directory', '.')
  const dir = resolve(workspace, given)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigurationError(
      `Input '${input.name('working-directory')}' names ${quote(given)}, which is not a folder in the workspace`,
    )
  }
  return dir
}

/** `python`: a command on PATH (default python3), or a path, relative to the working directory (`.venv/bin/python`). */
function interpreter(given: string | undefined, dir: string, platform: NodeJS.Platform): string {
  if (given === undefined) return platform === 'win32' ? 'python' : 'python3'
  return /[\\/]/.test(given) ? resolve(dir, given) : given
}

/** `tools`: auto (what the project configures) or a list of known names; an unknown one is named. */
function selectTools(input: InputReader, dir: string): { tools: SelectedTool[]; auto: boolean } {
  const listed = input.list('tools').map((name) => name.toLowerCase())
  const configured = detectTools(dir)
  if (listed.length === 0 || (listed.length === 1 && listed[0] === 'auto'))
    return { tools: configured, auto: true }
  const unknown = listed.filter((name) => !(TOOLS as readonly string[]).includes(name))
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `Input '${input.name('tools')}' must be auto or a list of ${TOOLS.join(', ')} (got ${unknown.map((u) => quote(u)).join(', ')})`,
    )
  }
  const tools = TOOLS.filter((tool) => listed.includes(tool)).map((tool) => ({
    tool,
    config: configured.find((c) => c.tool === tool)?.config,
  }))
  return { tools, auto: false }
}

function auditOptions(
  input: InputReader,
  dir: string,
  workspace: string,
  env: NodeJS.ProcessEnv,
): AuditOptions {
  const enabled = input.boolean('audit', true)
  const trivyVersion = parseTrivyVersion(input.optional('trivy-version'), input.name('trivy-version'))
  const given = input.optional('trivy-path')
  const files = enabled ? auditFiles(dir) : []
  const trivyPath =
    given !== undefined && files.length > 0
      ? resolveTrivyPath(given, workspace, env, input.name('trivy-path'))
      : undefined
  return { enabled, files, trivyPath, trivyVersion }
}

/** A step that would check nothing is a step pointed at the wrong folder, or a project not set up yet. */
function nothingToCheck(input: InputReader, shown: string, audit: boolean): ConfigurationError {
  const files = audit ? ' and no requirements*.txt, Pipfile.lock, poetry.lock or uv.lock is there' : ''
  return new ConfigurationError(
    `Nothing to check in ${quote(shown)}: no tool is configured there (pyproject.toml [tool.black], setup.cfg [flake8], .flake8, .pylintrc, .bandit, ...)${files}; ` +
      `set '${input.name('working-directory')}' to the project's folder, or list the tools to run in '${input.name('tools')}'`,
  )
}

/**
 * Reads and checks every input before anything runs: the folder, the tools (found from the
 * project's configuration files for `auto`), the gate, the audit. `names` maps this action's
 * input names to a composing action's.
 */
export function parsePythonQualityOptions(
  get: GetInput,
  context: PythonQualityParseContext,
  names?: Readonly<Record<string, string>>,
): PythonQualityOptions {
  const input = new InputReader(get, names)
  const workspace = resolve(context.env.GITHUB_WORKSPACE || context.cwd)
  const dir = workingDirectory(input, workspace)
  const { tools, auto } = selectTools(input, dir)
  const audit = auditOptions(input, dir, workspace, context.env)
  if (tools.length === 0 && audit.files.length === 0)
    throw nothingToCheck(input, relative(workspace, dir) || '.', audit.enabled)
  const failOn = parseFailOn(input.string('fail-on', 'any'), input.name('fail-on'))
  const tempDir = context.env.RUNNER_TEMP || context.tempDir
  const sarif = input.optional('sarif-file')
  return {
    workspace,
    workingDirectory: dir,
    workingDirectoryShown: relative(workspace, dir) || '.',
    python: interpreter(input.optional('python'), dir, context.platform),
    tools,
    autoTools: auto,
    install: input.boolean('install', false),
    audit,
    failOn,
    sarifFile: sarif === undefined ? resolve(tempDir, 'python-quality.sarif') : resolve(workspace, sarif),
    tempDir,
    inputNames: {
      tools: input.name('tools'),
      install: input.name('install'),
      python: input.name('python'),
      'fail-on': input.name('fail-on'),
      audit: input.name('audit'),
    },
  }
}
