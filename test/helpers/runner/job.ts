// One job on the model runner: its folders, contexts, environment and the record of every step.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  contextEnvironment,
  githubContext,
  RUNNER_OWNED,
  type GitHubOptions,
  type RunnerOptions,
  type RuntimeOptions,
} from './contexts.js'
import { caseSensitiveObject, type Value } from './expressions.js'
import type { LocalCacheStore } from './cache-store.js'
import type { StandIn } from './stand-ins/index.js'
import {
  createStepFiles,
  fileContextKeys,
  maskText,
  parseWorkflowCommands,
  processStepFiles,
  type Annotation,
  type StepFiles,
} from './step-files.js'

export type Stage = 'pre' | 'main' | 'post'
export type Conclusion = 'success' | 'failure' | 'skipped' | 'cancelled'

/** One step as the runner ran it (or skipped it), with exactly the environment its process got. */
export interface StepRecord {
  stage: Stage
  kind: 'node' | 'run' | 'stand-in'
  name: string
  id?: string
  uses?: string
  inputs: Record<string, string>
  env: Record<string, string>
  outcome: Conclusion
  conclusion: Conclusion
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  annotations: Annotation[]
  summary: string
  /** What the runner itself logs for the step (`##[error]Process completed with exit code 1.`). */
  runnerLines: string[]
  /** The step's log as the job's log shows it: masked, add-mask lines gone, runner lines last. */
  log: string[]
  durationMs: number
}

export interface JobOptions {
  /** The job's `env:` (the env context); PATH, HOME and LANG come from this process unless set here. */
  env?: Record<string, string | undefined>
  /** github.workspace, the node steps' working folder. */
  cwd?: string
  github?: GitHubOptions
  runner?: RunnerOptions
  /** The runner's connection to the Actions services; a cacheStore supplies its own. */
  runtime?: RuntimeOptions
  /** `permissions: id-token: write`: the runner then offers ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN. */
  idToken?: boolean
  /** The `job` context: `services` (with their `ports`), `container`. */
  job?: Record<string, Value>
  /**
   * The `matrix` context of a matrix job's leg. Expressions only: the runner makes no environment
   * variable of it (only the github and runner contexts implement IEnvironmentContextData).
   */
  matrix?: Record<string, Value>
  cacheStore?: LocalCacheStore
  standIns?: readonly StandIn[]
  timeoutMs?: number
  onStdoutLine?: (line: string, at: number) => void
}

export interface Job {
  dir: string
  workspace: string
  toolCache: string
  fileDir: string
  baseEnv: Record<string, string>
  /** ExecutionContext.Global.EnvironmentVariables: the job's env plus what steps wrote to GITHUB_ENV. */
  env: Record<string, string>
  /** Global.PrependPath, in the order GITHUB_PATH lines arrived. */
  path: string[]
  masks: string[]
  github: Record<string, Value>
  runner: Record<string, string>
  jobContext: Record<string, Value>
  status: 'success' | 'failure' | 'cancelled'
  runtime: RuntimeOptions & { token: string; runtimeUrl: string }
  records: StepRecord[]
  options: JobOptions
}

export function createJob(options: JobOptions, repoRoot: string): Job {
  const dir = mkdtempSync(join(tmpdir(), 'runner-job-'))
  const workspace = options.cwd ?? repoRoot
  for (const name of Object.keys(options.env ?? {})) {
    if (RUNNER_OWNED.test(name))
      throw new Error(
        /^(INPUT|STATE)_/.test(name)
          ? `${name} is set by the runner (from the step's with:, or from the state the action's earlier stages saved), not by a job's env`
          : `${name} is set by the runner (from its contexts or its connection), not by a job's env: ` +
              'give it through the github, runner or runtime options',
      )
  }
  const temp = options.runner?.temp ?? join(dir, 'temp')
  const toolCache = options.runner?.tool_cache ?? join(dir, 'tool-cache')
  for (const folder of [temp, toolCache]) mkdirSync(folder, { recursive: true })
  const eventPath = join(dir, 'event.json')
  const github = githubContext(options.github ?? {}, workspace, eventPath)
  writeFileSync(eventPath, JSON.stringify(github.event ?? {}))
  const runner: Record<string, string> = {
    os: 'Linux',
    arch: 'X64',
    name: 'GitHub Actions 1',
    environment: 'github-hosted',
    temp,
    tool_cache: toolCache,
    workspace: join(workspace, '..'),
    ...(options.runner as Record<string, string> | undefined),
  }
  const baseEnv: Record<string, string> = {}
  for (const name of ['PATH', 'HOME', 'LANG'] as const) baseEnv[name] = process.env[name] ?? ''
  baseEnv.LANG ||= 'C.UTF-8'
  // The job message's variables (CI, GITHUB_ACTIONS) and the workflow's env: form the env context.
  const env: Record<string, string> = { CI: 'true', GITHUB_ACTIONS: 'true' }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete baseEnv[name]
    else env[name] = value
  }
  const connection = options.cacheStore?.runtime() ?? {}
  return {
    dir,
    workspace,
    toolCache,
    fileDir: join(dir, '_runner_file_commands'),
    baseEnv,
    env,
    path: [],
    masks: [],
    github,
    runner,
    jobContext: { status: 'success', services: {}, ...options.job },
    status: 'success',
    runtime: {
      token: `runtime-${Math.random().toString(36).slice(2)}`,
      runtimeUrl: 'http://127.0.0.1:9/runtime/',
      ...connection,
      ...options.runtime,
      ...(options.idToken ? { idTokenUrl: 'http://127.0.0.1:9/id-token' } : {}),
    },
    records: [],
    options,
  }
}

/** The env context a step sees: the job's env, then the step's own env: (case-sensitive on Linux). */
export function envContext(job: Job, ...layers: Record<string, string>[]): Record<string, string> {
  return caseSensitiveObject(Object.assign({}, job.env, ...layers))
}

/** The expression values every step position may use besides inputs/steps. */
export function jobValues(
  job: Job,
  github: Record<string, Value>,
  env: Record<string, string>,
): Record<string, Value> {
  return {
    github,
    env,
    runner: job.runner,
    job: { ...job.jobContext, status: job.status },
    matrix: job.options.matrix ?? {},
    strategy: {},
  }
}

/**
 * Handler.AddPrependPathToEnvironment: the GITHUB_PATH entries, newest first, before the step's
 * PATH (its env's, else the runner process's).
 */
export function withPrependedPath(job: Job, env: Record<string, string>): void {
  if (job.path.length === 0) return
  const prepend = [...job.path].reverse().join(':')
  const original = env.PATH ?? job.baseEnv.PATH ?? ''
  env.PATH = original ? `${prepend}:${original}` : prepend
}

export interface Prepared {
  files: StepFiles
  github: Record<string, Value>
  /** The process environment so far: runner process env, env context, PATH, contexts. */
  env: Record<string, string>
}

/** What both handlers do first: fresh step files, the github context naming them, the base environment. */
export function prepareStep(
  job: Job,
  github: Record<string, Value>,
  stepEnv: Record<string, string>,
): Prepared {
  const files = createStepFiles(job.fileDir)
  const stepGithub = { ...github, ...fileContextKeys(files) }
  const env: Record<string, string> = { ...job.baseEnv, ...stepEnv }
  return { files, github: stepGithub, env }
}

export function exportContexts(job: Job, prepared: Prepared): void {
  withPrependedPath(job, prepared.env)
  Object.assign(prepared.env, contextEnvironment(prepared.github, job.runner))
}

/** After a step: its file commands and workflow commands change the job (FileCommandManager.ProcessFiles). */
export function finishStep(
  job: Job,
  record: Omit<StepRecord, 'outputs' | 'state' | 'annotations' | 'summary' | 'log'>,
  files: StepFiles,
): StepRecord {
  const processed = processStepFiles(files)
  // stdout and stderr interleave in the real log; here stderr is read after stdout.
  const parsed = [
    parseWorkflowCommands(record.stdout, job.masks),
    parseWorkflowCommands(record.stderr, job.masks),
  ]
  Object.assign(job.env, processed.env)
  for (const dir of processed.path) {
    job.path = job.path.filter((d) => d !== dir)
    job.path.push(dir)
  }
  const runnerLines = [...record.runnerLines, ...processed.errors.map((e) => `##[error]${e}`)]
  const failed = record.outcome === 'failure' || processed.errors.length > 0
  const done: StepRecord = {
    ...record,
    outcome: failed ? 'failure' : record.outcome,
    conclusion: failed ? 'failure' : record.conclusion,
    runnerLines,
    log: [...parsed.flatMap((p) => p.lines), ...runnerLines.map((l) => maskText(l, job.masks))],
    outputs: processed.outputs,
    state: processed.state,
    annotations: parsed.flatMap((p) => p.annotations),
    summary: processed.summary,
  }
  job.records.push(done)
  return done
}

/** A step the runner did not run (its if: was false): it leaves a record and a skipped outcome. */
export function skippedStep(
  job: Job,
  stage: Stage,
  kind: StepRecord['kind'],
  name: string,
  id?: string,
  uses?: string,
): StepRecord {
  const record: StepRecord = {
    stage,
    kind,
    name,
    id,
    uses,
    inputs: {},
    env: {},
    outcome: 'skipped',
    conclusion: 'skipped',
    exitCode: 0,
    stdout: '',
    stderr: '',
    outputs: {},
    state: {},
    annotations: [],
    summary: '',
    runnerLines: [],
    log: [],
    durationMs: 0,
  }
  job.records.push(record)
  return record
}

/** The log a user reads for some steps: each step's masked lines, in order. */
export function stepLog(records: readonly StepRecord[]): string {
  return records.flatMap((r) => (r.log.length > 0 ? r.log : r.runnerLines)).join('\n')
}
