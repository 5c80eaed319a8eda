import * as core from '@actions/core'
import { ConfigurationError } from '../../../src/lib/errors.js'
import { envInput, exclusive, InputReader } from '../../../src/lib/runner/inputs.js'
import { parseDuration, formatDuration } from '../../../src/lib/duration.js'
import { parseList, parseLines } from '../../../src/lib/list.js'
import { inputsOf } from '../../helpers/io.js'

const reader = (values: Record<string, string>) => new InputReader(inputsOf(values))

describe('parseDuration', () => {
  test.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['45', 45_000],
    ['1.5s', 1500],
    [' 2m ', 120_000],
    ['0', 0],
  ])('%s -> %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms))

  test.each(['five', '10 minutes', '-1s', '1d', '', 's', '1e3'])('%s is rejected', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  )

  test.each([
    [850, '850ms'],
    [12_340, '12.3s'],
    [245_000, '4m 05s'],
    [3_720_000, '1h 02m'],
  ])('formatDuration(%d) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text))
})

describe('lists', () => {
  test('newlines and commas, blanks dropped', () => {
    expect(parseList('a, b\n\nc,,\n d ')).toEqual(['a', 'b', 'c', 'd'])
  })
  test('lines keep commas and skip comments', () => {
    expect(parseLines('Accept: a, b\n# note\n\nX: 1')).toEqual(['Accept: a, b', 'X: 1'])
  })
})

describe('InputReader', () => {
  test('required names the input', () => {
    expect(() => reader({}).required('service')).toThrow(
      new ConfigurationError("Input 'service' is required"),
    )
  })

  test('optional trims and treats blank as unset', () => {
    expect(reader({ a: '  x ', b: '   ' }).optional('a')).toBe('x')
    expect(reader({ b: '   ' }).optional('b')).toBeUndefined()
  })

  test('booleans accept only true/false', () => {
    expect(reader({ x: 'true' }).boolean('x', false)).toBe(true)
    expect(reader({}).boolean('x', true)).toBe(true)
    expect(() => reader({ x: 'yes' }).boolean('x', false)).toThrow(
      "Input 'x' must be true or false (got 'yes'); accepted: true, True, TRUE, false, False, FALSE",
    )
  })

  // The reference is @actions/core's own getBooleanInput, run on the same INPUT_ variable.
  test.each(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', ' true ', 'yes', 'tRUE', '1', 'on', 'no'])(
    'boolean %j is read as @actions/core getBooleanInput reads it',
    (value) => {
      process.env.INPUT_FLAG = value
      try {
        let expected: boolean | 'error'
        try {
          expected = core.getBooleanInput('flag')
        } catch {
          expected = 'error'
        }
        let actual: boolean | 'error'
        try {
          actual = reader({ flag: value }).boolean('flag', false)
        } catch (error) {
          expect(String(error)).toContain("Input 'flag' must be true or false")
          actual = 'error'
        }
        expect(actual).toBe(expected)
      } finally {
        delete process.env.INPUT_FLAG
      }
    },
  )

  test('durations must be positive and name the input and value', () => {
    expect(reader({ t: '5m' }).duration('t', '1s')).toBe(300_000)
    expect(reader({}).duration('t', '30s')).toBe(30_000)
    expect(() => reader({ 'bake-time': 'five' }).duration('bake-time', '5m')).toThrow(
      "Input 'bake-time' must be a positive duration like 500ms, 30s, 10m, 1h or a number of seconds (got 'five')",
    )
    expect(() => reader({ t: '0s' }).duration('t', '1s')).toThrow(/positive duration/)
    expect(reader({ t: '0s' }).duration('t', '1s', { allowZero: true })).toBe(0)
  })

  test('positive integers', () => {
    expect(reader({ n: '3' }).positiveInt('n', 5)).toBe(3)
    for (const bad of ['0', '-1', '2.5', 'many', '1e3']) {
      expect(() => reader({ n: bad }).positiveInt('n', 5)).toThrow(
        `Input 'n' must be a whole number of 1 or more (got '${bad}')`,
      )
    }
  })

  test('numbers within a range', () => {
    expect(reader({ p: '80.5' }).number('p', 0, { min: 0, max: 100 })).toBe(80.5)
    expect(() => reader({ p: '101' }).number('p', 0, { min: 0, max: 100 })).toThrow(
      "Input 'p' must be a number from 0 to 100 (got '101')",
    )
  })

  test('choices are case-insensitive and canonical', () => {
    expect(reader({ s: 'BLUE-GREEN' }).choice('s', ['blue-green', 'rolling'] as const, 'rolling')).toBe(
      'blue-green',
    )
    expect(() => reader({ s: 'fast' }).choice('s', ['blue-green', 'rolling'] as const, 'rolling')).toThrow(
      "Input 's' must be one of blue-green, rolling (got 'fast')",
    )
  })

  test('KEY=VALUE lines keep = in values and reject bad keys', () => {
    expect(reader({ e: 'A=1\nB=x=y\nEMPTY=' }).keyValues('e')).toEqual({ A: '1', B: 'x=y', EMPTY: '' })
    expect(() => reader({ e: '=1' }).keyValues('e')).toThrow("Input 'e' must be KEY=VALUE lines (got '=1')")
    expect(() => reader({ e: 'NOVALUE' }).keyValues('e')).toThrow(/KEY=VALUE/)
  })

  test('URLs must be absolute http(s)', () => {
    expect(reader({ u: 'https://example.com/x' }).url('u')?.href).toBe('https://example.com/x')
    expect(() => reader({ u: 'example.com' }).url('u')).toThrow(
      "Input 'u' must be an absolute http(s) URL (got 'example.com')",
    )
    expect(() => reader({ u: 'ftp://example.com' }).url('u')).toThrow(/http or https/)
  })

  test('exclusive inputs are rejected together', () => {
    expect(() =>
      exclusive(reader({ 'commit-id': 'abc', 'image-url': 'x' }), 'commit-id', 'image-url'),
    ).toThrow("Inputs 'commit-id' and 'image-url' cannot be used together: set only one")
    expect(() => exclusive(reader({ 'commit-id': 'abc' }), 'commit-id', 'image-url')).not.toThrow()
  })

  test('envInput reads INPUT_ with hyphens kept', () => {
    const get = envInput({ 'INPUT_BAKE-TIME': '5m', INPUT_URL: 'http://x' })
    expect(get('bake-time')).toBe('5m')
    expect(get('url')).toBe('http://x')
    expect(get('missing')).toBe('')
  })
})

describe('InputReader with names of a composing action', () => {
  // deploy reads build-and-scan-image's `target` as its own `build-target`.
  const reader = new InputReader((name) => ({ 'build-target': 'prod', 'build-push': 'maybe' })[name] ?? '', {
    target: 'build-target',
    push: 'build-push',
  })
  test('reads the input under the name the user wrote', () => {
    expect(reader.optional('target')).toBe('prod')
    expect(reader.name('target')).toBe('build-target')
    expect(reader.name('context')).toBe('context')
  })
  test('names it so in errors', () => {
    expect(() => reader.boolean('push', false)).toThrow(
      /^Input 'build-push' must be true or false \(got 'maybe'\)/,
    )
    expect(() => exclusive(reader, 'target', 'push')).toThrow(
      "Inputs 'build-target' and 'build-push' cannot be used together: set only one",
    )
  })
})
