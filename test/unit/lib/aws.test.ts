import {
  AWS_MAX_ATTEMPTS,
  awsClientConfig,
  awsErrorName,
  awsFailure,
  isAwsError,
  nonJsonAnswer,
  resolveRegion,
} from '../../../src/lib/aws/client.js'
import { ConfigurationError, OperationError } from '../../../src/lib/errors.js'

/** An error shaped like the SDK's ServiceException. */
function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, ...extra })
}

describe('resolveRegion', () => {
  test.each([
    ['eu-west-1', {}, 'eu-west-1'],
    [' us-gov-west-1 ', { AWS_REGION: 'eu-west-1' }, 'us-gov-west-1'],
    [undefined, { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'us-east-2' }, 'eu-central-1'],
    [undefined, { AWS_DEFAULT_REGION: 'us-east-2' }, 'us-east-2'],
    ['', { AWS_REGION: ' ', AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
  ])('input %p with env %p -> %p', (input, env, expected) => {
    expect(resolveRegion(input, env)).toBe(expected)
  })

  test('no region anywhere is a configuration error naming the input and the variable', () => {
    expect(() => resolveRegion(undefined, {})).toThrow(ConfigurationError)
    expect(() => resolveRegion(undefined, {})).toThrow(/'aws-region'.*AWS_REGION/)
  })

  test.each(['EU-WEST-1', 'eu-west', 'eu_west_1', 'https://eu-west-1'])('input %p is rejected', (input) => {
    expect(() => resolveRegion(input, {})).toThrow(
      `Input 'aws-region' must be an AWS region like us-east-1 (got '${input}')`,
    )
  })
})

describe('awsClientConfig', () => {
  test('uses the standard retry strategy with several attempts', () => {
    expect(awsClientConfig('eu-west-1', {})).toEqual({
      region: 'eu-west-1',
      maxAttempts: AWS_MAX_ATTEMPTS,
      retryMode: 'standard',
    })
    expect(AWS_MAX_ATTEMPTS).toBeGreaterThan(1)
  })

  test.each([
    ['2', 2],
    ['10', 10],
    ['0', AWS_MAX_ATTEMPTS],
    ['many', AWS_MAX_ATTEMPTS],
    ['', AWS_MAX_ATTEMPTS],
  ])('AWS_MAX_ATTEMPTS=%p -> %p attempts', (value, attempts) => {
    expect(awsClientConfig('eu-west-1', { AWS_MAX_ATTEMPTS: value }).maxAttempts).toBe(attempts)
  })
})

describe('awsErrorName / isAwsError', () => {
  test.each([
    [sdkError('RepositoryNotFoundException', 'x'), 'RepositoryNotFoundException'],
    [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED'],
    [new Error('plain'), undefined],
    ['text', undefined],
    [null, undefined],
  ])('%p -> %p', (error, name) => {
    expect(awsErrorName(error)).toBe(name)
  })

  test('matches any of the given names', () => {
    const error = sdkError('ImageNotFoundException', 'gone')
    expect(isAwsError(error, 'RepositoryNotFoundException', 'ImageNotFoundException')).toBe(true)
    expect(isAwsError(error, 'RepositoryNotFoundException')).toBe(false)
  })
})

describe('awsFailure', () => {
  test.each([
    [
      'UnrecognizedClientException',
      /^AWS rejected the credentials calling ecr:DescribeImages \(UnrecognizedClientException: m\)\. Check/,
    ],
    ['InvalidSignatureException', /^AWS rejected the credentials calling ecr:DescribeImages/],
    ['ExpiredToken', /^AWS rejected the credentials.*session token expired/],
    ['ExpiredTokenException', /^AWS rejected the credentials/],
    [
      'AccessDeniedException',
      /^AWS denied ecr:DescribeImages \(AccessDeniedException: m\)\. Grant the role 'ecr:DescribeImages'/,
    ],
    ['ThrottlingException', /^AWS kept throttling ecr:DescribeImages after 6 attempts/],
    ['CredentialsProviderError', /^No AWS credentials found for ecr:DescribeImages/],
    ['ServerException', /^ecr:DescribeImages failed: ServerException: m$/],
  ])('%s', (name, expected) => {
    const error = awsFailure(sdkError(name, 'm', { $metadata: { attempts: 6 } }), 'ecr:DescribeImages')
    expect(error).toBeInstanceOf(OperationError)
    expect(error.message).toMatch(expected)
  })

  test('an unreachable endpoint says so', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
    expect(awsFailure(error, 'ecs:DescribeServices').message).toBe(
      'Cannot reach the AWS endpoint for ecs:DescribeServices: connect ECONNREFUSED 127.0.0.1:1',
    )
  })

  test('errors that already speak to the user pass through unchanged', () => {
    const configuration = new ConfigurationError('bad input')
    const operation = new OperationError('rolled back')
    expect(awsFailure(configuration, 'ecr:X')).toBe(configuration)
    expect(awsFailure(operation, 'ecr:X')).toBe(operation)
  })
})

describe('an answer that is not AWS JSON', () => {
  // What the SDK throws for moto's HTML 500 page: the JSON parser's SyntaxError, with the status.
  const htmlPage = (status: number, attempts?: number) =>
    Object.assign(new SyntaxError(`Unexpected token '<', "<!doctype "... is not valid JSON`), {
      $metadata: { httpStatusCode: status, attempts },
      $response: { headers: { 'content-type': 'text/html; charset=utf-8' } },
    })

  test('is reported with its HTTP status, content type and the attempts made, not as a SyntaxError', () => {
    expect(nonJsonAnswer(htmlPage(500, 6))).toEqual({
      status: 500,
      contentType: 'text/html; charset=utf-8',
      attempts: 6,
    })
    const failure = awsFailure(htmlPage(502, 3), 'ecs:ListServiceDeployments')
    expect(failure).toBeInstanceOf(OperationError)
    expect(failure.message).toBe(
      'ecs:ListServiceDeployments failed: the endpoint answered HTTP 502 (text/html), not an AWS JSON response, after 3 attempts. An emulator may not implement this operation, or a proxy answered instead of AWS.',
    )
  })

  test('other errors are not mistaken for it', () => {
    expect(nonJsonAnswer(sdkError('ThrottlingException', 'Rate exceeded'))).toBeUndefined()
    expect(nonJsonAnswer(new SyntaxError('bad JSON in a file'))).toBeUndefined()
  })
})
