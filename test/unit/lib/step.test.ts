import { OperationError } from '../../../src/lib/errors.js'
import { runGuarded } from '../../../src/lib/runner/failure.js'
import { reportStep } from '../../../src/lib/runner/step.js'
import { recordingIO } from '../../helpers/io.js'

test('writes outputs and summary, then raises the failure', async () => {
  const io = recordingIO()
  const done = reportStep(io, {
    outputs: { status: 'ROLLED_BACK', 'rolled-back': 'true' },
    summary: '### Deploy',
    failure: 'rolled back',
  })
  await expect(done).rejects.toThrow(new OperationError('rolled back'))
  expect(io.outputs).toEqual({ status: 'ROLLED_BACK', 'rolled-back': 'true' })
  expect(io.summary).toContain('### Deploy')
})

test('a run that succeeded only reports', async () => {
  const io = recordingIO()
  await reportStep(io, { outputs: { passed: '3' } })
  expect(io.outputs).toEqual({ passed: '3' })
  expect(io.summary).toBe('')
})

test('annotations of a failed run follow its failure line: the verdict first', async () => {
  const io = recordingIO()
  const order: string[] = []
  const { error, setFailed } = io
  io.error = (message, props) => (order.push(`error: ${message}`), error(message, props))
  io.setFailed = (message) => (order.push(`failed: ${message}`), setFailed(message))
  await runGuarded(io, () =>
    reportStep(io, {
      outputs: {},
      failure: '2 of 5 tests failed',
      annotations: [
        { message: 'AssertionError: a', props: { file: 'app/tests.py', startLine: 3 } },
        { message: 'AssertionError: b' },
      ],
    }),
  )
  expect(order).toEqual([
    'failed: 2 of 5 tests failed',
    'error: AssertionError: a',
    'error: AssertionError: b',
  ])
  expect(io.annotations[0]?.props).toEqual({ file: 'app/tests.py', startLine: 3 })
})

test('annotations of a run that succeeded are written as they are', async () => {
  const io = recordingIO()
  await reportStep(io, { outputs: {}, annotations: [{ message: 'look here' }] })
  expect(io.failures).toEqual([])
  expect(io.annotations).toEqual([{ level: 'error', message: 'look here', props: undefined }])
})
