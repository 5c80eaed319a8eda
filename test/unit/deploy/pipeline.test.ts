import { describe, expect, it } from '@jest/globals'
import { fakeClock } from '../../helpers/clock.js'
import { recordingIO } from '../../helpers/io.js'
import { ConfigurationError, OperationError } from '../../../src/lib/errors.js'
import { Pipeline } from '../../../src/deploy/pipeline.js'
import { deploySummary } from '../../../src/deploy/summary.js'

describe('Pipeline', () => {
  it('runs each phase in its own group, keeps its summary apart, and flattens its groups', async () => {
    const io = recordingIO()
    const clock = fakeClock()
    const pipeline = new Pipeline(io, clock.now, ['build', 'push'])
    const value = await pipeline.run('build', async (phase) => {
      await phase.group('Lint', async () => phase.info('lint ok'))
      phase.saveState('registry', 'r.example')
      clock.advance(1500)
      return { value: 42, summary: '### Image web' }
    })
    expect(value).toBe(42)
    expect(io.groups).toEqual(['1/2 build'])
    expect(io.lines).toEqual(['▸ Lint', 'lint ok'])
    expect(io.outputs).toEqual({})
    expect(io.state).toEqual({ registry: 'r.example' })
    expect(pipeline.records[0]).toMatchObject({
      name: 'build',
      status: 'passed',
      durationMs: 1500,
      summary: '### Image web\n',
    })
    expect(pipeline.records[1]).toMatchObject({ name: 'push', status: 'not run' })
  })

  it('names the failing phase in the error and keeps the error kind', async () => {
    const pipeline = new Pipeline(recordingIO(), fakeClock().now, ['build', 'push', 'smoke'])
    await pipeline.run('build', async () => ({ value: undefined }))
    await expect(
      pipeline.run('push', async () => {
        throw new OperationError("'docker push' failed with exit code 1")
      }),
    ).rejects.toThrow(new OperationError("Phase push failed: 'docker push' failed with exit code 1"))
    await expect(
      new Pipeline(recordingIO(), fakeClock().now, ['build']).run('build', async () => {
        throw new ConfigurationError("Input 'target' names stage 'x'")
      }),
    ).rejects.toBeInstanceOf(ConfigurationError)
    expect(pipeline.records.map((r) => r.status)).toEqual(['passed', 'failed', 'not run'])
    expect(pipeline.records[1]?.note).toBe("'docker push' failed with exit code 1")
  })

  it('fails the phase a result says failed, keeping its summary', async () => {
    const pipeline = new Pipeline(recordingIO(), fakeClock().now, ['deploy', 'smoke'])
    await expect(
      pipeline.run('deploy', async () => ({
        value: 1,
        summary: '### Rolled back\n',
        failure: 'rolled back',
      })),
    ).rejects.toThrow(new OperationError('Phase deploy failed: rolled back'))
    expect(pipeline.records[0]).toMatchObject({
      status: 'failed',
      note: 'rolled back',
      summary: '### Rolled back\n',
    })
  })

  it('refuses a phase that writes outputs or the summary itself: those come back in its result', async () => {
    const pipeline = new Pipeline(recordingIO(), fakeClock().now, ['build'])
    await expect(
      pipeline.run('build', async (phase) => {
        phase.setOutput('tags', 'web:1')
        return { value: 1 }
      }),
    ).rejects.toThrow(/a phase returns its outputs in its result/)
  })

  it('records a skipped phase with its reason', () => {
    const io = recordingIO()
    const pipeline = new Pipeline(io, fakeClock().now, ['build', 'deploy'])
    pipeline.skip('build', 'nothing to build')
    expect(pipeline.records[0]).toMatchObject({ status: 'skipped', note: 'nothing to build' })
    expect(io.lines).toEqual(['Skipping 1/2 build: nothing to build'])
  })
})

describe('deploySummary', () => {
  it('tabulates the phases, names the one that failed, and places each phase summary under its heading', () => {
    const markdown = deploySummary(
      'Deploy to Render',
      [
        { name: 'build-and-scan-image', status: 'skipped', summary: '', note: 'no image' },
        {
          name: 'render-deploy',
          status: 'failed',
          durationMs: 2000,
          summary: '### Render deploy failed\n',
          note: 'ended build_failed',
        },
        { name: 'smoke-test', status: 'not run', summary: '' },
      ],
      { imageUri: '', deploymentId: 'dep-1', status: 'build_failed', url: '' },
    )
    expect(markdown).toContain('## Deploy to Render: failed in render-deploy')
    expect(markdown).toContain('| 2. render-deploy | ❌ failed | 2.0s | ended build_failed |')
    expect(markdown).toContain('| 3. smoke-test | — not run |  |  |')
    expect(markdown).toContain('| Deployment | `dep-1` |')
    expect(markdown).not.toContain('| Image |')
    expect(markdown).toContain('## 2. render-deploy\n\n### Render deploy failed')
    expect(markdown).not.toContain('## 1. build-and-scan-image')
  })

  it('with several services, a row per service with its outcome and the revision it runs', () => {
    const record = (service: string, status: string, rolledBack: boolean, runs: string) => ({
      service,
      cluster: 'prod',
      strategy: 'ROLLING',
      taskDefinitionArn: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${service}:8`,
      previousTaskDefinitionArn: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${service}:7`,
      deploymentArn: null,
      status,
      rolledBack,
      serviceTaskDefinitionArn: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${runs}`,
    })
    const facts = {
      imageUri: 'repo@sha256:abc',
      deploymentId: 'arn:first',
      status: 'ROLLBACK_SUCCESSFUL',
      url: '',
      deployments: [
        record('web', 'ROLLBACK_SUCCESSFUL', true, 'web:7'),
        record('worker', 'SUCCESSFUL', false, 'worker:8'),
      ],
    }
    const markdown = deploySummary('Deploy to ECS', [], facts)
    expect(markdown).toContain('| Service web | `ROLLBACK_SUCCESSFUL (rolled back), runs web:7` |')
    expect(markdown).toContain('| Service worker | `SUCCESSFUL, runs worker:8` |')
    expect(markdown).not.toContain('| Deployment |')
    const one = deploySummary('Deploy to ECS', [], { ...facts, deployments: facts.deployments.slice(0, 1) })
    expect(one).toContain('| Deployment | `arn:first` |')
    expect(one).toContain('| Status | `ROLLBACK_SUCCESSFUL` |')
  })
})
