import {
  checkThreshold,
  formatPercent,
  parseCobertura,
} from '../../../src/setup-django-test/coverage-report.js'
import { failureLine, parseJUnit } from '../../../src/setup-django-test/junit.js'
import { decodeEntities, parseXml } from '../../../src/setup-django-test/xml.js'

// As the shipped Django runner writes it (ElementTree).
const DJANGO_JUNIT = `<?xml version='1.0' encoding='utf-8'?>
<testsuites><testsuite name="django" tests="4" failures="1" errors="1" skipped="1" time="0.039"><testcase classname="notes.tests.FailingTests" name="test_errors" time="0.003" file="notes/tests.py" line="39"><error message="RuntimeError: boom">Traceback (most recent call last):
  File &quot;/tmp/x/notes/tests.py&quot;, line 39, in test_errors
    raise RuntimeError(&quot;boom&quot;)
RuntimeError: boom
</error></testcase><testcase classname="notes.tests.FailingTests" name="test_fails" time="0.120" file="notes/tests.py" line="36"><failure message="AssertionError: 1 &gt; 2 : one is not two">Traceback</failure></testcase><testcase classname="notes.tests.T" name="test_skip" time="0.000" file="notes/tests.py" line="50"><skipped message="not today" /></testcase><testcase classname="notes.tests.T" name="test_ok" time="0.010" file="notes/tests.py" line="7" /></testsuite></testsuites>`

// As pytest 7 writes it with junit_family=xunit1.
const PYTEST_JUNIT = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="2" time="0.561" timestamp="2026-11-22T17:49:31" hostname="vm"><testcase classname="notes.tests.ViewTests" name="test_index" file="notes/tests.py" line="22" time="0.003" /><testcase classname="notes.tests.FailingTests" name="test_fails" file="notes/tests.py" line="33" time="0.002"><failure message="AssertionError: 1 != 2 : one is not two">self = &lt;notes.tests.FailingTests testMethod=test_fails&gt;

    def test_fails(self):
&gt;       self.assertEqual(value, 2, "one is not two")
E       AssertionError: 1 != 2 : one is not two

notes/tests.py:36: AssertionError</failure></testcase></testsuite></testsuites>`

describe('parseJUnit', () => {
  it('reads the Django runner report', () => {
    const report = parseJUnit(DJANGO_JUNIT)
    expect(report.totals).toEqual({ tests: 4, passed: 1, failures: 1, errors: 1, skipped: 1, durationMs: 39 })
    expect(report.cases[0]).toMatchObject({
      id: 'notes.tests.FailingTests.test_errors',
      outcome: 'error',
      file: 'notes/tests.py',
      line: 39,
      message: 'RuntimeError: boom',
      durationMs: 3,
    })
    expect(report.cases[1]).toMatchObject({
      outcome: 'failed',
      message: 'AssertionError: 1 > 2 : one is not two',
      line: 36,
    })
    expect(report.cases[2]).toMatchObject({ outcome: 'skipped', message: 'not today' })
  })

  it('reads a pytest xunit1 report and takes the failing line from the traceback', () => {
    const report = parseJUnit(PYTEST_JUNIT)
    expect(report.totals).toMatchObject({ tests: 2, passed: 1, failures: 1, durationMs: 561 })
    // The testcase says line 33 (the def, 0-based); the failure happened on line 36.
    expect(report.cases[1]).toMatchObject({ file: 'notes/tests.py', line: 36, outcome: 'failed' })
  })

  it('accepts a bare <testsuite> root and sums case times when the suite has none', () => {
    const report = parseJUnit(
      '<testsuite><testcase name="a" time="0.5"/><testcase name="b" time="0.25"/></testsuite>',
    )
    expect(report.totals).toMatchObject({ tests: 2, passed: 2, durationMs: 750 })
    expect(report.cases[0]?.id).toBe('a')
  })

  it('throws on a truncated report', () => {
    expect(() => parseJUnit('<testsuites><testsuite><testcase name="a">')).toThrow(/unclosed element/)
  })
})

describe('failureLine', () => {
  it.each([
    [
      '  File "/abs/notes/tests.py", line 12, in t\n  File "/abs/notes/tests.py", line 40, in helper',
      'notes/tests.py',
      40,
    ],
    ['notes/tests.py:36: AssertionError', 'notes/tests.py', 36],
    ['  File "/abs/other.py", line 3', 'notes/tests.py', undefined],
    ['', 'notes/tests.py', undefined],
    ['notes/tests.py:36: AssertionError', undefined, undefined],
  ])('%j in %s -> %s', (detail, file, expected) => {
    expect(failureLine(detail, file)).toBe(expected)
  })
})

describe('parseXml', () => {
  it('handles comments, CDATA, entities, processing instructions and > inside attributes', () => {
    const root = parseXml(
      '<?xml version="1.0"?><!DOCTYPE x><!-- c --><a k="1 &gt; 0" j=\'x>y\'><b>&lt;t&#65;&#x42;&gt;</b><![CDATA[<raw>]]></a>',
    )
    expect(root.attrs).toEqual({ k: '1 > 0', j: 'x>y' })
    expect(root.children[0]?.text).toBe('<tAB>')
    expect(root.text).toBe('<raw>')
  })

  it('rejects mismatched tags', () => {
    expect(() => parseXml('<a><b></a>')).toThrow('unexpected closing tag </a>')
  })

  it('leaves unknown entities alone', () => {
    expect(decodeEntities('&nbsp;&amp;')).toBe('&nbsp;&')
  })
})

const COBERTURA = `<?xml version="1.0" ?>
<coverage version="6.5.0" lines-valid="110" lines-covered="92" line-rate="0.8364" branch-rate="0">
	<!-- Generated by coverage.py -->
	<sources><source>/tmp/app</source></sources>
	<packages><package name="notes" line-rate="0.5">
		<classes>
			<class name="views.py" filename="notes/views.py" line-rate="0.5"><methods/><lines><line number="1" hits="1"/><line number="2" hits="0"/></lines></class>
			<class name="__init__.py" filename="notes/__init__.py" line-rate="1"><methods/><lines/></class>
		</classes>
	</package></packages>
</coverage>`

describe('parseCobertura', () => {
  it('takes the total from lines-valid/lines-covered and per-file figures from the lines', () => {
    const report = parseCobertura(COBERTURA)
    expect(report.percent).toBeCloseTo(83.636, 2)
    expect(report).toMatchObject({ linesValid: 110, linesCovered: 92 })
    expect(report.files).toEqual([
      { file: 'notes/views.py', linesValid: 2, linesCovered: 1, percent: 50 },
      { file: 'notes/__init__.py', linesValid: 0, linesCovered: 0, percent: 100 },
    ])
  })

  it('falls back to line-rate', () => {
    expect(parseCobertura('<coverage line-rate="0.5"></coverage>').percent).toBe(50)
  })

  it('rejects other XML', () => {
    expect(() => parseCobertura('<testsuites/>')).toThrow(
      'expected a <coverage> root element, got <testsuites>',
    )
  })
})

describe('checkThreshold', () => {
  it.each([
    [83.64, 0, true, 0],
    [83.64, 80, true, 0],
    [83.64, 90, false, 6.4],
    [79.96, 80, true, 0],
    [79.94, 80, false, 0.1],
    [100, 100, true, 0],
    [0, 1, false, 1],
  ])('%s%% against %s%%', (percent, threshold, ok, shortBy) => {
    expect(checkThreshold(percent, threshold)).toEqual({ ok, shortBy })
  })

  it('formats with one decimal', () => {
    expect(formatPercent(83.636)).toBe('83.6')
    expect(formatPercent(100)).toBe('100.0')
  })
})
