import { ConfigurationError, errorMessage, OperationError, quote } from '../../../src/lib/errors.js'
import { reportFailure, runGuarded } from '../../../src/lib/runner/failure.js'
import { maskSecret, redact } from '../../../src/lib/runner/secrets.js'
import { cell, details, table } from '../../../src/lib/runner/summary.js'
import { recordingIO } from '../../helpers/io.js'

describe('failure reporting', () => {
  test('a configuration error is one line saying to fix the configuration, no stack', () => {
    const io = recordingIO()
    reportFailure(io, new ConfigurationError("Input 'url' is required"))
    expect(io.failures).toEqual(["Invalid configuration: Input 'url' is required"])
    expect(io.lines).toEqual([])
  })

  test('an operational error is its message; the stack only with runner debug on', () => {
    const quiet = recordingIO()
    reportFailure(quiet, new OperationError('Deployment rolled back'))
    expect(quiet.failures).toEqual(['Deployment rolled back'])
    expect(quiet.lines).toEqual([])

    const verbose = recordingIO({ debug: true })
    reportFailure(verbose, new OperationError('Deployment rolled back'))
    expect(verbose.failures).toEqual(['Deployment rolled back'])
    expect(verbose.lines.some((l) => l.includes('at '))).toBe(true)
  })

  test('non-Error throws still give a readable line', async () => {
    const io = recordingIO()
    await runGuarded(io, async () => {
      throw { code: 42 }
    })
    expect(io.failures).toEqual(['{"code":42}'])
    expect(errorMessage('plain')).toBe('plain')
  })

  test('runGuarded is silent on success', async () => {
    const io = recordingIO()
    await runGuarded(io, async () => undefined)
    expect(io.failures).toEqual([])
  })

  test('quote shortens long values', () => {
    expect(quote('x'.repeat(100))).toBe(`'${'x'.repeat(80)}…'`)
  })
})

describe('secrets', () => {
  test('maskSecret masks the value and its base64 form', () => {
    const io = recordingIO()
    maskSecret(io, 'hunter2')
    maskSecret(io, '')
    expect(io.secrets).toEqual(['hunter2', Buffer.from('hunter2').toString('base64')])
  })

  test('redact replaces secrets in free text', () => {
    expect(redact('token abcdef in body abcdef', ['abcdef'])).toBe('token *** in body ***')
  })
})

describe('summary', () => {
  test('tables escape pipes and newlines', () => {
    expect(table(['a', 'b'], [['x|y', 'l1\nl2']])).toBe('| a | b |\n| --- | --- |\n| x\\|y | l1<br>l2 |\n')
    expect(cell(undefined)).toBe('')
    expect(details('More', 'body')).toContain('<summary>More</summary>')
  })
})
