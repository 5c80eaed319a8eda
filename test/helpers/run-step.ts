// Runs an action from its action.yml as one step of a job on actions/runner: inputs with their
// defaults, expressions, composite steps (third-party actions as recorded stand-ins), pre/main/post
// with pre-if/post-if and STATE_*, and per step type the environment the runner's handler gives.
// Same call shape and result as the bundle-level runAction, so a test can move between them.
import { rmSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { hasPost, runActionStage, statusFunctions, type ActionInstance } from './runner/actions.js'
import { evaluateCondition, evaluateString, type EvaluationContext } from './runner/expressions.js'
import {
  createJob,
  envContext,
  jobValues,
  stepLog,
  type Job,
  type JobOptions,
  type Stage,
  type StepRecord,
} from './runner/job.js'
import { loadManifest, preIf, postIf, resolveInputs } from './runner/manifest.js'
import { defaultStandIns, fillPythonToolCache } from './runner/stand-ins/index.js'
import { maskText } from './runner/step-files.js'
import { repoRoot, type ActionRun } from './run-action.js'

export { LocalCacheStore } from './runner/cache-store.js'
export type { StepRecord } from './runner/job.js'

export interface StepOptions extends JobOptions {
  /** How the workflow refers to the action (default `devops-actions/devops-actions/actions/<name>@v1`). */
  uses?: string
  /** The step's own `env:` (its values may hold expressions). */
  stepEnv?: Record<string, string>
  /** The step's `if:` (default success(), which holds for the first step of a job). */
  if?: string
  /** Interpreters to put into the tool cache, for the setup-python stand-in to "install". */
  pythons?: readonly string[]
  /** false: stop after the main stage (the job's post steps do not run). */
  post?: boolean
}

/**
 * One stage (pre, main or post) of the step, as ActionRun reports a bundle run: stdout, stderr and
 * summary of every process of the stage in order; `errors` and `warnings` are the annotations the
 * runner would show, masked, including its own (a composite run: step that exits 1 adds
 * "Process completed with exit code 1."); `exitCode` is the node process's, or for a composite the
 * first failed step's; `durationMs` of the main stage covers the whole job.
 */
export interface StageRun extends ActionRun {
  conclusion: 'success' | 'failure' | 'skipped' | 'cancelled'
  warnings: string[]
  /** What the job's log shows: the steps' output with every ::add-mask:: value as ***. */
  log: string
}

export interface StepRun extends StageRun {
  pre?: StageRun
  post?: StageRun
  /** Every step the runner ran or skipped, embedded composite steps and stand-ins included. */
  steps: StepRecord[]
  /** The job's env after the step (GITHUB_ENV exports included) and the GITHUB_PATH entries. */
  jobEnv: Record<string, string>
  jobPath: string[]
}

const root = repoRoot()

function stageRun(
  job: Job,
  stage: Stage,
  instance: ActionInstance,
  exitCode: number,
  conclusion: StageRun['conclusion'],
  durationMs: number,
): StageRun {
  const records = job.records.filter((r) => r.stage === stage)
  // Annotations are masked with the secrets registered before them; the runner's own lines with all.
  const annotations = (level: 'error' | 'warning') =>
    records.flatMap((r) => [
      ...r.annotations.filter((a) => a.level === level).map((a) => a.message),
      ...r.runnerLines
        .filter((l) => l.startsWith(`##[${level}]`))
        .map((l) => maskText(l.slice(level.length + 4), job.masks)),
    ])
  const single = instance.action.manifest.runs.using !== 'composite' ? records.at(-1) : undefined
  return {
    exitCode,
    conclusion,
    stdout: records.map((r) => r.stdout).join(''),
    stderr: records.map((r) => r.stderr).join(''),
    outputs: stage === 'main' ? instance.outputs : (single?.outputs ?? {}),
    state: single?.state ?? {},
    summary: records.map((r) => r.summary).join(''),
    errors: annotations('error'),
    warnings: annotations('warning'),
    log: stepLog(records),
    durationMs,
  }
}

/**
 * Runs actions/<action> (or the action in an absolute folder) as a job step. `inputs` is the step's `with:` (values may hold
 * `${{ }}`); `options.env` is the job's `env:`; `options.cwd` is github.workspace.
 */
export async function runStep(
  action: string,
  inputs: Record<string, string>,
  options: StepOptions = {},
): Promise<StepRun> {
  const started = Date.now()
  const job = createJob(options, root)
  try {
    if (options.pythons) fillPythonToolCache(job.toolCache, options.pythons)
    const standIns = options.standIns ?? defaultStandIns
    const uses =
      options.uses ?? `devops-actions/devops-actions/actions/${isAbsolute(action) ? 'fixture' : action}@v1`
    // The action is this repository's actions/<action> (or the folder given); `uses` only says
    // how the workflow names it.
    const dir = isAbsolute(action) ? action : join(root, 'actions', action)
    const resolved = { uses, manifest: loadManifest(join(dir, 'action.yml')), dir }
    const [path = '', ref = ''] = uses.split('@')
    const local = uses.startsWith('./')
    // StepsRunner / ActionRunner: github.action is the step's name, action_repository/ref the remote it came from.
    const github = {
      ...job.github,
      action: `__${path.replace(/\//g, '_')}`,
      action_repository: local ? '' : path.split('/').slice(0, 2).join('/'),
      action_ref: local ? '' : ref,
    }
    const workflowCtx = (): EvaluationContext => ({
      values: {
        ...jobValues(job, github, envContext(job)),
        steps: {},
        inputs: {},
        secrets: {},
        vars: {},
        needs: {},
      },
      status: statusFunctions(job),
    })
    const stepEnv = Object.fromEntries(
      Object.entries(options.stepEnv ?? {}).map(([k, v]) => [k, evaluateString(v, workflowCtx())]),
    )
    const given = Object.fromEntries(
      Object.entries(inputs).map(([k, v]) => [k, evaluateString(v, workflowCtx())]),
    )
    const { values, warnings } = resolveInputs(resolved.manifest, given, workflowCtx().values)
    const instance: ActionInstance = {
      action: resolved,
      name: `Run ${path}`,
      inputs: values,
      env: stepEnv,
      github,
      state: {},
      posts: [],
      outputs: {},
    }
    const runs = resolved.manifest.runs
    const timings: Partial<Record<Stage, number>> = {}
    const stage = async (which: Stage, condition: string | undefined) => {
      const begun = Date.now()
      const ctx = { ...workflowCtx(), values: { ...workflowCtx().values, env: envContext(job, stepEnv) } }
      if (!evaluateCondition(condition, ctx)) {
        timings[which] = 0
        return { conclusion: 'skipped' as const, exitCode: 0 }
      }
      const result = await runActionStage(job, instance, which, root, standIns)
      if (result.conclusion === 'failure') job.status = 'failure'
      timings[which] = Date.now() - begun
      return result
    }
    let pre: { conclusion: StageRun['conclusion']; exitCode: number } | undefined
    const notes: string[] = warnings.map((w) => `##[warning]${w}`)
    if (runs.using !== 'composite' && runs.pre !== undefined) {
      if (local) notes.push(`##[warning]\`pre\` execution is not supported for local action from '${uses}'`)
      else pre = await stage('pre', preIf(runs))
    }
    const main = await stage('main', options.if)
    const firstMain = job.records.find((r) => r.stage === 'main')
    firstMain?.runnerLines.unshift(...notes)
    let post: { conclusion: StageRun['conclusion']; exitCode: number } | undefined
    if (options.post !== false && main.conclusion !== 'skipped' && hasPost(instance))
      post = await stage('post', postIf(runs))
    const result: StepRun = {
      ...stageRun(job, 'main', instance, main.exitCode, main.conclusion, Date.now() - started),
      steps: job.records,
      jobEnv: { ...job.env },
      jobPath: [...job.path].reverse(),
    }
    if (pre) result.pre = stageRun(job, 'pre', instance, pre.exitCode, pre.conclusion, timings.pre ?? 0)
    if (post) result.post = stageRun(job, 'post', instance, post.exitCode, post.conclusion, timings.post ?? 0)
    return result
  } finally {
    rmSync(job.dir, { recursive: true, force: true })
  }
}
