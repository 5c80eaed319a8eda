import { describe, expect, it } from '@jest/globals'
import {
  deployMatches,
  describeSource,
  findTriggeredDeploy,
  rollbackTarget,
  supersedingDeploy,
} from '../../../src/render-deploy/deploy-lookup.js'
import { hookRequestUrl, parseDeployHook } from '../../../src/render-deploy/hook.js'
import type { RenderDeploy } from '../../../src/render-deploy/render-api.js'
import { classifyStatus, isTerminalStatus } from '../../../src/render-deploy/statuses.js'

const T0 = Date.parse('2026-01-01T12:00:00Z')
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString()
const deploy = (
  id: string,
  status: string,
  seconds: number,
  extra: Partial<RenderDeploy> = {},
): RenderDeploy => ({
  id,
  status,
  createdAt: at(seconds),
  commit: { id: `${id}0000000000`, message: `msg ${id}` },
  ...extra,
})

describe('classifyStatus', () => {
  it.each([
    ['created', 'in-progress'],
    ['queued', 'in-progress'],
    ['build_in_progress', 'in-progress'],
    ['pre_deploy_in_progress', 'in-progress'],
    ['update_in_progress', 'in-progress'],
    ['live', 'live'],
    ['deactivated', 'deactivated'],
    ['build_failed', 'failed'],
    ['update_failed', 'failed'],
    ['pre_deploy_failed', 'failed'],
    ['canceled', 'failed'],
    ['some_new_step_failed', 'failed'],
    ['some_new_state', 'in-progress'],
  ])('%s is %s', (status, outcome) => {
    expect(classifyStatus(status)).toBe(outcome)
    expect(isTerminalStatus(status)).toBe(outcome !== 'in-progress')
  })
})

describe('findTriggeredDeploy (after a 202)', () => {
  const list = [
    deploy('d4', 'queued', 30, { commit: { id: 'ffff000' } }),
    deploy('d3', 'queued', 20, { commit: { id: 'abcdef123456' } }),
    deploy('d2', 'live', -100),
  ]
  it('takes the newest deploy created after the trigger', () => {
    expect(findTriggeredDeploy(list, { createdAfter: T0 })?.id).toBe('d4')
  })
  it('takes the one building the asked commit (short or long SHA)', () => {
    expect(findTriggeredDeploy(list, { createdAfter: T0, commitId: 'abcdef1' })?.id).toBe('d3')
    expect(findTriggeredDeploy(list, { createdAfter: T0, commitId: 'abcdef123456789' })?.id).toBe('d3')
  })
  it('ignores deploys created before the trigger', () => {
    expect(findTriggeredDeploy(list, { createdAfter: T0 + 60_000 })).toBeUndefined()
  })
  it('matches an image whose registry prefix Render filled in', () => {
    const images = [
      deploy('i2', 'queued', 10, { commit: null, image: { ref: 'docker.io/library/nginx:1.27' } }),
      deploy('i1', 'queued', 5, { commit: null, image: { ref: 'docker.io/library/nginx:1.26' } }),
    ]
    expect(findTriggeredDeploy(images, { createdAfter: T0, imageUrl: 'nginx:1.26' })?.id).toBe('i1')
  })
})

describe('deployMatches', () => {
  it('rejects a deploy without a commit when a commit was asked for (image-backed: commit null)', () => {
    expect(deployMatches(deploy('x', 'queued', 1, { commit: null }), { commitId: 'abcdef1' })).toBe(false)
  })
  it('matches anything when nothing specific was asked', () => {
    expect(deployMatches(deploy('x', 'queued', 1, { commit: null }), {})).toBe(true)
  })
})

describe('rollbackTarget', () => {
  const failed = deploy('f', 'build_failed', 100)
  it('is the newest live deploy before the failed one', () => {
    const list = [failed, deploy('old-live', 'live', 50), deploy('older', 'deactivated', 10)]
    expect(rollbackTarget(list, failed)?.id).toBe('old-live')
  })
  it('falls back to the newest deactivated deploy when none is live', () => {
    const list = [
      failed,
      deploy('b', 'build_failed', 80),
      deploy('d2', 'deactivated', 50),
      deploy('d1', 'deactivated', 10),
    ]
    expect(rollbackTarget(list, failed)?.id).toBe('d2')
  })
  it('never picks a deploy created after the failed one, or a failed one', () => {
    const list = [deploy('newer', 'live', 200), failed, deploy('b', 'build_failed', 80)]
    expect(rollbackTarget(list, failed)).toBeUndefined()
  })
})

describe('supersedingDeploy', () => {
  const mine = deploy('mine', 'deactivated', 100)
  it('is the newest deploy created after it', () => {
    expect(
      supersedingDeploy([deploy('n2', 'live', 300), deploy('n1', 'deactivated', 200), mine], mine)?.id,
    ).toBe('n2')
  })
  it('is undefined when nothing newer exists', () => {
    expect(supersedingDeploy([mine, deploy('old', 'deactivated', 10)], mine)).toBeUndefined()
  })
})

describe('describeSource', () => {
  it.each<[Partial<RenderDeploy>, string]>([
    [{ commit: { id: 'abcdef1234567', message: 'Fix it\n\nlong body' } }, 'commit abcdef1 (Fix it)'],
    [
      { commit: null, image: { ref: 'ghcr.io/a/b:1', sha: 'sha256:0123456789abcdef0123' } },
      'image ghcr.io/a/b:1 (sha256:0123456789ab)',
    ],
    [{ commit: null, image: null }, '—'],
  ])('%j -> %s', (extra, text) => {
    expect(describeSource({ id: 'd', status: 'live', ...extra })).toBe(text)
  })
})

describe('deploy hooks', () => {
  it('adds imgURL (encoded) for an image and keeps the key', () => {
    const hook = parseDeployHook('https://api.render.com/deploy/srv-abc?key=K3y', 'deploy-hook-url')
    const url = hookRequestUrl(hook, 'docker.io/library/nginx@sha256:1')
    expect(url.searchParams.get('key')).toBe('K3y')
    expect(url.search).toBe('?key=K3y&imgURL=docker.io%2Flibrary%2Fnginx%40sha256%3A1')
  })
  it('leaves the hook alone without an image', () => {
    const hook = parseDeployHook('https://api.render.com/deploy/srv-abc?key=K3y', 'deploy-hook-url')
    expect(hookRequestUrl(hook, undefined).href).toBe('https://api.render.com/deploy/srv-abc?key=K3y')
  })
})
