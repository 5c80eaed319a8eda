import { execChecked, tail, type Exec } from '../../../src/lib/process/exec.js'

describe('exec helpers', () => {
  test('tail keeps the last non-empty lines', () => {
    expect(tail('a\n\nb\nc\n', 2)).toBe('b\nc')
  })

  test('execChecked names the command and the last stderr line', async () => {
    const fake: Exec = async () => ({
      exitCode: 2,
      stdout: '',
      stderr: 'step 1\nerror: no such image\n',
      stderrTail: '',
    })
    await expect(execChecked(fake, 'docker', ['push', 'x'])).rejects.toThrow(
      "'docker push' failed with exit code 2: error: no such image",
    )
  })

  test('execChecked returns the result on success', async () => {
    const fake: Exec = async () => ({ exitCode: 0, stdout: 'ok', stderr: '', stderrTail: '' })
    await expect(execChecked(fake, 'true', [])).resolves.toMatchObject({ stdout: 'ok' })
  })
})
