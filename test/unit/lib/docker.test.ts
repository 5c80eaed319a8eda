import * as docker from '../../../src/lib/docker/cli.js'
import * as image from '../../../src/lib/docker/image.js'
import type { Exec, ExecOptions } from '../../../src/lib/process/exec.js'

const DIGEST = `sha256:${'a'.repeat(64)}`
const OTHER = `sha256:${'b'.repeat(64)}`

describe('argv builders', () => {
  test.each([
    [
      docker.loginArgs('1.dkr.ecr.eu-west-1.amazonaws.com', 'AWS'),
      ['login', '--username', 'AWS', '--password-stdin', '1.dkr.ecr.eu-west-1.amazonaws.com'],
    ],
    [docker.logoutArgs('127.0.0.1:5000'), ['logout', '127.0.0.1:5000']],
    [docker.tagArgs('web:1', 'r/web:v1'), ['image', 'tag', 'web:1', 'r/web:v1']],
    [docker.pushArgs('r/web:v1'), ['image', 'push', 'r/web:v1']],
    [image.inspectArgs('web:1'), ['image', 'inspect', '--format', '{{json .}}', 'web:1']],
    // Inputs stay single arguments: nothing is split or interpreted by a shell.
    [docker.tagArgs('$(touch pwned)', 'a b; rm -rf ~'), ['image', 'tag', '$(touch pwned)', 'a b; rm -rf ~']],
  ])('%p', (actual, expected) => {
    expect(actual).toEqual(expected)
  })
})

describe('parsePushDigest', () => {
  const output = [
    'The push refers to repository [r/web]',
    '5f70bf18a086: Pushed',
    `v1: digest: ${DIGEST} size: 528`,
    `v2: digest: ${OTHER} size: 528`,
  ].join('\n')
  test.each([
    [output, 'v1', DIGEST],
    [output, 'v2', OTHER],
    [output, undefined, OTHER],
    [output, 'v3', undefined],
    ['5f70bf18a086: Pushed\n', undefined, undefined],
    ['v1: digest: sha256:short size: 1', 'v1', undefined],
  ])('%#: tag %p -> %p', (text, tag, expected) => {
    expect(docker.parsePushDigest(text, tag)).toBe(expected)
  })
})

describe('parseInspect', () => {
  test('reads the configured user, which build-and-scan-image checks for root', () => {
    const json = JSON.stringify({ Id: DIGEST, Size: 7, Config: { User: '10001:10001' } })
    expect(image.parseInspect(json)).toMatchObject({ id: DIGEST, size: 7, user: '10001:10001' })
    expect(image.isRootUser(image.parseInspect(json).user)).toBe(false)
    expect(image.isRootUser(image.parseInspect(JSON.stringify({ Id: DIGEST, Config: {} })).user)).toBe(true)
  })

  test('reads the id, tags and repo digests', () => {
    const json = JSON.stringify({
      Id: DIGEST,
      RepoTags: ['web:1'],
      RepoDigests: [`r/web@${OTHER}`],
      Size: 42,
    })
    expect(image.parseInspect(json)).toEqual({
      id: DIGEST,
      repoTags: ['web:1'],
      repoDigests: [`r/web@${OTHER}`],
      size: 42,
    })
  })
  test('a null RepoDigests is an empty list', () => {
    expect(image.parseInspect(JSON.stringify({ Id: DIGEST, RepoTags: null })).repoDigests).toEqual([])
  })
  test.each(['not json', '{}'])('%p is an error', (text) => {
    expect(() => image.parseInspect(text)).toThrow(/Unexpected 'docker image inspect' output/)
  })
})

describe('runners', () => {
  function fakeExec(result: { exitCode: number; stdout?: string; stderr?: string }) {
    const calls: { command: string; args: readonly string[]; options?: ExecOptions }[] = []
    const exec: Exec = async (command, args, options) => {
      calls.push({ command, args, options })
      // Delivered in two chunks split mid-line, as a pipe may.
      const out = result.stdout ?? ''
      options?.onStdout?.(out.slice(0, 5))
      options?.onStdout?.(out.slice(5))
      return { exitCode: result.exitCode, stdout: out, stderr: result.stderr ?? '', stderrTail: '' }
    }
    return { exec, calls }
  }

  test('login sends the password on stdin only', async () => {
    const { exec, calls } = fakeExec({ exitCode: 0 })
    await docker.login(exec, 'reg', 'AWS', 's3cret')
    expect(calls[0]?.options?.input).toBe('s3cret')
    expect(calls[0]?.args.join(' ')).not.toContain('s3cret')
  })

  test('a failed login names the registry and the last stderr line', async () => {
    const { exec } = fakeExec({ exitCode: 1, stderr: 'x\nError response from daemon: unauthorized' })
    await expect(docker.login(exec, 'reg', 'AWS', 'p')).rejects.toThrow(
      "'docker login reg' failed with exit code 1: Error response from daemon: unauthorized",
    )
  })

  test('inspectImage: no such image is undefined, a daemon problem is an error', async () => {
    const missing = fakeExec({ exitCode: 1, stderr: 'Error: No such image: web:1' })
    expect(await image.inspectImage(missing.exec, 'web:1')).toBeUndefined()
    const down = fakeExec({ exitCode: 1, stderr: 'Cannot connect to the Docker daemon' })
    await expect(image.inspectImage(down.exec, 'web:1')).rejects.toThrow(
      "'docker image inspect web:1' failed: Cannot connect to the Docker daemon",
    )
  })

  test('push streams whole lines and returns the digest for its tag', async () => {
    const { exec } = fakeExec({ exitCode: 0, stdout: `abc: Pushed\nv1: digest: ${DIGEST} size: 1\n` })
    const lines: string[] = []
    const result = await docker.push(exec, 'r/web:v1', (line) => lines.push(line))
    expect(result).toMatchObject({ exitCode: 0, digest: DIGEST })
    expect(lines).toEqual(['abc: Pushed', `v1: digest: ${DIGEST} size: 1`])
  })

  test('push logs a last line the output does not end with a newline, and no blank lines', async () => {
    const { exec } = fakeExec({ exitCode: 0, stdout: `abc: Pushed\r\n\n\nv1: digest: ${DIGEST} size: 1` })
    const lines: string[] = []
    expect((await docker.push(exec, 'r/web:v1', (line) => lines.push(line))).digest).toBe(DIGEST)
    expect(lines).toEqual(['abc: Pushed', `v1: digest: ${DIGEST} size: 1`])
  })

  test('pushForDigest: a refused push and a push without a digest are errors naming the reference', async () => {
    const refused = fakeExec({ exitCode: 1, stderr: 'denied: requested access to the resource is denied' })
    await expect(docker.pushForDigest(refused.exec, 'r/web:v1', () => undefined)).rejects.toThrow(
      "'docker image push r/web:v1' failed with exit code 1: denied: requested access to the resource is denied",
    )
    const silent = fakeExec({ exitCode: 0, stdout: 'abc: Pushed\n' })
    await expect(docker.pushForDigest(silent.exec, 'r/web:v1', () => undefined)).rejects.toThrow(
      "'docker image push r/web:v1' did not report a digest",
    )
  })

  test('a failed push is returned, not thrown', async () => {
    const { exec } = fakeExec({ exitCode: 1, stderr: 'tag invalid: immutable' })
    expect(await docker.push(exec, 'r/web:v1')).toMatchObject({ exitCode: 1, digest: undefined })
  })
})
