import { OperationError } from '../../../src/lib/errors.js'
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
