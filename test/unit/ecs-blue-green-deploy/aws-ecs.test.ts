import {
  AwsCallError,
  describeAwsError,
  isTransientAwsError,
  resolveRegion,
  sdkClientConfig,
} from '../../../src/lib/aws-ecs.js'

test.each<[string | undefined, NodeJS.ProcessEnv, string | RegExp]>([
  ['eu-west-1', { AWS_REGION: 'us-east-1' }, 'eu-west-1'],
  [undefined, { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'us-west-1' }, 'us-east-2'],
  [undefined, { AWS_REGION: ' ', AWS_DEFAULT_REGION: 'us-west-1' }, 'us-west-1'],
  [undefined, {}, /No AWS region: set the 'aws-region' input/],
  ['Ireland', {}, /must look like us-east-1 \(got 'Ireland'\)/],
])('resolveRegion(%s, %j)', (input, env, expected) => {
  if (typeof expected === 'string') expect(resolveRegion(input, env)).toBe(expected)
  else expect(() => resolveRegion(input, env)).toThrow(expected)
})

test('client config retries more than the default', () => {
  expect(sdkClientConfig('us-east-1')).toEqual({ region: 'us-east-1', maxAttempts: 8, retryMode: 'standard' })
})

const sdkError = (name: string, message: string, status: number, fault = 'client') =>
  Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } })

test.each([
  [sdkError('ThrottlingException', 'Rate exceeded', 400), true],
  [sdkError('ServerException', 'oops', 500, 'server'), true],
  [sdkError('ServiceUnavailable', 'x', 503), true],
  [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
  [sdkError('AccessDeniedException', 'no', 400), false],
  [sdkError('ClientException', 'bad', 400), false],
  ['text', false],
  [new AwsCallError('x', 'ThrottlingException', true), true],
])('isTransientAwsError %#', (error, transient) => {
  expect(isTransientAwsError(error)).toBe(transient)
})

test.each([
  [
    sdkError('AccessDeniedException', 'User: x is not authorized to perform: ecs:UpdateService', 400),
    'UpdateService',
    /ECS UpdateService failed: AccessDeniedException: .* \(the role needs permission ecs:UpdateService/,
  ],
  [
    Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    }),
    'DescribeServices',
    /no AWS credentials found: run aws-actions\/configure-aws-credentials/,
  ],
  [sdkError('ExpiredTokenException', 'expired', 400), 'RunTask', /session token expired/],
  [
    sdkError('ClientException', 'Container list cannot be empty.', 400),
    'RegisterTaskDefinition',
    /^ECS RegisterTaskDefinition failed: ClientException: Container list cannot be empty\.$/,
  ],
])('describeAwsError %#', (error, operation, message) => {
  const described = describeAwsError(error, 'ECS', operation)
  expect(described.message).toMatch(message)
  expect(described.transient).toBe(false)
})
