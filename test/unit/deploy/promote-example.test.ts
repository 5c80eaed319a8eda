import { expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../../helpers/run-action.js'

// examples/django-promote.yml promises one build and the same digest everywhere: hold it to that.

interface Step {
  id?: string
  uses?: string
  with?: Record<string, string>
}
interface Job {
  needs?: string | string[]
  environment?: string
  outputs?: Record<string, string>
  steps: Step[]
}

const workflow = parse(readFileSync(join(repoRoot(), 'examples', 'django-promote.yml'), 'utf8')) as {
  jobs: Record<string, Job>
}
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.includes(`/actions/${action}@`))

test('builds and pushes once, and deploys that digest to staging, then production after it', () => {
  const { build, staging, production } = workflow.jobs
  if (build === undefined || staging === undefined || production === undefined)
    throw new Error('jobs missing')
  const building = Object.entries(workflow.jobs).filter(
    ([, job]) => uses(job, 'build-and-scan-image').length > 0,
  )
  expect(building.map(([name]) => name)).toEqual(['build'])
  const push = uses(build, 'push-to-ecr')[0]
  expect(build.outputs?.image).toBe(`\${{ steps.${push?.id}.outputs.image-uri-digest }}`)
  for (const job of [staging, production]) {
    const deploys = uses(job, 'deploy')
    expect(deploys).toHaveLength(1)
    expect(deploys[0]?.with?.['existing-image']).toBe('${{ needs.build.outputs.image }}')
    expect(deploys[0]?.with).not.toHaveProperty('image')
  }
  expect(staging.environment).toBe('staging')
  expect(production.environment).toBe('production')
  expect(production.needs).toEqual(expect.arrayContaining(['build', 'staging']))
  expect(uses(staging, 'deploy')[0]?.with?.checks).toMatch(/load:/)
})
