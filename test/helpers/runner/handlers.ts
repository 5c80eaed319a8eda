// The three kinds of step the repository's actions need, each with exactly the environment its
// actions/runner handler builds (src/Runner.Worker/Handlers/*.cs, src/Runner.Worker/ActionRunner.cs).
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { delimiter, isAbsolute, join, resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { nodeRuntimeEnvironment, scriptRuntimeEnvironment } from './contexts.js'
import type { Value } from './expressions.js'
import { exportContexts, finishStep, prepareStep, type Job, type Stage, type StepRecord } from './job.js'
import { inputVariable } from './manifest.js'
import { runProcess } from './process.js'
import { standInIO, type StandIn } from './stand-ins/index.js'

export interface StepSpec {
  stage: Stage
  name: string
  id?: string
  uses?: string
  /** The env context: the job's env and the step's own evaluated env: (and a composite's). */
  env: Record<string, string>
  github: Record<string, Value>
}

/**
 * ActionRunner.RunAsync + NodeScriptActionHandler.RunAsync: env context, STATE_<name> of this
 * action, INPUT_<NAME> for every input (Handler.AddInputsToEnvironment), PATH with GITHUB_PATH
 * entries, GITHUB_* / RUNNER_* from the contexts, then the runtime server info. The working folder
 * is github.workspace; NODE_ICU_DATA is removed.
 */
function nodeEnvironment(
  job: Job,
  spec: StepSpec,
  inputs: Record<string, string>,
  state: Record<string, string>,
) {
  const prepared = prepareStep(job, spec.github, spec.env)
  for (const [name, value] of Object.entries(state)) prepared.env[`STATE_${name}`] = value
  for (const [name, value] of Object.entries(inputs)) prepared.env[inputVariable(name)] = value
  exportContexts(job, prepared)
  Object.assign(prepared.env, nodeRuntimeEnvironment(job.runtime))
  delete prepared.env.NODE_ICU_DATA
  return prepared
}

const baseRecord = (
  spec: StepSpec,
  kind: StepRecord['kind'],
  inputs: Record<string, string>,
  env: Record<string, string>,
) => ({
  stage: spec.stage,
  kind,
  name: spec.name,
  id: spec.id,
  uses: spec.uses,
  inputs,
  env: { ...env },
})

export async function runNodeStep(
  job: Job,
  spec: StepSpec,
  script: string,
  inputs: Record<string, string>,
  state: Record<string, string>,
): Promise<StepRecord> {
  const prepared = nodeEnvironment(job, spec, inputs, state)
  const started = Date.now()
  const result = await runProcess(process.execPath, [script], {
    env: prepared.env,
    cwd: job.workspace,
    timeoutMs: job.options.timeoutMs,
    onStdoutLine: spec.stage === 'main' ? job.options.onStdoutLine : undefined,
  })
  // A node action reports failure through its exit code alone (no "Process completed" line).
  const outcome = result.exitCode === 0 ? 'success' : 'failure'
  return finishStep(
    job,
    {
      ...baseRecord(spec, 'node', inputs, prepared.env),
      outcome,
      conclusion: outcome,
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      runnerLines: [],
      durationMs: Date.now() - started,
    },
    prepared.files,
  )
}

/** A stand-in runs in this process, with the environment the node handler would give the real action. */
export async function runStandInStep(
  job: Job,
  spec: StepSpec,
  standIn: StandIn,
  inputs: Record<string, string>,
  state: Record<string, string>,
): Promise<StepRecord> {
  const prepared = nodeEnvironment(job, spec, inputs, state)
  const started = Date.now()
  const out = { stdout: '', exitCode: 0 }
  const env = { ...prepared.env }
  const run = {
    stage: spec.stage as 'main' | 'post',
    env,
    io: standInIO(env, out),
    job: { workspace: job.workspace, toolCache: job.toolCache, cacheStore: job.options.cacheStore },
  }
  try {
    await (spec.stage === 'post' ? standIn.post?.(run) : standIn.main(run))
  } catch (error) {
    // An unhandled error in a node action's process: it dies with exit code 1 and a stack on stderr.
    out.exitCode = 1
    out.stdout += `::error::${String(error)}\n`
  }
  const outcome = out.exitCode === 0 ? 'success' : 'failure'
  return finishStep(
    job,
    {
      ...baseRecord(spec, 'stand-in', inputs, prepared.env),
      outcome,
      conclusion: outcome,
      exitCode: out.exitCode,
      stdout: out.stdout,
      stderr: '',
      runnerLines: [],
      durationMs: Date.now() - started,
    },
    prepared.files,
  )
}

/** ScriptHandlerHelpers: the argument format of each built-in shell. */
const SHELL_ARGS: Record<string, string> = {
  bash: '--noprofile --norc -e -o pipefail {0}',
  sh: '-e {0}',
  python: '{0}',
}

/** WhichUtil.Which over the runner process's PATH and the GITHUB_PATH entries (not the step's env). */
function which(job: Job, command: string): string {
  const dirs = [...[...job.path].reverse(), ...(process.env.PATH ?? '').split(delimiter)]
  const found = dirs.map((dir) => join(dir, command)).find((path) => existsSync(path))
  if (!found) throw new Error(`${command}: command not found`)
  return found
}

/**
 * ScriptHandler.RunAsync: the script is written to a file in RUNNER_TEMP and run by the shell
 * (`bash --noprofile --norc -e -o pipefail <file>`) in github.workspace joined with
 * working-directory. The environment: env context, PATH, GITHUB_* / RUNNER_*, and the OIDC
 * request URL/token when the job has them; no INPUT_*, no ACTIONS_RUNTIME_TOKEN, no cache URLs.
 * A non-zero exit is logged as the error "Process completed with exit code N.".
 */
export async function runScriptStep(
  job: Job,
  spec: StepSpec,
  script: string,
  shell: string,
  workingDirectory: string | undefined,
): Promise<StepRecord> {
  const prepared = prepareStep(job, spec.github, spec.env)
  exportContexts(job, prepared)
  Object.assign(prepared.env, scriptRuntimeEnvironment(job.runtime))
  const [command = '', ...rest] = shell.split(' ')
  const format = rest.join(' ').trim() || SHELL_ARGS[command] || ''
  if (!format.includes('{0}'))
    throw new Error(
      "Invalid shell option. Shell must be a valid built-in (bash, sh, cmd, powershell, pwsh) or a format string containing '{0}'",
    )
  const file = join(job.runner.temp ?? job.dir, `${randomUUID()}${command === 'python' ? '.py' : '.sh'}`)
  writeFileSync(file, script)
  const cwd = workingDirectory
    ? isAbsolute(workingDirectory)
      ? workingDirectory
      : resolve(job.workspace, workingDirectory)
    : job.workspace
  const args = format
    .split(' ')
    .filter(Boolean)
    .map((arg) => arg.replace('{0}', file))
  const started = Date.now()
  const result = await runProcess(which(job, command), args, {
    env: prepared.env,
    cwd,
    timeoutMs: job.options.timeoutMs,
    onStdoutLine: spec.stage === 'main' ? job.options.onStdoutLine : undefined,
  })
  const outcome = result.exitCode === 0 ? 'success' : 'failure'
  return finishStep(
    job,
    {
      ...baseRecord(spec, 'run', {}, prepared.env),
      outcome,
      conclusion: outcome,
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      runnerLines:
        result.exitCode === 0 ? [] : [`##[error]Process completed with exit code ${result.exitCode}.`],
      durationMs: Date.now() - started,
    },
    prepared.files,
  )
}
