// Every example workflow uses the suite's actions only through their documented interface: each
// `with:` key is an input of that action's action.yml (and every required input is given), and
// each `steps.<id>.outputs.<name>` reference names an output of the action that step runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../../helpers/run-action.js'

const root = repoRoot()
const examplesDir = join(root, 'examples')
const examples = readdirSync(examplesDir).filter((f) => /\.ya?ml$/.test(f))

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on?: unknown
  jobs: Record<string, { steps?: Step[] }>
}
interface ActionYml {
  inputs?: Record<string, { required?: boolean; default?: string }>
  outputs?: Record<string, unknown>
}

const OWN = /^[^/]+\/devops-actions\/actions\/([a-z0-9-]+)@v1$/

function actionYml(name: string): ActionYml {
  return parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as ActionYml
}

test('the examples the README promises are there', () => {
  expect(examples).toEqual(
    expect.arrayContaining([
      'django-ecs.yml',
      'django-render.yml',
      'deploy-one-step.yml',
      'django-promote.yml',
      'django-matrix.yml',
    ]),
  )
})

describe.each(examples)('examples/%s', (file) => {
  const text = readFileSync(join(examplesDir, file), 'utf8')
  const workflow = parse(text) as Workflow

  test('uses only inputs its actions declare, and gives every required one', () => {
    const problems: string[] = []
    let own = 0
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        const name = OWN.exec(step.uses ?? '')?.[1]
        if (name === undefined) {
          if (step.uses?.includes('/devops-actions/'))
            problems.push(`${jobName}: ${step.uses} is not <owner>/devops-actions/actions/<name>@v1`)
          continue
        }
        own += 1
        if (!existsSync(join(root, 'actions', name, 'action.yml'))) {
          problems.push(`${jobName}: no action ${name}`)
          continue
        }
        const inputs = actionYml(name).inputs ?? {}
        for (const key of Object.keys(step.with ?? {})) {
          if (!(key in inputs)) problems.push(`${jobName}: ${name} has no input '${key}'`)
        }
        for (const [input, spec] of Object.entries(inputs)) {
          if (spec.required && !(input in (step.with ?? {})))
            problems.push(`${jobName}: ${name} needs '${input}'`)
        }
      }
    }
    expect(problems).toEqual([])
    // A workflow_run companion (pr-comment-workflow-run.yml) posts what another workflow's
    // steps of the suite wrote; every other example uses the suite itself.
    const companion = Object.keys((workflow.on ?? {}) as object).join() === 'workflow_run'
    if (!companion) expect(own).toBeGreaterThan(0)
  })

  test('reads only outputs the referenced steps declare', () => {
    const problems: string[] = []
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
      const byId = new Map((job.steps ?? []).filter((s) => s.id).map((s) => [s.id as string, s]))
      const jobText = JSON.stringify(job)
      for (const match of jobText.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        const [, id = '', output = ''] = match
        const step = byId.get(id)
        if (step === undefined) {
          problems.push(`${jobName}: no step with id '${id}'`)
          continue
        }
        const name = OWN.exec(step.uses ?? '')?.[1]
        if (name === undefined) continue
        if (!(output in (actionYml(name).outputs ?? {})))
          problems.push(`${jobName}: ${name} has no output '${output}'`)
      }
    }
    expect(problems).toEqual([])
  })
})
