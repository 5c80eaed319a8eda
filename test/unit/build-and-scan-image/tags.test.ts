import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gitContextFrom, readGitContext } from '../../../src/lib/github/context.js'
import { ociLabels } from '../../../src/build-and-scan-image/labels.js'
import {
  deriveTags,
  imageReferences,
  normalizeImageName,
  semverTags,
  slugTag,
} from '../../../src/build-and-scan-image/tags.js'
import * as payloads from './payloads.js'

const SHA = '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39'

function env(eventName: string, ref: string, sha = SHA) {
  return { eventName, ref, sha, repository: 'acme/shop', serverUrl: 'https://github.com' }
}

describe('deriveTags from real event shapes', () => {
  it.each([
    [
      'push to a feature branch',
      env('push', payloads.pushToBranch.ref),
      payloads.pushToBranch,
      ['feature-add-login_v2', 'sha-4f2a9c1'],
      'feature-add-login_v2',
    ],
    [
      'push to the default branch',
      env('push', 'refs/heads/main'),
      payloads.pushToMain,
      ['main', 'latest', 'sha-4f2a9c1'],
      'main',
    ],
    [
      'push of v1.2.3',
      env('push', 'refs/tags/v1.2.3'),
      payloads.pushOfTag,
      ['1.2.3', '1.2', '1', 'latest', 'sha-4f2a9c1'],
      '1.2.3',
    ],
    [
      'push of a pre-release tag',
      env('push', 'refs/tags/v2.0.0-rc.1'),
      payloads.pushOfPrerelease,
      ['2.0.0-rc.1', 'sha-4f2a9c1'],
      '2.0.0-rc.1',
    ],
    [
      'pull request (head commit, not the merge commit)',
      env('pull_request', 'refs/pull/42/merge', 'f'.repeat(40)),
      payloads.pullRequest,
      ['pr-42', 'sha-ab12cd3'],
      'pr-42',
    ],
    [
      'workflow_dispatch on the default branch',
      env('workflow_dispatch', 'refs/heads/main'),
      payloads.workflowDispatch,
      ['main', 'latest', 'sha-4f2a9c1'],
      'main',
    ],
    [
      'default branch read from the payload (trunk)',
      env('push', 'refs/heads/trunk'),
      payloads.pushToTrunk,
      ['trunk', 'latest', 'sha-4f2a9c1'],
      'trunk',
    ],
    [
      'main is not latest when the default branch is trunk',
      env('push', 'refs/heads/main'),
      payloads.pushToTrunk,
      ['main', 'sha-4f2a9c1'],
      'main',
    ],
    [
      'a non-semver tag becomes its slug',
      env('push', 'refs/tags/Release/2024'),
      payloads.pushOfTag,
      ['release-2024', 'sha-4f2a9c1'],
      'release-2024',
    ],
    ['no payload: no latest', env('push', 'refs/heads/main'), {}, ['main', 'sha-4f2a9c1'], 'main'],
  ])('%s', (_name, environment, payload, tags, version) => {
    const derived = deriveTags(gitContextFrom({ ...environment, payload }))
    expect(derived.tags).toEqual(tags)
    expect(derived.version).toBe(version)
  })

  it('never tags a pull request from a fork payload without a number', () => {
    const context = gitContextFrom({
      ...env('pull_request', 'refs/pull/7/merge'),
      payload: { pull_request: {} },
    })
    expect(context.pullRequest).toBeUndefined()
  })
})

describe('readGitContext', () => {
  // @actions/github's Context reads the variables and the payload file; the action's env port
  // stands in for process.env while it does, and process.env is left as it was.
  it('reads the event payload file and the variables the env port gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'event-'))
    try {
      const payload = join(dir, 'event.json')
      writeFileSync(payload, JSON.stringify(payloads.pullRequest))
      const before = { ...process.env }
      const context = await readGitContext({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: payload,
        GITHUB_REF: 'refs/pull/7/merge',
        GITHUB_SHA: SHA,
        GITHUB_REPOSITORY: 'acme/shop',
      })
      expect(context).toEqual({
        eventName: 'pull_request',
        ref: 'refs/pull/7/merge',
        sha: SHA,
        repository: 'acme/shop',
        serverUrl: 'https://github.com',
        defaultBranch: 'main',
        pullRequest: payloads.pullRequest.pull_request.number,
        headSha: payloads.pullRequest.pull_request.head.sha,
      })
      expect(process.env).toEqual(before)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('slugTag', () => {
  it.each([
    ['feature/Add-Login', 'feature-add-login'],
    ['fix/ümlaut  and spaces', 'fix-mlaut-and-spaces'],
    ['release_1.2', 'release_1.2'],
    ['--weird', 'weird'],
    ['a'.repeat(200), 'a'.repeat(128)],
    ['dependabot/npm_and_yarn/@types/node-20', 'dependabot-npm_and_yarn-types-node-20'],
  ])('%s -> %s', (input, slug) => expect(slugTag(input)).toBe(slug))
})

describe('semverTags', () => {
  it.each([
    ['v1.2.3', { version: '1.2.3', tags: ['1.2.3', '1.2', '1'], prerelease: false }],
    ['1.2.3', { version: '1.2.3', tags: ['1.2.3', '1.2', '1'], prerelease: false }],
    ['v0.10.0', { version: '0.10.0', tags: ['0.10.0', '0.10', '0'], prerelease: false }],
    ['v1.2.3-beta.2', { version: '1.2.3-beta.2', tags: ['1.2.3-beta.2'], prerelease: true }],
    ['v1.2.3+build.5', { version: '1.2.3', tags: ['1.2.3', '1.2', '1'], prerelease: false }],
    ['v1.2', undefined],
    ['v01.2.3', undefined],
  ])('%s', (tag, expected) => expect(semverTags(tag)).toEqual(expected))
})

describe('normalizeImageName', () => {
  it.each([
    ['My-App', 'my-app'],
    ['registry.example.com/Team/app', 'registry.example.com/team/app'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000/app'],
    ['localhost/app', 'localhost/app'],
  ])('%s -> %s', (input, name) => expect(normalizeImageName(input, "Input 'image'", 'tags')).toBe(name))

  it.each([['app:1.0'], ['app@sha256:abc'], ['bad name'], ['-app'], ['app//x']])('rejects %s', (input) => {
    expect(() => normalizeImageName(input, "Input 'image'", 'tags')).toThrow(/Input 'image'/)
  })
})

describe('imageReferences', () => {
  it('prefixes derived tags with the image', () => {
    expect(imageReferences('app', [], ['main', 'sha-1234567'], 'tags')).toEqual([
      'app:main',
      'app:sha-1234567',
    ])
  })
  it('lets explicit tags replace the derived ones, plain or full references', () => {
    expect(imageReferences('app', ['stable', 'Registry.example.com/app:1.0'], ['main'], 'tags')).toEqual([
      'app:stable',
      'registry.example.com/app:1.0',
    ])
  })
  it.each([['bad tag'], ['.hidden'], ['registry.example.com/app'], ['app:bad tag']])('rejects %s', (tag) => {
    expect(() => imageReferences('app', [tag], [], 'tags')).toThrow(/Input 'tags'/)
  })
})

describe('ociLabels', () => {
  const context = gitContextFrom({ ...env('push', 'refs/tags/v1.2.3'), payload: payloads.pushOfTag })
  const created = new Date('2026-01-02T03:04:05Z')

  it('adds the OCI labels from the context', () => {
    expect(ociLabels(context, '1.2.3', created, {})).toEqual({
      'org.opencontainers.image.source': 'https://github.com/acme/shop',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.title': 'shop',
      'org.opencontainers.image.url': 'https://github.com/acme/shop',
    })
  })

  it("lets the user's labels win", () => {
    const labels = ociLabels(context, '1.2.3', created, {
      'org.opencontainers.image.title': 'Shop',
      team: 'web',
    })
    expect(labels['org.opencontainers.image.title']).toBe('Shop')
    expect(labels.team).toBe('web')
  })
})
