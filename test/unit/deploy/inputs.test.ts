import { describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inputsOf } from '../../helpers/io.js'
import { repoRoot } from '../../helpers/run-action.js'
import { ConfigurationError } from '../../../src/lib/errors.js'
import { parseDeployOptions } from '../../../src/deploy/api.js'

const env = { GITHUB_WORKSPACE: join(repoRoot(), 'test', 'fixtures', 'django-app'), AWS_REGION: 'eu-west-1' }
const noFile = (path: string): string => {
  throw new Error(`ENOENT: ${path}`)
}
const parse = (values: Record<string, string>, environment: NodeJS.ProcessEnv = env) =>
  parseDeployOptions(inputsOf(values), {
    env: environment,
    readFile: noFile,
    cwd: repoRoot(),
    tempDir: tmpdir(),
  })

const ecs = { target: 'ecs', repository: 'team/web', service: 'web', url: 'https://web.example.com/' }
const render = { target: 'render', 'service-id': 'srv-abc123', 'api-key': 'rnd_key' }
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@sha256:${'c'.repeat(64)}`

describe('deploy parseDeployOptions', () => {
  it('plans the ECS pipeline with every phase parsed by its own action', async () => {
    const plan = await parse({
      ...ecs,
      'build-target': 'build',
      'migrate-command': 'python manage.py migrate',
    })
    if (plan.target !== 'ecs') throw new Error('expected ecs')
    expect(plan.build).toMatchObject({ image: 'team/web', target: 'build', push: false, scan: true })
    expect(plan.push).toMatchObject({ repository: 'team/web', region: 'eu-west-1', createRepository: true })
    expect(plan.deploy).toMatchObject({
      services: ['web'],
      cluster: 'default',
      rollbackOnFailure: true,
      migrateCommand: ['python', 'manage.py', 'migrate'],
      imageFromPipeline: true,
    })
    expect(plan.deploy.image).toBeUndefined()
    expect(plan.smoke.inputs.checks.map((c) => String(c.url))).toEqual(['https://web.example.com/'])
    expect(plan.smoke.url).toBe('https://web.example.com/')
  })

  it('plans Render without a build unless an image is given, rolling back only when asked', async () => {
    const plain = await parse(render)
    expect(plain.target).toBe('render')
    expect(plain.build).toBeUndefined()
    if (plain.target !== 'render') throw new Error('expected render')
    expect(plain.deploy).toMatchObject({ serviceId: 'srv-abc123', rollbackOnFailure: false })
    const smoke = await plain.smoke.withServiceUrl('https://web.onrender.com')
    expect(smoke.checks.map((c) => String(c.url))).toEqual(['https://web.onrender.com/'])

    const built = await parse({ ...render, image: 'ghcr.io/acme/web' })
    expect(built.build).toMatchObject({ image: 'ghcr.io/acme/web', push: true })
  })

  it('resolves relative checks against the Render service URL', async () => {
    const plan = await parse({ ...render, checks: '- name: health\n  url: /health/' })
    if (plan.target !== 'render') throw new Error('expected render')
    const smoke = await plan.smoke.withServiceUrl('https://web.onrender.com')
    expect(smoke.checks.map((c) => [c.name, String(c.url)])).toEqual([
      ['health', 'https://web.onrender.com/health/'],
    ])
  })

  it.each([
    [{}, "Input 'target' is required"],
    [{ ...ecs, target: 'heroku' }, "Input 'target' must be one of ecs, render (got 'heroku')"],
    [{ ...ecs, 'service-id': 'srv-abc123' }, "Input 'service-id' applies only to target: render"],
    [{ ...render, repository: 'team/web' }, "Input 'repository' applies only to target: ecs"],
    [{ ...render, 'test-url': 'https://x/' }, "Input 'test-url' applies only to target: ecs"],
    [{ ...ecs, repository: '' }, "Input 'repository' is required"],
    [{ ...ecs, service: '' }, "Input 'service' is required"],
    [{ ...ecs, url: '', checks: '' }, "Set 'url' (the service's public URL"],
    [{ ...ecs, 'smoke-timeout': 'soon' }, "Input 'smoke-timeout' must be a positive duration"],
    [{ ...ecs, 'build-target': 'no good' }, "Input 'build-target' must be a stage name"],
    [{ ...ecs, 'bake-time': '90s' }, "Input 'bake-time' must be whole minutes"],
    [{ ...ecs, 'test-checks': '- url: /' }, "Input 'test-checks' needs 'test-url'"],
    [{ ...ecs, timeout: '0' }, "Input 'timeout' must be a positive duration"],
    [{ ...ecs, scan: 'yes' }, "Input 'scan' must be true or false"],
    [{ ...ecs, context: 'missing-dir' }, "Input 'context' must be a directory"],
    [{ ...ecs, 'task-definition': 'td.json' }, "Input 'task-definition': cannot read 'td.json'"],
    [{ ...render, image: 'ghcr.io/acme/web', 'commit-id': 'abcdef1' }, "Inputs 'image' and 'commit-id'"],
    [{ ...render, 'build-args': 'A=1' }, "Input 'build-args' needs 'image' with target: render"],
    [
      { ...render, 'api-key': '', 'deploy-hook-url': 'https://api.render.com/deploy/srv-abc123?key=k' },
      "Set 'url'",
    ],
    [{ ...render, 'api-url': 'http://render.example.com/v1' }, "Input 'api-url' must be an https URL"],
    [{ ...render, checks: 'not: [a list' }, "Input 'checks'"],
    [
      { ...ecs, 'existing-image': IMAGE, image: 'web' },
      "Inputs 'existing-image' and 'image' cannot be used together",
    ],
    [{ ...ecs, 'existing-image': IMAGE, 'build-target': 'x' }, "Inputs 'existing-image' and 'build-target'"],
    [{ ...ecs, 'existing-image': IMAGE }, "Inputs 'existing-image' and 'repository'"],
    [{ ...render, 'existing-image': IMAGE, scan: 'false' }, "Inputs 'existing-image' and 'scan'"],
    [
      { ...render, 'existing-image': IMAGE, 'commit-id': 'abcdef1' },
      "Inputs 'existing-image' and 'commit-id'",
    ],
    [
      { ...render, 'existing-image': 'ghcr.io/acme/web:1.2.3' },
      "Input 'existing-image' must be an image URI with its digest",
    ],
    [
      { ...render, 'notify-on': 'sometimes' },
      "Input 'notify-on' must be one of always, failure (got 'sometimes')",
    ],
    [{ ...render, 'notify-webhook': 'not a url' }, "Input 'notify-webhook' must be an incoming-webhook URL"],
  ])('refuses %j before anything runs: %s', async (values, message) => {
    const attempt = parse(values)
    await expect(attempt).rejects.toThrow(ConfigurationError)
    await expect(attempt).rejects.toThrow(message)
  })

  it('plans a promotion: existing-image is deployed as it is, nothing built or pushed', async () => {
    const { repository: _, ...withoutRepository } = ecs
    const plan = await parse({ ...withoutRepository, 'existing-image': IMAGE, 'notify-on': 'failure' })
    if (plan.target !== 'ecs') throw new Error('expected ecs')
    expect([plan.existingImage, plan.build, plan.push]).toEqual([IMAGE, undefined, undefined])
    expect(plan.deploy).toMatchObject({ services: ['web'], imageFromPipeline: true })
    expect(plan.notify).toEqual({ on: 'failure' })
    const promoted = await parse({ ...render, 'existing-image': IMAGE })
    expect([promoted.existingImage, promoted.build]).toEqual([IMAGE, undefined])
  })

  it('never echoes a webhook URL it refuses', async () => {
    const attempt = parse({ ...render, 'notify-webhook': 'ftp://hooks.example.com/T0/secret-path' })
    await expect(attempt).rejects.toThrow("Input 'notify-webhook' must be an https URL (got a ftp: URL")
    await expect(attempt).rejects.not.toThrow(/secret-path/)
  })

  it('needs a region for the ECS target before anything is built', async () => {
    await expect(parse(ecs, { GITHUB_WORKSPACE: env.GITHUB_WORKSPACE })).rejects.toThrow(/region/i)
  })
})
