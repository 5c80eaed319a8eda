import { describe, expect, it } from '@jest/globals'
import { apiUrlFrom, githubClient } from '../../../src/lib/github/client.js'
import {
  commentMarker,
  commentNotPosted,
  markedBody,
  MAX_COMMENT_LENGTH,
} from '../../../src/lib/github/comment.js'
import { COMMENT_KEY_PATTERN, commentKeyNote, parseCommentKey } from '../../../src/lib/github/comment-key.js'
import { runUrl } from '../../../src/lib/github/run-url.js'
import { githubFailure } from '../../../src/lib/github/errors.js'
import { recordingIO } from '../../helpers/io.js'

describe('the GitHub client', () => {
  it('takes the API URL from GITHUB_API_URL (GitHub Enterprise Server), else github.com', () => {
    expect(apiUrlFrom({})).toBe('https://api.github.com')
    expect(apiUrlFrom({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toBe(
      'https://ghe.example.com/api/v3',
    )
  })

  it('masks the token, and its base64 form, before any request', async () => {
    const io = recordingIO()
    const octokit = await githubClient(io, { token: 'ghs_secret123', apiUrl: 'http://127.0.0.1:1' })
    expect(io.secrets).toEqual(['ghs_secret123', Buffer.from('ghs_secret123').toString('base64')])
    expect(octokit.request.endpoint.DEFAULTS.baseUrl).toBe('http://127.0.0.1:1')
  })

  it('keeps the proxy settings of @actions/github, its fetch wrapped with the per-attempt timeout', async () => {
    const { defaults } = await import('@actions/github/lib/utils')
    const octokit = await githubClient(recordingIO(), { token: 't', apiUrl: 'http://127.0.0.1:1' })
    const request = octokit.request.endpoint.DEFAULTS.request
    expect(request?.agent).toBe(defaults.request?.agent)
    expect(typeof request?.fetch).toBe('function')
    expect(request?.fetch).not.toBe(defaults.request?.fetch)
  })
})

describe('GitHub failures', () => {
  it('tells a token that may not write from bad credentials and anything else', () => {
    const error = (status: number, message: string) => Object.assign(new Error(message), { status })
    expect(
      githubFailure(
        error(
          403,
          'Resource not accessible by integration - https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        ),
      ),
    ).toEqual({
      status: 403,
      kind: 'denied',
      message: 'Resource not accessible by integration',
    })
    expect(githubFailure(error(403, 'You have exceeded a secondary rate limit')).kind).toBe('other')
    expect(githubFailure(error(401, 'Bad credentials')).kind).toBe('unauthorized')
    expect(githubFailure(new Error('connect ECONNREFUSED'))).toEqual({
      kind: 'other',
      message: 'connect ECONNREFUSED',
      status: undefined,
    })
  })

  it('says how to post the comment from a workflow_run workflow when the token may not write', () => {
    const text = commentNotPosted(
      { status: 403, kind: 'denied', message: 'Resource not accessible by integration' },
      'reports/pr-comment.md',
    )
    expect(text).toContain('GitHub answered 403 Resource not accessible by integration')
    expect(text).toContain('workflow_run')
    expect(text).toContain('reports/pr-comment.md')
    expect(commentNotPosted({ status: 502, kind: 'other', message: 'Server Error' })).not.toContain(
      'workflow_run',
    )
  })
})

describe('comment bodies', () => {
  it('hides the marker in an HTML comment that a key cannot close early', () => {
    expect(commentMarker('setup-django-test CI/test')).toBe(
      '<!-- devops-actions:setup-django-test CI/test -->',
    )
    expect(commentMarker('a-->b<c>\nd')).toBe('<!-- devops-actions:a_b_c__d -->')
  })

  it('names a comment key after the job, and an empty key keeps the marker comments had before', () => {
    expect(commentMarker('setup-django-test CI/test', '')).toBe(commentMarker('setup-django-test CI/test'))
    expect(commentMarker('setup-django-test CI/test', 'py3.12')).toBe(
      '<!-- devops-actions:setup-django-test CI/test comment-key=py3.12 -->',
    )
    // A key cannot close the HTML comment early even if it reached the marker unchecked.
    expect(commentMarker('k', 'a --> <b>\nc')).toBe('<!-- devops-actions:k comment-key=a _ _b__c -->')
  })

  it('never finds one key’s comment by another key’s marker, nor the unkeyed one by a keyed marker', () => {
    const keys = ['', 'py3.1', 'py3.11', 'py3.11 ', 'web', 'web worker', 'comment-key=py3.1']
    const markers = keys.map((k) => commentMarker('setup-django-test CI/test', k.trim()))
    for (const [i, a] of markers.entries())
      for (const [j, b] of markers.entries())
        if (keys[i]?.trim() !== keys[j]?.trim())
          expect([a, markedBody(b, 'body').includes(a)]).toEqual([a, false])
  })

  it('keeps a body within GitHub’s limit, saying it was cut', () => {
    const marker = commentMarker('k')
    expect(markedBody(marker, 'short')).toBe(`${marker}\nshort`)
    const long = markedBody(marker, 'y'.repeat(MAX_COMMENT_LENGTH))
    expect(long.length).toBe(MAX_COMMENT_LENGTH)
    expect(long.startsWith(marker)).toBe(true)
    expect(long).toMatch(/cut to GitHub’s comment size limit/)
  })
})

describe('deployment log URLs', () => {
  it('point at the run, and at its attempt after a re-run', () => {
    const env = {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_RUN_ID: '42',
      GITHUB_RUN_ATTEMPT: '1',
    }
    expect(runUrl(env)).toBe('https://github.com/o/r/actions/runs/42')
    expect(runUrl({ ...env, GITHUB_RUN_ATTEMPT: '3' })).toBe(
      'https://github.com/o/r/actions/runs/42/attempts/3',
    )
  })
})

describe('the comment-key input', () => {
  it('accepts the names a matrix gives its legs, and empty for the job’s one comment', () => {
    for (const key of [
      'py3.12',
      'web',
      'linux/amd64',
      'Python 3.11 + pg16',
      'os=ubuntu-24.04,py=3.13',
      'a'.repeat(64),
    ])
      expect(parseCommentKey(key, 'comment-key')).toBe(key)
    expect(parseCommentKey(undefined, 'comment-key')).toBe('')
    expect(COMMENT_KEY_PATTERN.test('py3.12')).toBe(true)
  })

  it.each([
    ['--> <img src=x>', "'--> <img src=x>'"],
    ['py`3`', "'py`3`'"],
    ['a\nb', "'a\nb'"],
    ['a'.repeat(65), `'${'a'.repeat(65)}'`],
    ['{"python-version":"3.12"}', `'{"python-version":"3.12"}'`],
  ])('refuses %j naming the input, what it takes and what it got', (key, shown) => {
    expect(() => parseCommentKey(key, 'build-comment-key')).toThrow(
      `Input 'build-comment-key' must be up to 64 letters, digits, spaces and . _ - / : + = , @ ( ) #, naming this comment among the job's others, e.g. py3.12 (got ${shown})`,
    )
  })

  it('shows the key in the heading as code, and nothing without one', () => {
    expect(commentKeyNote('py3.12')).toBe(' (`py3.12`)')
    expect(commentKeyNote('')).toBe('')
  })
})
