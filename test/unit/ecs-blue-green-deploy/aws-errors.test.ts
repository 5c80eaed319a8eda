import {
  ecsCallFailure,
  isTransientAwsError,
  TransientAwsError,
  UnsupportedOperationError,
} from '../../../src/ecs-blue-green-deploy/aws-errors.js'
import { OperationError } from '../../../src/lib/errors.js'

const sdkError = (name: string, message: string, status: number, fault = 'client') =>
  Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } })

test.each([
  [sdkError('ThrottlingException', 'Rate exceeded', 400), true],
  [sdkError('ServerException', 'oops', 500, 'server'), true],
  [sdkError('ServiceUnavailable', 'x', 503), true],
  [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
  [new TransientAwsError('x'), true],
  [sdkError('AccessDeniedException', 'no', 400), false],
  [sdkError('ClientException', 'bad', 400), false],
  [new OperationError('Service not found'), false],
  ['text', false],
])('isTransientAwsError %#', (error, transient) => {
  expect(isTransientAwsError(error)).toBe(transient)
})

test('a transient failure stays retryable and keeps the shared message', () => {
  const failure = ecsCallFailure(
    sdkError('ThrottlingException', 'Rate exceeded', 400),
    'ecs:DescribeServiceDeployments',
  )
  expect(failure).toBeInstanceOf(TransientAwsError)
  expect(failure.message).toMatch(/AWS kept throttling ecs:DescribeServiceDeployments/)
  expect(isTransientAwsError(failure)).toBe(true)
})

test('a permanent failure is not retried', () => {
  const failure = ecsCallFailure(
    sdkError('AccessDeniedException', 'not authorized', 400),
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
  expect(ecsCallFailure(html, 'ecs:DescribeServiceDeployments')).toBeInstanceOf(UnsupportedOperationError)
  const unknown = sdkError('UnknownOperationException', 'no such operation', 400)
  expect(ecsCallFailure(unknown, 'ecs:ListServiceDeployments')).toBeInstanceOf(UnsupportedOperationError)
})
