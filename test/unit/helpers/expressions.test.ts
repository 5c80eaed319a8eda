// The model runner's expression evaluation held against actions/runner's rules (src/Sdk/Expressions,
// WorkflowTemplateConverter.ConvertToIfCondition, TemplateReader.ParseScalar), including the ones
// that surprise workflow authors.
import {
  caseSensitiveObject,
  conditionExpression,
  evaluateCondition,
  evaluateString,
  parseExpression,
  templateExpression,
  type EvaluationContext,
  type Value,
} from '../../helpers/runner/expressions.js'

const ctx = (values: Record<string, Value> = {}, status = 'success'): EvaluationContext => ({
  values: {
    github: { ref: 'refs/heads/main', event_name: 'push', event: { pull_request: null } },
    inputs: { 'python-version': '3.12', empty: '' },
    steps: {
      plan: {
        outputs: { 'cache-path': '/c', 'setup-python': 'true' },
        outcome: 'success',
        conclusion: 'success',
      },
      tests: { outputs: {}, outcome: 'failure', conclusion: 'success' },
    },
    env: caseSensitiveObject({ PATH: '/bin', Mixed: 'm' }),
    ...values,
  },
  status: {
    success: () => status === 'success',
    failure: () => status === 'failure',
    cancelled: () => status === 'cancelled',
  },
})
const evaluate = (text: string, c = ctx()) => parseExpression(text).evaluate(c)

describe('operators and coercion (EvaluationResult.cs)', () => {
  it.each([
    ["1 == '1'", true],
    ["'abc' == 'ABC'", true],
    ['null == 0', true],
    ["'' == 0", true],
    ["'a' == 0", false],
    ['true == 1', true],
    // A boolean and a string both become numbers: 'true' is NaN, so this is false.
    ["'true' == true", false],
    ["'2' < 10", true],
    ["'b' > 'A'", true],
    ["fromJSON('[1]') == fromJSON('[1]')", false],
    ['!0', true],
    ["!''", true],
    ["!'0'", false],
    ['NaN == NaN', false],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it('&& and || return an operand, not a boolean', () => {
    expect(evaluate("'x' && 'y'")).toBe('y')
    expect(evaluate("'' && 'y'")).toBe('')
    expect(evaluate("inputs.empty || 'fallback'")).toBe('fallback')
    expect(evaluate("steps.plan.outputs.cache-path || 'x'")).toBe('/c')
  })

  it('binds ! tighter than comparisons, comparisons tighter than ==, == tighter than &&, && tighter than ||', () => {
    expect(evaluate('!false == true')).toBe(true)
    expect(evaluate('1 < 2 == true')).toBe(true)
    expect(evaluate('false && false || true')).toBe(true)
    expect(evaluate('true || false && false')).toBe(true)
  })
})

describe('property access (Sdk/Operators/Index.cs)', () => {
  it('is case-insensitive, except in the env context on Linux', () => {
    expect(evaluate('github.REF')).toBe('refs/heads/main')
    expect(evaluate('INPUTS.Python-Version')).toBe('3.12')
    expect(evaluate('env.PATH')).toBe('/bin')
    expect(evaluate('env.path')).toBeNull()
    expect(evaluate("env['Mixed']")).toBe('m')
  })

  it('gives null for anything missing, which prints as an empty string', () => {
    expect(evaluate('steps.nope.outputs.x')).toBeNull()
    expect(evaluate('github.ref.length')).toBeNull()
    expect(evaluateString('[${{ steps.plan.outputs.missing }}]', ctx())).toBe('[]')
  })

  it('filters with *', () => {
    expect(evaluate("contains(steps.*.outcome, 'failure')")).toBe(true)
    expect(evaluate("contains(steps.*.conclusion, 'failure')")).toBe(false)
  })

  it('rejects a named value its position does not allow, even in a branch never taken', () => {
    const defaults: EvaluationContext = { values: { github: {}, runner: {} } }
    expect(() => evaluate('false && env.X', defaults)).toThrow("Unrecognized named-value: 'env'")
  })
})

describe('functions (Sdk/Functions)', () => {
  it.each([
    ["contains('Hello', 'ELL')", true],
    ["contains(fromJSON('[1, 2]'), '2')", true],
    ["startsWith(github.ref, 'REFS/heads/')", true],
    ["endsWith('file.TXT', '.txt')", true],
    ["format('{0}-{{1}}-{1}', 'a', 3)", 'a-{1}-3'],
    ['join(fromJSON(\'["a", "b"]\'), \', \')', 'a, b'],
    ["join('solo')", 'solo'],
    ['toJSON(fromJSON(\'{"a":[1,true,null]}\'))', '{\n  "a": [\n    1,\n    true,\n    null\n  ]\n}'],
  ])('%s', (text, expected) => {
    expect(evaluate(text)).toEqual(expected)
  })

  it('prints numbers the way .NET G15 does', () => {
    expect(evaluateString('${{ 1.10 }}', ctx())).toBe('1.1')
    expect(evaluateString('${{ 0x10 }}', ctx())).toBe('16')
    expect(evaluateString('${{ 1 == 1 }}', ctx())).toBe('true')
  })

  it('refuses a format string with an unmatched brace', () => {
    expect(() => evaluate("format('{0', 'a')")).toThrow('The format string is invalid')
  })
})

describe('${{ }} in strings (TemplateReader.ParseScalar)', () => {
  it('keeps a literal, evaluates one whole expression, and makes format() of a mix', () => {
    expect(templateExpression('plain')).toEqual({ literal: 'plain' })
    expect(templateExpression('${{ inputs.python-version }}')).toEqual({
      expression: 'inputs.python-version',
    })
    expect(templateExpression("py${{ inputs.a }}-{x}'s")).toEqual({
      expression: "format('py{0}-{{x}}''s', inputs.a)",
    })
    expect(evaluateString('setup-${{ github.event_name }}-${{ inputs.python-version }}', ctx())).toBe(
      'setup-push-3.12',
    )
  })

  it('ends an expression at the first }} outside a string', () => {
    expect(evaluateString("${{ '}}' }}!", ctx())).toBe('}}!')
  })

  it('refuses an object where a string is expected', () => {
    expect(() => evaluateString('${{ github.event }}', ctx())).toThrow('A mapping was not expected')
  })
})

describe('if: conditions (WorkflowTemplateConverter.ConvertToIfCondition)', () => {
  it('defaults to success(), and wraps a condition without a status function in success() && (...)', () => {
    expect(conditionExpression(undefined)).toBe('success()')
    expect(conditionExpression('')).toBe('success()')
    expect(conditionExpression("inputs.python-version != ''")).toBe(
      "success() && (inputs.python-version != '')",
    )
    expect(conditionExpression("always() && steps.plan.outputs.cache-path != ''")).toBe(
      "always() && steps.plan.outputs.cache-path != ''",
    )
  })

  it('skips a step after a failure unless it asks for failure() or always()', () => {
    const failed = ctx({}, 'failure')
    expect(evaluateCondition("steps.plan.outputs.setup-python == 'true'", failed)).toBe(false)
    expect(evaluateCondition("steps.plan.outputs.setup-python == 'true'", ctx())).toBe(true)
    expect(evaluateCondition('failure()', failed)).toBe(true)
    expect(evaluateCondition('always()', failed)).toBe(true)
    expect(evaluateCondition("!cancelled() && steps.plan.outputs.setup-python == 'true'", failed)).toBe(true)
  })

  it('takes ${{ }} around the whole condition or not at all', () => {
    expect(evaluateCondition("${{ github.event_name == 'push' }}", ctx())).toBe(true)
    expect(evaluateCondition("github.event_name == 'pull_request'", ctx())).toBe(false)
  })

  it('treats ${{ }} with text beside it as a non-empty string: always true', () => {
    expect(evaluateCondition('${{ false }} && true', ctx())).toBe(true)
    expect(evaluateCondition("${{ github.event_name == 'pull_request' }} ", ctx())).toBe(true)
  })
})
