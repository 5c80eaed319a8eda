import { decodeEntities, findAll, parseXml, type XmlElement } from './xml.js'

export type Outcome = 'passed' | 'failed' | 'error' | 'skipped'

export interface TestCase {
  /** `module.Class.test_name` for Django, `path::Class::test` shaped ids for pytest. */
  id: string
  classname: string
  name: string
  /** Relative to the repository root, when the report says (see rebaseJUnitFiles). */
  file?: string
  line?: number
  durationMs: number
  outcome: Outcome
  /** The one-line reason (the exception and its message). */
  message: string
  /** The full traceback text. */
  detail: string
}

export interface TestTotals {
  tests: number
  passed: number
  failures: number
  errors: number
  skipped: number
  durationMs: number
}

export interface TestReport {
  totals: TestTotals
  cases: TestCase[]
}

const seconds = (text: string | undefined) => {
  const value = Number(text ?? '0')
  return Number.isFinite(value) ? Math.round(value * 1000) : 0
}

export interface JUnitOptions {
  /**
   * pytest's xunit1 `line` is 0-based (it writes the test item's `location`, whose line pytest
   * counts from 0: _pytest/junitxml.py, _pytest/nodes.py); Django's runner here writes 1-based.
   */
  zeroBasedLines?: boolean
}

/**
 * Parses a JUnit XML report as Django's runner (our module) and pytest write it. Totals are
 * counted from the test cases rather than trusted from the suite attributes, which pytest and
 * other writers fill in differently.
 */
export function parseJUnit(xml: string, options: JUnitOptions = {}): TestReport {
  const root = parseXml(xml)
  const cases = findAll(root, 'testcase').map((element) => toCase(element, options.zeroBasedLines ? 1 : 0))
  const suites = root.name === 'testsuite' ? [root] : root.children.filter((c) => c.name === 'testsuite')
  const suiteTime = suites.reduce((sum, suite) => sum + seconds(suite.attrs.time), 0)
  const count = (outcome: Outcome) => cases.filter((c) => c.outcome === outcome).length
  return {
    cases,
    totals: {
      tests: cases.length,
      passed: count('passed'),
      failures: count('failed'),
      errors: count('error'),
      skipped: count('skipped'),
      durationMs: suiteTime || cases.reduce((sum, c) => sum + c.durationMs, 0),
    },
  }
}

function toCase(element: XmlElement, lineOffset: number): TestCase {
  const { classname = '', name = '' } = element.attrs
  const failure = element.children.find((c) => c.name === 'failure')
  const error = element.children.find((c) => c.name === 'error')
  const skipped = element.children.find((c) => c.name === 'skipped')
  const problem = failure ?? error
  const outcome: Outcome = failure ? 'failed' : error ? 'error' : skipped ? 'skipped' : 'passed'
  const detail = (problem?.text ?? '').trim()
  const file = element.attrs.file || undefined
  return {
    id: classname ? `${classname}.${name}` : name,
    classname,
    name,
    file,
    line: failureLine(detail, file) ?? positiveInt(element.attrs.line, lineOffset),
    durationMs: seconds(element.attrs.time),
    outcome,
    message: firstLine(problem?.attrs.message ?? skipped?.attrs.message ?? '') || firstLine(detail),
    detail,
  }
}

function positiveInt(text: string | undefined, offset: number): number | undefined {
  if (text === undefined || text === '') return undefined
  const value = Number(text) + offset
  return Number.isInteger(value) && value > 0 ? value : undefined
}

const escapeAttribute = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')

/**
 * Rewrites the `file` attribute of every `<testcase>` (e.g. from pytest's rootdir to the
 * repository root), leaving the rest of the report byte for byte as the runner wrote it.
 */
export function rebaseJUnitFiles(xml: string, rebase: (file: string) => string): string {
  return xml.replace(/<testcase\b[^>]*>/g, (tag) =>
    tag.replace(
      /(\sfile=)(["'])(.*?)\2/,
      (_, name: string, _quote: string, value: string) =>
        `${name}"${escapeAttribute(rebase(decodeEntities(value)))}"`,
    ),
  )
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '').trim()
}

/**
 * The line in the test's own file where it failed, from the traceback: pytest writes
 * `path/test_x.py:42: AssertionError`, Python tracebacks `File ".../test_x.py", line 42`.
 * The last mention wins: it is the deepest frame inside the test file.
 */
export function failureLine(detail: string, file: string | undefined): number | undefined {
  if (!file || !detail) return undefined
  const base = file.split('/').pop() ?? file
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  let line: number | undefined
  const patterns = [
    new RegExp(`(?:^|[\\s/"'])${escaped}:(\\d+):`, 'gm'),
    new RegExp(`File "(?:[^"]*/)?${escaped}", line (\\d+)`, 'g'),
  ]
  let lastIndex = -1
  for (const pattern of patterns) {
    for (const match of detail.matchAll(pattern)) {
      if ((match.index ?? 0) >= lastIndex) {
        lastIndex = match.index ?? 0
        line = Number(match[1])
      }
    }
  }
  return line
}
