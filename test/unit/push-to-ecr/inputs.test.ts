import { ConfigurationError } from '../../../src/lib/errors.js'
import { parsePushToEcrOptions as parseInputs } from '../../../src/push-to-ecr/api.js'
import { keepLastPolicy } from '../../../src/push-to-ecr/lifecycle.js'
import { repositoryNameProblem, tagOfReference } from '../../../src/push-to-ecr/repository-name.js'
import { inputsOf } from '../../helpers/io.js'

const context = (files: Record<string, string> = {}) => ({
  env: { AWS_REGION: 'eu-west-1' },
  readFile: (path: string) => {
    const text = files[path]
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
    return text
  },
})

describe('repositoryNameProblem', () => {
  test.each([
    ['web', undefined],
    ['ab', undefined],
    ['team/web', undefined],
    ['team/web-app_v2.1/api', undefined],
    ['a'.repeat(256), undefined],
    ['a', /2 to 256 characters/],
    ['a'.repeat(257), /2 to 256 characters/],
    ['Team/web', /lower case/],
    ['team web', /only a-z, 0-9.*found ' '/],
    ['team/web!', /found '!'/],
    ['/web', /start or end with a separator/],
    ['web/', /start or end with a separator/],
    ['-web', /start or end with a separator/],
    ['web.', /start or end with a separator/],
    ['team//web', /two separators in a row/],
    ['web--app', /two separators in a row/],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/web', /not an image URI/],
    ['web:latest', /not an image URI/],
  ])('%p -> %p', (name, problem) => {
    const found = repositoryNameProblem(name)
    if (problem === undefined) expect(found).toBeUndefined()
    else expect(found).toMatch(problem)
  })
})

describe('tagOfReference', () => {
  test.each([
    ['web:1.2', '1.2'],
    ['web', 'latest'],
    ['team/web', 'latest'],
    ['localhost:5000/web', 'latest'],
    ['localhost:5000/web:v1', 'v1'],
    [`web@sha256:${'a'.repeat(64)}`, undefined],
    [`sha256:${'a'.repeat(64)}`, undefined],
    ['0123456789ab', undefined],
  ])('%p -> %p', (image, tag) => {
    expect(tagOfReference(image)).toBe(tag)
  })
})

describe('parseInputs', () => {
  const base = { image: 'web:1.2', repository: 'team/web' }

  test('defaults: the image tag, IMMUTABLE, scan on push, create, region from the environment', () => {
    expect(parseInputs(inputsOf(base), context())).toEqual({
      image: 'web:1.2',
      repository: 'team/web',
      tags: ['1.2'],
      region: 'eu-west-1',
      registryId: undefined,
      createRepository: true,
      tagMutability: 'IMMUTABLE',
      scanOnPush: true,
      lifecyclePolicy: undefined,
    })
  })

  test('every input given', () => {
    const inputs = parseInputs(
      inputsOf({
        ...base,
        tags: 'v1\nsha-abc1234, latest,v1',
        'aws-region': 'us-east-2',
        'registry-id': '123456789012',
        'create-repository': 'false',
        'tag-mutability': 'mutable',
        'scan-on-push': 'false',
        'lifecycle-policy': 'keep-last:20',
      }),
      context(),
    )
    expect(inputs).toMatchObject({
      tags: ['v1', 'sha-abc1234', 'latest'],
      region: 'us-east-2',
      registryId: '123456789012',
      createRepository: false,
      tagMutability: 'MUTABLE',
      scanOnPush: false,
      lifecyclePolicy: { source: 'keep-last:20', text: keepLastPolicy(20) },
    })
  })

  test('a lifecycle policy file is read and checked', () => {
    const policy =
      '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}'
    const inputs = parseInputs(
      inputsOf({ ...base, 'lifecycle-policy': 'ecr-policy.json' }),
      context({ 'ecr-policy.json': `\n${policy}\n` }),
    )
    expect(inputs.lifecyclePolicy).toEqual({ source: 'ecr-policy.json', text: policy })
  })

  test.each([
    [{ image: '' }, "Input 'image' is required"],
    [{ repository: '' }, "Input 'repository' is required"],
    [{ repository: 'Team/Web' }, "Input 'repository' must be lower case (got 'Team/Web')"],
    [{ repository: 'web/' }, "Input 'repository' must not start or end with a separator"],
    [{ tags: 'v1,-bad' }, "Input 'tags' must hold docker tags"],
    [{ tags: 'a/b' }, "got 'a/b'"],
    [{ image: `web@sha256:${'a'.repeat(64)}` }, "Input 'tags' is required when 'image' names no tag"],
    [{ 'registry-id': '1234' }, "Input 'registry-id' must be a 12-digit AWS account ID (got '1234')"],
    [{ 'aws-region': 'Europe' }, "Input 'aws-region' must be an AWS region"],
    [{ 'create-repository': 'yes' }, "Input 'create-repository' must be true or false (got 'yes')"],
    [{ 'scan-on-push': '1' }, "Input 'scan-on-push' must be true or false"],
    [
      { 'tag-mutability': 'sometimes' },
      "Input 'tag-mutability' must be one of IMMUTABLE, MUTABLE (got 'sometimes')",
    ],
    [{ 'lifecycle-policy': 'keep-last:0' }, 'keep-last needs a whole number from 1 to 10000'],
    [{ 'lifecycle-policy': 'keep-last:ten' }, "(got 'keep-last:ten')"],
    [{ 'lifecycle-policy': 'missing.json' }, "'missing.json': no such file"],
    [{ 'lifecycle-policy': 'bad.json' }, "'bad.json' is not valid JSON"],
    [{ 'lifecycle-policy': 'empty.json' }, 'must hold a JSON object with a non-empty "rules" array'],
    [{ 'lifecycle-policy': 'list.json' }, 'must hold a JSON object with a non-empty "rules" array'],
  ])('%p -> %s', (override, message) => {
    const files = { 'bad.json': '{rules', 'empty.json': '{"rules": []}', 'list.json': '[1]' }
    const parse = () => parseInputs(inputsOf({ ...base, ...override }), context(files))
    expect(parse).toThrow(ConfigurationError)
    expect(parse).toThrow(message)
  })

  test('no region anywhere is a configuration error', () => {
    expect(() => parseInputs(inputsOf(base), { ...context(), env: {} })).toThrow(/No AWS region/)
  })
})
