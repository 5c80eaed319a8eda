import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry'
import {
  AWS_MAX_ATTEMPTS,
  awsCallFailure,
  awsClientConfig,
  awsErrorName,
  awsFailure,
  isAwsError,
  isTransientAwsError,
  NETWORK_CODES,
  nonJsonAnswer,
  resolveRegion,
  THROTTLING_ERRORS,
  TRANSIENT_ERRORS,
  TransientAwsError,
  UnsupportedOperationError,
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

  test("a composing action's name for the input is the one the messages use", () => {
    expect(() => resolveRegion(undefined, {}, 'ecr-region')).toThrow(/^No AWS region: set input 'ecr-region'/)
    expect(() => resolveRegion('Mars', {}, 'ecr-region')).toThrow(/^Input 'ecr-region' must be an AWS region/)
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

describe('transient errors', () => {
  const status = (name: string, message: string, code: number, fault = 'client') =>
    Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: code } })

  test.each([
    [status('ThrottlingException', 'Rate exceeded', 400), true],
    [status('ServerException', 'oops', 500, 'server'), true],
    [status('ServiceUnavailable', 'x', 503), true],
    [status('TooManyRequests', 'x', 429), true],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    [Object.assign(new Error('getaddrinfo EAI_AGAIN ecs'), { code: 'EAI_AGAIN' }), true],
    [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), true],
    [new TransientAwsError('x'), true],
    [status('AccessDeniedException', 'no', 400), false],
    [status('ClientException', 'bad', 400), false],
    [new OperationError('Service not found'), false],
    ['text', false],
  ])('isTransientAwsError %#', (error, transient) => {
    expect(isTransientAwsError(error)).toBe(transient)
  })

  // The reference: the SDK's own classification (@smithy/core's service-error-classification),
  // which its standard retry strategy goes by. Ours must call transient what it calls transient.
  type SdkError = Parameters<typeof isTransientError>[0]
  const shaped = (fields: { name?: string; code?: string; status?: number }): SdkError =>
    Object.assign(new Error('m'), {
      name: fields.name ?? 'Error',
      ...(fields.code ? { code: fields.code } : {}),
      $metadata: fields.status === undefined ? {} : { httpStatusCode: fields.status },
    }) as SdkError

  test.each(THROTTLING_ERRORS)('the SDK calls %s throttling too', (name) => {
    expect(isThrottlingError(shaped({ name }))).toBe(true)
    expect(isTransientAwsError(shaped({ name }))).toBe(true)
  })

  test.each(TRANSIENT_ERRORS)('the SDK calls the error name %s transient too', (name) => {
    expect(isTransientError(shaped({ name }))).toBe(true)
    expect(isTransientAwsError(shaped({ name }))).toBe(true)
  })

  test.each(NETWORK_CODES)('the SDK calls the socket error %s transient too', (code) => {
    expect(isTransientError(shaped({ code }))).toBe(true)
    expect(isTransientAwsError(shaped({ code }))).toBe(true)
  })

  test.each([
    ['AccessDeniedException', 400],
    ['ClientException', 400],
    ['InvalidParameterException', 400],
    ['ServiceNotFoundException', 400],
  ])('the SDK and we agree %s is worth no other try', (name, code) => {
    const error = shaped({ name, status: code })
    expect(isThrottlingError(error) || isTransientError(error) || isServerError(error)).toBe(false)
    expect(isTransientAwsError(error)).toBe(false)
  })

  test('a transient failure stays retryable and keeps the shared message', () => {
    const failure = awsCallFailure(
      status('ThrottlingException', 'Rate exceeded', 400),
      'ecs:DescribeServiceDeployments',
    )
    expect(failure).toBeInstanceOf(TransientAwsError)
    expect(failure.message).toMatch(/AWS kept throttling ecs:DescribeServiceDeployments/)
    expect(isTransientAwsError(failure)).toBe(true)
  })

  test('a permanent failure is not retried', () => {
    const failure = awsCallFailure(
      status('AccessDeniedException', 'not authorized', 400),
      'ecs:UpdateService',
    )
    expect(failure).not.toBeInstanceOf(TransientAwsError)
    expect(failure.message).toMatch(/AWS denied ecs:UpdateService/)
    expect(isTransientAwsError(failure)).toBe(false)
  })

  test('a non-JSON answer is not retried again: the endpoint lacks the operation', () => {
    const html = Object.assign(new SyntaxError('Unexpected token'), {
      $metadata: { httpStatusCode: 500, attempts: 6 },
    })
    expect(isTransientAwsError(html)).toBe(false)
    expect(awsCallFailure(html, 'ecs:DescribeServiceDeployments')).toBeInstanceOf(UnsupportedOperationError)
    const unknown = status('UnknownOperationException', 'no such operation', 400)
    expect(awsCallFailure(unknown, 'ecs:ListServiceDeployments')).toBeInstanceOf(UnsupportedOperationError)
  })
})
