// action.yml as actions/runner reads it (src/Runner.Worker/ActionManifestManager.cs, the schema in
// src/Runner.Worker/action_yaml.json).
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { evaluateString, type EvaluationContext, type Value } from './expressions.js'

export interface InputSpec {
  description?: string
  required?: boolean
  default?: string
  deprecationMessage?: string
}

export interface CompositeStep {
  id?: string
  name?: string
  if?: string
  run?: string
  shell?: string
  'working-directory'?: string
  uses?: string
  with?: Record<string, string>
  env?: Record<string, string>
  'continue-on-error'?: string
}

export interface NodeRuns {
  using: 'node12' | 'node16' | 'node20' | 'node24'
  main: string
  pre?: string
  'pre-if'?: string
  post?: string
  'post-if'?: string
}

export interface CompositeRuns {
  using: 'composite'
  steps: CompositeStep[]
}

export interface Manifest {
  name?: string
  inputs: Record<string, InputSpec>
  outputs: Record<string, { description?: string; value?: string }>
  runs: NodeRuns | CompositeRuns
}

/**
 * YAML scalars become strings the way the runner's template reader turns literal tokens into
 * strings for a "string" definition: `default: false` is 'false', and `3.10` (a YAML float) is '3.1'.
 */
function scalarsToStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scalarsToStrings)
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scalarsToStrings(v)]))
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return value
}

export function loadManifest(file: string): Manifest {
  const raw = scalarsToStrings(parse(readFileSync(file, 'utf8'))) as Omit<Partial<Manifest>, 'runs'> & {
    runs?: { using?: string; main?: string; steps?: CompositeStep[] }
  }
  const runs = raw.runs
  if (!runs) throw new Error(`Top level 'runs:' section is required for ${file}`)
  // ActionManifestManager.ConvertRuns
  if (runs.using === 'composite') {
    if (!runs.steps)
      throw new Error(`You are using a composite action but there are no steps provided in ${file}.`)
    for (const step of runs.steps) {
      // action_yaml.json "run-step": shell is required in a composite (the author does not pick the OS).
      if (step.run !== undefined && !step.shell)
        throw new Error(`${file}: a composite run step needs 'shell'`)
    }
  } else if (['node12', 'node16', 'node20', 'node24'].includes(runs.using ?? '')) {
    if (!runs.main)
      throw new Error(
        `You are using a JavaScript Action but there is not an entry JavaScript file provided in ${file}.`,
      )
  } else {
    throw new Error(`'using: ${runs.using}' is not supported by this harness (${file})`)
  }
  return {
    name: raw.name,
    inputs: raw.inputs ?? {},
    outputs: raw.outputs ?? {},
    runs: runs as unknown as Manifest['runs'],
  }
}

/** ActionManifestManager: pre-if and post-if default to always() (and a composite's to always()). */
export const preIf = (runs: Manifest['runs']) =>
  runs.using === 'composite' ? 'always()' : (runs['pre-if'] ?? 'always()')
export const postIf = (runs: Manifest['runs']) =>
  runs.using === 'composite' ? 'always()' : (runs['post-if'] ?? 'always()')

/** action_yaml.json "input-default-context": github, strategy, matrix, job, runner (no inputs, env or steps). */
const DEFAULT_CONTEXTS = ['github', 'strategy', 'matrix', 'job', 'runner']

export interface ResolvedInputs {
  values: Record<string, string>
  /** The runner's "Unexpected input(s)" warning, when the step gave inputs the action does not declare. */
  warnings: string[]
}

/**
 * ActionRunner.RunAsync: the step's `with:` (already evaluated), then every declared input it did
 * not give gets its `default:` (evaluated in the input-default context) or ''. `required` is not
 * enforced by the runner (actions/runner#1070): a missing required input arrives as '' and only the
 * action's own check (@actions/core getInput(name, { required: true })) can fail it.
 */
export function resolveInputs(
  manifest: Manifest,
  given: Record<string, string>,
  values: Record<string, Value>,
): ResolvedInputs {
  const result: Record<string, string> = {}
  const givenLower = new Map(Object.keys(given).map((k) => [k.toLowerCase(), k]))
  for (const [name, value] of Object.entries(given)) result[name] = value
  const defaultsContext: EvaluationContext = {
    values: Object.fromEntries(
      DEFAULT_CONTEXTS.filter((c) => c in values).map((c) => [c, values[c] ?? null]),
    ),
  }
  for (const [name, spec] of Object.entries(manifest.inputs)) {
    if (givenLower.has(name.toLowerCase())) continue
    result[name] = spec.default === undefined ? '' : evaluateString(spec.default, defaultsContext)
  }
  const declared = new Set(Object.keys(manifest.inputs).map((k) => k.toLowerCase()))
  const unexpected = Object.keys(given).filter((k) => !declared.has(k.toLowerCase()))
  const warnings =
    unexpected.length > 0
      ? [
          `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(manifest.inputs).join("', '")}']`,
        ]
      : []
  for (const name of Object.keys(given)) {
    const message = manifest.inputs[name]?.deprecationMessage
    if (message) warnings.push(`Input '${name}' has been deprecated with message: ${message}`)
  }
  return { values: result, warnings }
}

/** Handler.AddInputsToEnvironment: INPUT_ + the name with spaces as '_', upper-cased; '-' stays. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}
