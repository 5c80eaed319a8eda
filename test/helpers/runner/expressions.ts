// The GitHub Actions expression language as actions/runner evaluates it. Every rule names the
// runner source it comes from (src/Sdk/Expressions/... in actions/runner):
// - Tokens/LexicalAnalyzer.cs: literals (null, true, false, NaN, Infinity, numbers incl. 0x/0o,
//   'strings' with '' for a quote), named values, property names that may hold '-', operators.
// - ExpressionParser.cs: precedence ! > < <= > >= > == != > && > ||; a.b, a['b'], a.*.
// - EvaluationResult.cs: falsy = null, false, 0, NaN, ''; AbstractEqual / AbstractGreaterThan
//   with CoerceTypes (number vs string -> numbers; boolean/null -> numbers); strings compare
//   case-insensitively; objects/arrays only by reference; ConvertToString (null -> '', G15).
// - Sdk/Operators/And.cs, Or.cs: && and || return an operand, not a boolean.
// - Sdk/Operators/Index.cs: property lookup is case-insensitive (DictionaryContextData), except
//   the env context on Linux (CaseSensitiveDictionaryContextData); a miss is null; `*` filters.
// - Sdk/Functions/*.cs: contains, startsWith, endsWith, format, join, toJson, fromJson.
// - src/Runner.Worker/Expressions/*Function.cs: success, always, failure, cancelled.
// - ObjectTemplating/TemplateReader.cs ParseScalar: 'a ${{ x }} b' is format('a {0} b', x).
// Not modelled (no action.yml here uses them): hashFiles(), case(), and cancellation.

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value }

export class ExpressionError extends Error {
  override name = 'ExpressionError'
}

const caseSensitive = new WeakSet<object>()

/** Marks a context object whose keys are case-sensitive (the env context on Linux). */
export function caseSensitiveObject<T extends object>(value: T): T {
  caseSensitive.add(value)
  return value
}

/** An array made by a `*` filter: indexing it maps over its items (Sdk/Operators/Index.cs). */
class FilteredArray extends Array<Value> {}

export interface StatusFunctions {
  success(): boolean
  failure(): boolean
  cancelled(): boolean
}

export interface EvaluationContext {
  /** The named values this position allows (action_yaml.json's "context" lists), by lower-case name. */
  values: Record<string, Value>
  status?: StatusFunctions
}

type Token = { kind: 'literal'; value: Value } | { kind: 'word'; text: string } | { kind: 'op'; text: string }

const OPERATORS = ['!=', '==', '<=', '>=', '&&', '||', '!', '<', '>', '(', ')', '[', ']', ',', '.', '*']

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i] ?? ''
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (c === "'") {
      let value = ''
      i++
      for (;;) {
        if (i >= text.length) throw new ExpressionError(`Unexpected end of expression: ${text}`)
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'"
            i += 2
            continue
          }
          i++
          break
        }
        value += text[i]
        i++
      }
      tokens.push({ kind: 'literal', value })
      continue
    }
    const previous = tokens.at(-1)
    const afterDot = previous?.kind === 'op' && previous.text === '.'
    const number = /^[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(text.slice(i))
    if (number && !afterDot && (/[\d.]/.test(c) || /[-+]/.test(c))) {
      tokens.push({ kind: 'literal', value: parseNumber(number[0]) })
      i += number[0].length
      continue
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i))
    if (word) {
      const keyword: Record<string, Value> = {
        null: null,
        true: true,
        false: false,
        NaN: NaN,
        Infinity: Infinity,
      }
      if (!afterDot && word[0] in keyword) tokens.push({ kind: 'literal', value: keyword[word[0]] ?? null })
      else tokens.push({ kind: 'word', text: word[0] })
      i += word[0].length
      continue
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i))
    if (!op)
      throw new ExpressionError(
        `Unexpected symbol: '${c}'. Located at position ${i + 1} within expression: ${text}`,
      )
    tokens.push({ kind: 'op', text: op })
    i += op.length
  }
  return tokens
}

type Node = (ctx: EvaluationContext) => Value

/** A parsed expression: evaluates it, and says whether it calls a status function. */
export interface Expression {
  evaluate(ctx: EvaluationContext): Value
  usesStatusFunction: boolean
  namedValues: Set<string>
}

const STATUS = new Set(['success', 'always', 'failure', 'cancelled'])

export function parseExpression(text: string): Expression {
  const tokens = tokenize(text)
  let pos = 0
  let usesStatusFunction = false
  const namedValues = new Set<string>()
  const peek = () => tokens[pos]
  const isOp = (op: string) => {
    const t = peek()
    return t?.kind === 'op' && t.text === op
  }
  const expect = (op: string) => {
    if (!isOp(op)) throw new ExpressionError(`Expected '${op}' in expression: ${text}`)
    pos++
  }
  const binary = (next: () => Node, ops: string[], apply: (op: string, a: Node, b: Node) => Node) => () => {
    let left = next()
    for (;;) {
      const t = peek()
      if (t?.kind !== 'op' || !ops.includes(t.text)) return left
      pos++
      left = apply(t.text, left, next())
    }
  }
  const primary = (): Node => {
    const t = peek()
    if (!t) throw new ExpressionError(`Unexpected end of expression: ${text}`)
    pos++
    if (t.kind === 'literal') return () => t.value
    if (t.kind === 'op' && t.text === '(') {
      const inner = or()
      expect(')')
      return inner
    }
    if (t.kind === 'word' && isOp('(')) {
      pos++
      const args: Node[] = []
      if (!isOp(')')) {
        args.push(or())
        while (isOp(',')) {
          pos++
          args.push(or())
        }
      }
      expect(')')
      const name = t.text.toLowerCase()
      if (STATUS.has(name)) usesStatusFunction = true
      return callFunction(name, args, text)
    }
    if (t.kind === 'word') {
      const name = t.text.toLowerCase()
      namedValues.add(name)
      return (ctx) => ctx.values[name] ?? null
    }
    throw new ExpressionError(
      `Unexpected symbol: '${t.kind === 'op' ? t.text : ''}' within expression: ${text}`,
    )
  }
  const postfix = (): Node => {
    let node = primary()
    for (;;) {
      if (isOp('.')) {
        pos++
        const t = peek()
        pos++
        if (t?.kind === 'op' && t.text === '*') node = wildcard(node)
        else if (t?.kind === 'word') node = index(node, () => t.text)
        else throw new ExpressionError(`Expected a property name after '.' in expression: ${text}`)
      } else if (isOp('[')) {
        pos++
        if (isOp('*')) {
          pos++
          node = wildcard(node)
        } else node = index(node, or())
        expect(']')
      } else return node
    }
  }
  const unary = (): Node => {
    if (isOp('!')) {
      pos++
      const inner = unary()
      return (ctx) => !truthy(inner(ctx))
    }
    return postfix()
  }
  const comparison = binary(unary, ['<', '<=', '>', '>='], (op, a, b) => (ctx) => {
    const [l, r] = [a(ctx), b(ctx)]
    if (op === '<') return lessThan(l, r)
    if (op === '>') return lessThan(r, l)
    if (op === '<=') return lessThan(l, r) || equal(l, r)
    return lessThan(r, l) || equal(l, r)
  })
  const equality = binary(
    comparison,
    ['==', '!='],
    (op, a, b) => (ctx) => (op === '==' ? equal(a(ctx), b(ctx)) : !equal(a(ctx), b(ctx))),
  )
  const and = binary(equality, ['&&'], (_, a, b) => (ctx) => {
    const left = a(ctx)
    return truthy(left) ? b(ctx) : left
  })
  const or = binary(and, ['||'], (_, a, b) => (ctx) => {
    const left = a(ctx)
    return truthy(left) ? left : b(ctx)
  })
  if (tokens.length === 0) throw new ExpressionError('Expected an expression')
  const root = or()
  if (pos < tokens.length)
    throw new ExpressionError(`Unexpected symbol after position ${pos} in expression: ${text}`)
  return {
    // The runner rejects a named value its position does not allow when it parses the
    // expression (ExpressionParser.CreateTree with the allowed list), even in a branch never taken.
    evaluate: (ctx) => {
      for (const name of namedValues) {
        if (!(name in ctx.values))
          throw new ExpressionError(`Unrecognized named-value: '${name}'. Located within expression: ${text}`)
      }
      return root(ctx)
    },
    usesStatusFunction,
    namedValues,
  }
}

function wildcard(node: Node): Node {
  return (ctx) => {
    const target = node(ctx)
    const result = new FilteredArray()
    const items = target instanceof FilteredArray ? target : [target]
    for (const item of items) {
      if (Array.isArray(item)) result.push(...item)
      else if (item !== null && typeof item === 'object') result.push(...Object.values(item))
    }
    return result
  }
}

function index(node: Node, key: Node): Node {
  return (ctx) => {
    const target = node(ctx)
    const k = key(ctx)
    if (target instanceof FilteredArray) {
      const mapped = new FilteredArray()
      for (const item of target) {
        const value = lookup(item, k)
        if (value !== null) mapped.push(value)
      }
      return mapped
    }
    return lookup(target, k)
  }
}

function lookup(target: Value, key: Value): Value {
  if (Array.isArray(target)) {
    const n = typeof key === 'number' ? key : toNumber(key)
    return Number.isInteger(n) && n >= 0 ? (target[n] ?? null) : null
  }
  if (target === null || typeof target !== 'object') return null
  const name = toDisplayString(key)
  if (Object.prototype.hasOwnProperty.call(target, name)) return target[name] ?? null
  if (caseSensitive.has(target)) return null
  const lower = name.toLowerCase()
  const match = Object.keys(target).find((k) => k.toLowerCase() === lower)
  return match === undefined ? null : (target[match] ?? null)
}

function callFunction(name: string, args: Node[], text: string): Node {
  const arity = (min: number, max: number) => {
    if (args.length < min || args.length > max)
      throw new ExpressionError(`Wrong number of arguments for ${name}() in expression: ${text}`)
  }
  const a = (i: number, ctx: EvaluationContext) => (args[i] as Node)(ctx)
  switch (name) {
    case 'success':
    case 'failure':
    case 'cancelled':
      arity(0, 0)
      return (ctx) => {
        if (!ctx.status)
          throw new ExpressionError(`Unrecognized function: '${name}'. Located within expression: ${text}`)
        return ctx.status[name]()
      }
    case 'always':
      arity(0, 0)
      return (ctx) => {
        if (!ctx.status)
          throw new ExpressionError(`Unrecognized function: 'always'. Located within expression: ${text}`)
        return true
      }
    case 'contains':
      arity(2, 2)
      return (ctx) => {
        const [search, item] = [a(0, ctx), a(1, ctx)]
        if (Array.isArray(search)) return search.some((element) => equal(element, item))
        return toDisplayString(search).toLowerCase().includes(toDisplayString(item).toLowerCase())
      }
    case 'startswith':
    case 'endswith':
      arity(2, 2)
      return (ctx) => {
        const [s, part] = [toDisplayString(a(0, ctx)).toLowerCase(), toDisplayString(a(1, ctx)).toLowerCase()]
        return name === 'startswith' ? s.startsWith(part) : s.endsWith(part)
      }
    case 'format':
      arity(1, 256)
      return (ctx) =>
        format(
          toDisplayString(a(0, ctx)),
          args.slice(1).map((arg) => arg(ctx)),
        )
    case 'join':
      arity(1, 2)
      return (ctx) => {
        const items = a(0, ctx)
        const separator = args.length > 1 ? toDisplayString(a(1, ctx)) : ','
        return Array.isArray(items) ? items.map(toDisplayString).join(separator) : toDisplayString(items)
      }
    case 'tojson':
      arity(1, 1)
      return (ctx) => JSON.stringify(a(0, ctx), null, 2) ?? 'null'
    case 'fromjson':
      arity(1, 1)
      return (ctx) => {
        const source = toDisplayString(a(0, ctx))
        try {
          return JSON.parse(source) as Value
        } catch {
          throw new ExpressionError(`Error parsing fromJson: ${source}`)
        }
      }
    default:
      throw new ExpressionError(`Unrecognized function: '${name}'. Located within expression: ${text}`)
  }
}

/** Sdk/Functions/Format.cs: {N} is argument N, {{ and }} are literal braces, anything else is an error. */
function format(pattern: string, args: Value[]): string {
  return pattern.replace(/\{\{|\}\}|\{(\d+)\}|\{|\}/g, (match, n: string | undefined) => {
    if (match === '{{') return '{'
    if (match === '}}') return '}'
    if (n === undefined) throw new ExpressionError(`The format string is invalid: ${pattern}`)
    if (Number(n) >= args.length)
      throw new ExpressionError(
        `The following format string references more arguments than were supplied: ${pattern}`,
      )
    return toDisplayString(args[Number(n)] ?? null)
  })
}

export function truthy(value: Value): boolean {
  if (value === null || value === false || value === '') return false
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value)
  return true
}

/** ExpressionUtility.ParseNumber: trimmed; '' is 0; decimal, exponent, 0x hex, 0o octal; else NaN. */
function parseNumber(text: string): number {
  const s = text.trim()
  if (s === '') return 0
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s)
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16)
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8)
  return NaN
}

function toNumber(value: Value): number {
  if (value === null) return 0
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'number') return value
  if (typeof value === 'string') return parseNumber(value)
  return NaN
}

type Kind = 'null' | 'boolean' | 'number' | 'string' | 'object'
const kindOf = (v: Value): Kind =>
  v === null ? 'null' : typeof v === 'object' ? 'object' : (typeof v as 'boolean' | 'number' | 'string')

/** EvaluationResult.CoerceTypes. */
function coerce(l: Value, r: Value): [Value, Value] {
  const [lk, rk] = [kindOf(l), kindOf(r)]
  if (lk === rk) return [l, r]
  if (lk === 'number' && rk === 'string') return [l, toNumber(r)]
  if (lk === 'string' && rk === 'number') return [toNumber(l), r]
  if (lk === 'boolean' || lk === 'null') return coerce(toNumber(l), r)
  if (rk === 'boolean' || rk === 'null') return coerce(l, toNumber(r))
  return [l, r]
}

function equal(left: Value, right: Value): boolean {
  const [l, r] = coerce(left, right)
  if (kindOf(l) !== kindOf(r)) return false
  if (typeof l === 'string') return l.toLowerCase() === (r as string).toLowerCase()
  return l === r
}

function lessThan(left: Value, right: Value): boolean {
  const [l, r] = coerce(left, right)
  if (typeof l === 'number' && typeof r === 'number') return l < r
  if (typeof l === 'string' && typeof r === 'string') return l.toLowerCase() < r.toLowerCase()
  if (typeof l === 'boolean' && typeof r === 'boolean') return !l && r
  return false
}

/** EvaluationResult.ConvertToString: null is '', numbers in .NET's G15, objects by kind. */
export function toDisplayString(value: Value): string {
  if (value === null) return ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN'
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity'
    if (Object.is(value, -0)) return '0'
    return String(Number(value.toPrecision(15)))
  }
  if (typeof value === 'string') return value
  return Array.isArray(value) ? 'Array' : 'Object'
}

/** A scalar from YAML, converted as TemplateReader.ParseScalar does: literal, one expression, or format(). */
export function templateExpression(raw: string): { literal: string } | { expression: string } {
  const segments: ({ literal: string } | { expression: string })[] = []
  let i = 0
  while (i < raw.length) {
    const start = raw.indexOf('${{', i)
    if (start < 0) {
      segments.push({ literal: raw.slice(i) })
      break
    }
    if (start > i) segments.push({ literal: raw.slice(i, start) })
    let inString = false
    let end = -1
    for (let j = start + 3; j < raw.length; j++) {
      if (raw[j] === "'") inString = !inString
      else if (!inString && raw[j] === '}' && raw[j - 1] === '}') {
        end = j
        break
      }
    }
    if (end < 0)
      throw new ExpressionError(
        `The expression is not closed. An unescaped \${{ sequence was found, but the closing }} sequence was not found: ${raw}`,
      )
    const expression = raw.slice(start + 3, end - 1).trim()
    if (expression === '') throw new ExpressionError('An expression was expected')
    segments.push({ expression })
    i = end + 1
  }
  if (segments.length === 0) return { literal: '' }
  if (segments.length === 1) return segments[0] as { literal: string } | { expression: string }
  let pattern = ''
  const args: string[] = []
  for (const segment of segments) {
    if ('literal' in segment)
      pattern += segment.literal.replace(/'/g, "''").replace(/\{/g, '{{').replace(/\}/g, '}}')
    else {
      pattern += `{${args.length}}`
      args.push(segment.expression)
    }
  }
  return { expression: `format('${pattern}'${args.map((a) => `, ${a}`).join('')})` }
}

/** Evaluates a YAML scalar (`with:`, `env:`, `run:` ...) to a string, as a step-with / step-env value. */
export function evaluateString(raw: string, ctx: EvaluationContext): string {
  const parsed = templateExpression(raw)
  if ('literal' in parsed) return parsed.literal
  const value = parseExpression(parsed.expression).evaluate(ctx)
  if (value !== null && typeof value === 'object')
    throw new ExpressionError(`A ${Array.isArray(value) ? 'sequence' : 'mapping'} was not expected: ${raw}`)
  return toDisplayString(value)
}

/**
 * A step's `if:` as WorkflowTemplateConverter.ConvertToIfCondition makes it: empty is success();
 * a condition that calls no status function becomes `success() && (<condition>)`; `${{ }}` around
 * the whole condition is optional, and a condition with text beside its `${{ }}` is a format()
 * string, which is always true when not empty.
 */
export function conditionExpression(raw: string | boolean | undefined): string {
  if (raw === undefined) return 'success()'
  const text = typeof raw === 'boolean' ? String(raw) : raw
  const parsed = text.includes('${{') ? templateExpression(text) : { expression: text }
  const condition = 'literal' in parsed ? `'${parsed.literal.replace(/'/g, "''")}'` : parsed.expression
  if (condition.trim() === '') return 'success()'
  return parseExpression(condition).usesStatusFunction ? condition : `success() && (${condition})`
}

export function evaluateCondition(raw: string | boolean | undefined, ctx: EvaluationContext): boolean {
  return truthy(parseExpression(conditionExpression(raw)).evaluate(ctx))
}
