// Running one action (a node action of this repository, a composite, or a stand-in) at one stage,
// as ActionRunner and CompositeActionHandler (src/Runner.Worker/Handlers/CompositeActionHandler.cs) do.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  evaluateCondition,
  evaluateString,
  ExpressionError,
  truthy,
  parseExpression,
  templateExpression,
  type EvaluationContext,
  type StatusFunctions,
  type Value,
} from './expressions.js'
import { runNodeStep, runScriptStep, runStandInStep, type StepSpec } from './handlers.js'
import {
  envContext,
  jobValues,
  skippedStep,
  type Conclusion,
  type Job,
  type Stage,
  type StepRecord,
} from './job.js'
import { loadManifest, postIf, resolveInputs, type CompositeStep, type Manifest } from './manifest.js'
import type { StandIn } from './stand-ins/index.js'

export interface ResolvedAction {
  uses: string
  manifest: Manifest
  /** The action's folder (this repository's actions); undefined for a stand-in. */
  dir?: string
  standIn?: StandIn
}

/** An action as one step uses it: its inputs, its step env, its state across pre/main/post. */
export interface ActionInstance {
  action: ResolvedAction
  name: string
  id?: string
  inputs: Record<string, string>
  /** The step's own evaluated env: (StepEnvironmentOverrides). */
  env: Record<string, string>
  github: Record<string, Value>
  /** IntraActionState: STATE_* for its later stages. */
  state: Record<string, string>
  /** A composite's embedded steps that have a post, in the order their main ran. */
  posts: { instance: ActionInstance; condition: string }[]
  outputs: Record<string, string>
}

export interface StageResult {
  conclusion: Conclusion
  exitCode: number
}

const OWN = /^[^/]+\/devops-actions\/actions\/([a-z0-9-]+)@/

export function resolveUses(
  job: Job,
  uses: string,
  repoRoot: string,
  standIns: readonly StandIn[],
): ResolvedAction {
  const own = OWN.exec(uses)?.[1]
  if (uses.startsWith('./') || own !== undefined) {
    const dir = own !== undefined ? join(repoRoot, 'actions', own) : resolve(job.workspace, uses)
    const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find((f) => existsSync(f))
    if (!file) throw new Error(`Can't find 'action.yml' or 'action.yaml' under '${dir}' (uses: ${uses})`)
    return { uses, manifest: loadManifest(file), dir }
  }
  const [path = '', ref = ''] = uses.split('@')
  const standIn = standIns.find((s) => s.action.toLowerCase() === path.toLowerCase())
  if (!standIn)
    throw new Error(`No stand-in for '${path}' (uses: ${uses}): add one to test/helpers/runner/stand-ins`)
  if (ref !== standIn.sha)
    throw new Error(
      `The stand-in for ${path} models ${standIn.version} (${standIn.sha}), but the step uses @${ref}: ` +
        "re-read that version's action.yml and source and update the stand-in",
    )
  return { uses, manifest: standIn.manifest, standIn }
}

/**
 * The status functions: in a composite's main steps they follow the composite's own result
 * (github.action_status); everywhere else (pre, post, the job's steps) the job's status
 * (src/Runner.Worker/Expressions/SuccessFunction.cs, FailureFunction.cs; cancelled() is always the job's).
 */
export function statusFunctions(job: Job, actionStatus?: () => 'success' | 'failure'): StatusFunctions {
  return {
    success: () => (actionStatus ? actionStatus() === 'success' : job.status === 'success'),
    failure: () => (actionStatus ? actionStatus() === 'failure' : job.status === 'failure'),
    cancelled: () => job.status === 'cancelled',
  }
}

function script(instance: ActionInstance, stage: Stage): string | undefined {
  const runs = instance.action.manifest.runs
  if (runs.using === 'composite' || !instance.action.dir) return undefined
  const entry = stage === 'pre' ? runs.pre : stage === 'post' ? runs.post : runs.main
  return entry === undefined ? undefined : resolve(instance.action.dir, entry)
}

/** Runs one stage of an action; its records land in job.records. */
export async function runActionStage(
  job: Job,
  instance: ActionInstance,
  stage: Stage,
  repoRoot: string,
  standIns: readonly StandIn[],
): Promise<StageResult> {
  const spec: StepSpec = {
    stage,
    name: instance.name,
    id: instance.id,
    uses: instance.action.uses,
    env: envContext(job, instance.env),
    github: instance.github,
  }
  let record: StepRecord | undefined
  if (instance.action.standIn) {
    record = await runStandInStep(job, spec, instance.action.standIn, instance.inputs, instance.state)
  } else if (instance.action.manifest.runs.using === 'composite') {
    return stage === 'post'
      ? runCompositePost(job, instance, repoRoot, standIns)
      : runCompositeMain(job, instance, repoRoot, standIns)
  } else {
    const file = script(instance, stage)
    if (file === undefined) return { conclusion: 'skipped', exitCode: 0 }
    record = await runNodeStep(job, spec, file, instance.inputs, instance.state)
  }
  Object.assign(instance.state, record.state)
  if (stage === 'main') instance.outputs = record.outputs
  return { conclusion: record.conclusion, exitCode: record.exitCode }
}

/** Whether an action has a post step to register (a composite: when an embedded step that ran has one). */
export function hasPost(instance: ActionInstance): boolean {
  const runs = instance.action.manifest.runs
  return runs.using === 'composite' ? instance.posts.length > 0 : runs.post !== undefined
}

function evaluate(raw: string | undefined, ctx: EvaluationContext): string | undefined {
  return raw === undefined ? undefined : evaluateString(raw, ctx)
}

/** boolean-steps-context: continue-on-error may be an expression. */
function continueOnError(raw: string | undefined, ctx: EvaluationContext): boolean {
  if (raw === undefined) return false
  const parsed = templateExpression(raw)
  const value =
    'literal' in parsed ? parsed.literal === 'true' : truthy(parseExpression(parsed.expression).evaluate(ctx))
  return value
}

async function runCompositeMain(
  job: Job,
  composite: ActionInstance,
  repoRoot: string,
  standIns: readonly StandIn[],
): Promise<StageResult> {
  const manifest = composite.action.manifest
  if (manifest.runs.using !== 'composite') throw new Error('not a composite')
  const scope: Record<string, Value> = {}
  let result: 'success' | 'failure' = 'success'
  let exitCode = 0
  const fail = (record: { exitCode: number } | undefined) => {
    if (result === 'success') exitCode = record?.exitCode || 1
    result = 'failure'
  }
  for (const [index, step] of manifest.runs.steps.entries()) {
    const name = step.name ?? step.uses ?? `Run ${step.run?.split('\n')[0] ?? ''}`
    // CompositeActionHandler.RunAsync: a shallow copy of github with action_path = the action's folder.
    const github = { ...composite.github, action_path: composite.action.dir ?? '', action_status: result }
    const status = statusFunctions(job, () => result)
    const base = envContext(job, composite.env)
    const values = (env: Record<string, string>) => ({
      ...jobValues(job, github, env),
      inputs: composite.inputs,
      steps: scope,
    })
    let stepEnv: Record<string, string>
    try {
      stepEnv = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluateString(v, { values: values(base) })]),
      )
    } catch (error) {
      // RunStepsAsync: an env: that fails to evaluate fails the step (reported as the step's error).
      fail(failedStep(job, step, name, error))
      continue
    }
    const env = envContext(job, composite.env, stepEnv)
    const ctx: EvaluationContext = { values: values(env), status }
    let run: boolean
    try {
      run = evaluateCondition(step.if, ctx)
    } catch (error) {
      // A condition that fails to evaluate fails the step and ends the composite.
      fail(failedStep(job, step, name, error))
      break
    }
    if (!run) {
      skippedStep(job, 'main', kindOf(step), name, step.id, step.uses)
      if (step.id) scope[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' }
      continue
    }
    const spec: StepSpec = { stage: 'main', name, id: step.id ?? `__${index}`, env, github }
    let outcome: Conclusion
    let outputs: Record<string, string> = {}
    let failedRecord: StepRecord | undefined
    try {
      if (step.run !== undefined) {
        const record = await runScriptStep(
          job,
          { ...spec, id: step.id },
          evaluateString(step.run, ctx),
          evaluate(step.shell, ctx) ?? 'bash',
          evaluate(step['working-directory'], ctx),
        )
        outcome = record.outcome
        outputs = record.outputs
        failedRecord = record
      } else {
        const nested = embeddedInstance(
          job,
          step,
          github,
          { ...composite.env, ...stepEnv },
          ctx,
          repoRoot,
          standIns,
        )
        const stage = await runActionStage(job, nested, 'main', repoRoot, standIns)
        outcome = stage.conclusion
        outputs = nested.outputs
        failedRecord = job.records.at(-1)
        if (hasPost(nested))
          composite.posts.push({ instance: nested, condition: postIf(nested.action.manifest.runs) })
      }
    } catch (error) {
      // The runner could not start the step (no such action, a bad with:): the step fails.
      failedRecord = failedStep(job, step, name, error)
      outcome = 'failure'
    }
    const conclusion =
      outcome === 'failure' && continueOnError(step['continue-on-error'], ctx) ? 'success' : outcome
    if (step.id) scope[step.id] = { outputs, outcome, conclusion }
    if (conclusion === 'failure') fail(failedRecord)
  }
  // ProcessOutputs: the outputs are evaluated in the composite's own context after its steps.
  const ctx: EvaluationContext = {
    values: {
      ...jobValues(job, composite.github, envContext(job, composite.env)),
      inputs: composite.inputs,
      steps: scope,
    },
  }
  try {
    for (const [name, spec] of Object.entries(manifest.outputs))
      composite.outputs[name] = spec.value === undefined ? '' : evaluateString(spec.value, ctx)
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error
    job.records.at(-1)?.runnerLines.push(`##[error]${error.message}`)
    fail(undefined)
  }
  return { conclusion: result, exitCode: result === 'success' ? 0 : exitCode }
}

const kindOf = (step: CompositeStep): StepRecord['kind'] => (step.run !== undefined ? 'run' : 'stand-in')

/** A step that failed before any process ran: the error is the runner's own line. */
function failedStep(job: Job, step: CompositeStep, name: string, error: unknown): StepRecord {
  const record = skippedStep(job, 'main', kindOf(step), name, step.id, step.uses)
  const message = error instanceof Error ? error.message : String(error)
  return Object.assign(record, {
    outcome: 'failure',
    conclusion: 'failure',
    exitCode: 1,
    runnerLines: [`##[error]${message}`],
  })
}

/** ActionRunner.RunAsync for an embedded `uses:` step: its with: evaluated, then the action's defaults. */
function embeddedInstance(
  job: Job,
  step: CompositeStep,
  github: Record<string, Value>,
  overrides: Record<string, string>,
  ctx: EvaluationContext,
  repoRoot: string,
  standIns: readonly StandIn[],
): ActionInstance {
  const action = resolveUses(job, step.uses ?? '', repoRoot, standIns)
  const given = Object.fromEntries(
    Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluateString(v, ctx)]),
  )
  const { values, warnings } = resolveInputs(action.manifest, given, ctx.values)
  if (warnings.length > 0) throw new Error(warnings.join('; '))
  const [path = '', ref = ''] = (step.uses ?? '').split('@')
  const remote = !(step.uses ?? '').startsWith('./')
  return {
    action,
    name: step.name ?? step.uses ?? '',
    id: step.id,
    inputs: values,
    env: overrides,
    github: {
      ...github,
      action_repository: remote ? path.split('/').slice(0, 2).join('/') : '',
      action_ref: remote ? ref : '',
    },
    state: {},
    posts: [],
    outputs: {},
  }
}

/** The post stage of a composite: its embedded posts, last registered first, each under its post-if. */
async function runCompositePost(
  job: Job,
  composite: ActionInstance,
  repoRoot: string,
  standIns: readonly StandIn[],
): Promise<StageResult> {
  let conclusion: Conclusion = 'success'
  let exitCode = 0
  for (const { instance, condition } of [...composite.posts].reverse()) {
    const ctx: EvaluationContext = {
      values: { ...jobValues(job, instance.github, envContext(job, instance.env)), inputs: instance.inputs },
      status: statusFunctions(job),
    }
    if (!evaluateCondition(condition, ctx)) {
      skippedStep(job, 'post', 'stand-in', `Post ${instance.name}`, instance.id, instance.action.uses)
      continue
    }
    const result = await runActionStage(
      job,
      { ...instance, name: `Post ${instance.name}` },
      'post',
      repoRoot,
      standIns,
    )
    if (result.conclusion === 'failure') {
      if (conclusion !== 'failure') exitCode = result.exitCode || 1
      conclusion = 'failure'
      job.status = 'failure'
    }
  }
  return { conclusion, exitCode }
}
