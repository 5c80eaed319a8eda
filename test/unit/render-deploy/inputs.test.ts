import { describe, expect, it } from '@jest/globals'
import { inputsOf } from '../../helpers/io.js'
import { parseInputs } from '../../../src/render-deploy/inputs.js'

const HOOK = 'https://api.render.com/deploy/srv-abc123?key=s3cr3tKey'
const base = { 'service-id': 'srv-abc123', 'api-key': 'rnd_key' }

describe('parseInputs', () => {
  it('applies the documented defaults', () => {
    expect(parseInputs(inputsOf(base))).toEqual({
      serviceId: 'srv-abc123',
      apiKey: 'rnd_key',
      hook: undefined,
      commitId: undefined,
      imageUrl: undefined,
      clearCache: false,
      wait: true,
      timeoutMs: 30 * 60_000,
      pollIntervalMs: 5000,
      rollbackOnFailure: false,
      apiUrl: 'https://api.render.com/v1',
    })
  })

  it('takes the key from RENDER_API_KEY when the input is empty', () => {
    expect(
      parseInputs(inputsOf({ 'service-id': 'srv-abc123' }), { RENDER_API_KEY: ' rnd_env ' }).apiKey,
    ).toBe('rnd_env')
  })

  it('prefers the input over RENDER_API_KEY', () => {
    expect(parseInputs(inputsOf(base), { RENDER_API_KEY: 'rnd_env' }).apiKey).toBe('rnd_key')
  })

  it('takes the service from the hook URL and accepts a loopback http hook (tests)', () => {
    const parsed = parseInputs(inputsOf({ 'deploy-hook-url': 'http://127.0.0.1:8080/deploy/srv-x1?key=k' }))
    expect(parsed.serviceId).toBe('srv-x1')
    expect(parsed.hook?.key).toBe('k')
    expect(parsed.apiKey).toBeUndefined()
  })

  it('strips a trailing slash from api-url and accepts http on localhost', () => {
    expect(parseInputs(inputsOf({ ...base, 'api-url': 'http://localhost:9999/v1/' })).apiUrl).toBe(
      'http://localhost:9999/v1',
    )
  })

  it.each([
    [
      {},
      "Set 'api-key' (or the RENDER_API_KEY environment variable) with 'service-id', or 'deploy-hook-url'",
    ],
    [{ 'api-key': 'k' }, "Input 'service-id' is required with 'api-key'"],
    [{ ...base, 'service-id': 'abc123' }, "Input 'service-id' must be a Render service id like srv-abc123"],
    [{ ...base, 'service-id': 'srv-ABC' }, "Input 'service-id' must be a Render service id"],
    [
      { ...base, 'commit-id': 'abc1234', 'image-url': 'x/y:1' },
      "Inputs 'commit-id' and 'image-url' cannot be used together",
    ],
    [
      { ...base, 'commit-id': 'main' },
      "Input 'commit-id' must be a git commit SHA (7 to 40 hex digits; got 'main')",
    ],
    [{ ...base, 'image-url': 'a b' }, "Input 'image-url' must be an image reference"],
    [
      { ...base, timeout: '5 minutes' },
      "Input 'timeout' must be a positive duration like 500ms, 30s, 10m, 1h",
    ],
    [{ ...base, 'poll-interval': '0' }, "Input 'poll-interval' must be a positive duration"],
    [
      { ...base, 'poll-interval': '2m', timeout: '1m' },
      "Input 'poll-interval' (2m 00s) must not be longer than 'timeout' (1m 00s)",
    ],
    [{ ...base, wait: 'yes' }, "Input 'wait' must be true or false (got 'yes')"],
    [{ ...base, 'clear-cache': '1' }, "Input 'clear-cache' must be true or false"],
    [{ ...base, 'api-url': 'not a url' }, "Input 'api-url' must be an absolute http(s) URL"],
    [
      { ...base, 'api-url': 'http://api.render.com/v1' },
      "Input 'api-url' must be an https URL (plain http is accepted only for localhost",
    ],
    [
      { ...base, 'api-url': 'https://api.render.com/v1?x=1' },
      "Input 'api-url' must be the API base URL without a query",
    ],
    [
      { 'deploy-hook-url': 'http://api.render.com/deploy/srv-a?key=k' },
      "Input 'deploy-hook-url' must be an https URL",
    ],
    [
      { 'deploy-hook-url': 'https://api.render.com/deploy/srv-a' },
      "Input 'deploy-hook-url' must look like https://api.render.com/deploy/srv-…?key=…",
    ],
    [
      { 'deploy-hook-url': 'https://api.render.com/v1/services?key=k' },
      "Input 'deploy-hook-url' must look like",
    ],
    [
      { 'deploy-hook-url': HOOK, 'service-id': 'srv-other' },
      "Input 'service-id' (srv-other) is not the service of 'deploy-hook-url' (srv-abc123)",
    ],
    [
      { 'deploy-hook-url': HOOK, 'commit-id': 'abcdef1' },
      "Input 'commit-id' cannot be used with 'deploy-hook-url'",
    ],
    [
      { 'deploy-hook-url': HOOK, 'clear-cache': 'true' },
      "Input 'clear-cache' cannot be used with 'deploy-hook-url'",
    ],
    [
      { 'deploy-hook-url': HOOK, 'rollback-on-failure': 'true' },
      "Input 'rollback-on-failure' needs an API key",
    ],
  ])('rejects %j', (values, message) => {
    expect(() => parseInputs(inputsOf(values as Record<string, string>))).toThrow(message)
  })

  it.each([
    'not a url s3cr3tKey',
    'https://api.render.com/deploy/srv-abc123?k=s3cr3tKey',
    'http://render.example/deploy/srv-a?key=s3cr3tKey',
  ])('never quotes a bad hook URL in its error: %s', (hook) => {
    expect(() => parseInputs(inputsOf({ 'deploy-hook-url': hook }))).toThrow(/deploy-hook-url/)
    try {
      parseInputs(inputsOf({ 'deploy-hook-url': hook }))
    } catch (error) {
      expect(String(error)).not.toContain('s3cr3tKey')
    }
  })
})
