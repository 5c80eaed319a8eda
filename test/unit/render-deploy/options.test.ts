import { describe, expect, it } from '@jest/globals'
import { inputsOf } from '../../helpers/io.js'
import {
  parseRenderDeployOptions,
  renderDeploySecrets,
  type RenderDeployContext,
} from '../../../src/render-deploy/api.js'

const HOOK = 'https://api.render.com/deploy/srv-abc123?key=s3cr3tKey'
const base = { 'service-id': 'srv-abc123', 'api-key': 'rnd_key' }

const parse = (
  get: (name: string) => string,
  env: NodeJS.ProcessEnv = {},
  context: Partial<RenderDeployContext> = {},
) => parseRenderDeployOptions(get, { env, ...context })

describe('parseRenderDeployOptions', () => {
  it('applies the documented defaults', () => {
    expect(parse(inputsOf(base))).toEqual({
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
      cancelOnTimeout: false,
      deployMode: 'build_and_deploy',
      inputNames: { commitId: 'commit-id', timeout: 'timeout', cancelOnTimeout: 'cancel-on-timeout' },
      apiUrl: 'https://api.render.com/v1',
      secrets: ['rnd_key'],
    })
  })

  it('takes the key from RENDER_API_KEY when the input is empty', () => {
    expect(parse(inputsOf({ 'service-id': 'srv-abc123' }), { RENDER_API_KEY: ' rnd_env ' }).apiKey).toBe(
      'rnd_env',
    )
  })

  it('prefers the input over RENDER_API_KEY', () => {
    expect(parse(inputsOf(base), { RENDER_API_KEY: 'rnd_env' }).apiKey).toBe('rnd_key')
  })

  it('takes the service from the hook URL and accepts a loopback http hook (tests)', () => {
    const parsed = parse(inputsOf({ 'deploy-hook-url': 'http://127.0.0.1:8080/deploy/srv-x1?key=k' }))
    expect(parsed.serviceId).toBe('srv-x1')
    expect(parsed.hook?.key).toBe('k')
    expect(parsed.apiKey).toBeUndefined()
  })

  it('strips a trailing slash from api-url and accepts http on localhost', () => {
    expect(parse(inputsOf({ ...base, 'api-url': 'http://localhost:9999/v1/' })).apiUrl).toBe(
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
    expect(() => parse(inputsOf(values as Record<string, string>))).toThrow(message)
  })

  it.each([
    'not a url s3cr3tKey',
    'https://api.render.com/deploy/srv-abc123?k=s3cr3tKey',
    'http://render.example/deploy/srv-a?key=s3cr3tKey',
  ])('never quotes a bad hook URL in its error: %s', (hook) => {
    expect(() => parse(inputsOf({ 'deploy-hook-url': hook }))).toThrow(/deploy-hook-url/)
    try {
      parse(inputsOf({ 'deploy-hook-url': hook }))
    } catch (error) {
      expect(String(error)).not.toContain('s3cr3tKey')
    }
  })
})

describe('composed by another action', () => {
  it('with the image from the pipeline: image-url is not an input and commit-id is refused', () => {
    expect(parse(inputsOf(base), {}, { imageFromPipeline: true }).imageUrl).toBeUndefined()
    expect(() => parse(inputsOf({ ...base, 'image-url': 'x/y:1' }), {}, { imageFromPipeline: true })).toThrow(
      "Input 'image-url' cannot be set here: the image is the one this workflow step builds",
    )
    expect(() =>
      parse(inputsOf({ ...base, 'commit-id': 'abcdef1' }), {}, { imageFromPipeline: true }),
    ).toThrow("Input 'commit-id' cannot be used with an image this workflow step builds")
  })

  it('under a composing action’s names, reads and messages use them', () => {
    const names = { 'service-id': 'render-service', 'poll-interval': 'render-poll' }
    const get = inputsOf({
      'render-service': 'srv-abc123',
      'api-key': 'k',
      'render-poll': '2m',
      timeout: '1m',
    })
    expect(() => parseRenderDeployOptions(get, { env: {} }, names)).toThrow(
      "Input 'render-poll' (2m 00s) must not be longer than 'timeout' (1m 00s)",
    )
    expect(() => parseRenderDeployOptions(inputsOf({ 'api-key': 'k' }), { env: {} }, names)).toThrow(
      "Input 'render-service' is required with 'api-key'",
    )
  })
})

describe('deploy-mode and cancel-on-timeout', () => {
  it('reads deploy_only (any case) and cancel-on-timeout', () => {
    const options = parse(inputsOf({ ...base, 'deploy-mode': 'Deploy_Only', 'cancel-on-timeout': 'true' }))
    expect(options.deployMode).toBe('deploy_only')
    expect(options.cancelOnTimeout).toBe(true)
  })

  it.each([
    [{ 'commit-id': 'abcdef1' }, "Input 'commit-id' cannot be used with 'deploy-mode: deploy_only'"],
    [{ 'image-url': 'ghcr.io/a/b:1' }, "Input 'image-url' cannot be used with 'deploy-mode: deploy_only'"],
    [{ 'clear-cache': 'true' }, "Input 'clear-cache' cannot be used with 'deploy-mode: deploy_only'"],
  ])('refuses deploy_only with a build field %j', (inputs, message) => {
    expect(() => parse(inputsOf({ ...base, 'deploy-mode': 'deploy_only', ...inputs }))).toThrow(message)
  })

  it('refuses an unknown mode, naming the values of the client enum', () => {
    expect(() => parse(inputsOf({ ...base, 'deploy-mode': 'redeploy' }))).toThrow(
      "Input 'deploy-mode' must be one of build_and_deploy, deploy_only (got 'redeploy')",
    )
  })

  it('refuses deploy_only with a hook or an image from the pipeline', () => {
    expect(() => parse(inputsOf({ 'deploy-hook-url': HOOK, 'deploy-mode': 'deploy_only' }))).toThrow(
      'a deploy hook always builds',
    )
    expect(() =>
      parse(inputsOf({ ...base, 'deploy-mode': 'deploy_only' }), {}, { imageFromPipeline: true }),
    ).toThrow("Input 'deploy-mode' cannot be deploy_only here")
  })

  it('refuses cancel-on-timeout without an API key', () => {
    expect(() => parse(inputsOf({ 'deploy-hook-url': HOOK, 'cancel-on-timeout': 'true' }))).toThrow(
      "Input 'cancel-on-timeout' needs an API key",
    )
  })

  it("keeps the user's names of the inputs later messages name", () => {
    const names = { 'commit-id': 'render-commit', 'cancel-on-timeout': 'render-cancel' }
    const options = parseRenderDeployOptions(
      inputsOf({ 'service-id': 'srv-abc123', 'api-key': 'k' }),
      { env: {} },
      names,
    )
    expect(options.inputNames).toEqual({
      commitId: 'render-commit',
      timeout: 'timeout',
      cancelOnTimeout: 'render-cancel',
    })
  })
})

describe('renderDeploySecrets', () => {
  it('the key from the input and the environment, the hook URL as written and parsed, and its key', () => {
    const hook = ' https://api.render.com/deploy/srv-abc123?key=s3cr3tKey '
    expect(
      renderDeploySecrets(inputsOf({ 'api-key': 'rnd_a', 'deploy-hook-url': hook }), {
        RENDER_API_KEY: 'rnd_b',
      }),
    ).toEqual(['rnd_a', 'rnd_b', hook.trim(), 's3cr3tKey'])
    expect(renderDeploySecrets(inputsOf({ 'deploy-hook-url': 'not a url' }), {})).toEqual(['not a url'])
    expect(renderDeploySecrets(inputsOf({}), {})).toEqual([])
  })

  it('are carried in the options, to be cut out of messages', () => {
    expect(parse(inputsOf({ 'deploy-hook-url': HOOK })).secrets).toEqual([HOOK, 's3cr3tKey'])
  })
})
