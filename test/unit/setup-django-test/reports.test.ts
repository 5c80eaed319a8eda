import {
  checkThreshold,
  describeCovered,
  displayCovered,
  parseCoverageJson,
} from '../../../src/setup-django-test/coverage-report.js'
import { failureLine, parseJUnit, rebaseJUnitFiles } from '../../../src/setup-django-test/junit.js'
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

  it("reads pytest's 0-based xunit1 line as the 1-based line it is", () => {
    const report = parseJUnit(PYTEST_JUNIT, { zeroBasedLines: true })
    expect(report.cases[0]).toMatchObject({ name: 'test_index', line: 23 })
    expect(parseJUnit(PYTEST_JUNIT).cases[0]?.line).toBe(22)
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

// Written by Debian's coverage.py 6.5 for the fixture app with `branch = True` and `precision = 1`
// (files trimmed to two; `coverage report` printed TOTAL 59 2 4 0 96.8%).
const COVERAGE_JSON = `{"meta": {"version": "6.5.0", "timestamp": "2026-12-01T20:16:09.721203", "branch_coverage": true, "show_contexts": false}, "files": {"notes/__init__.py": {"summary": {"covered_lines": 0, "num_statements": 0, "percent_covered": 100.0, "percent_covered_display": "100.0", "missing_lines": 0, "excluded_lines": 0, "num_branches": 0, "num_partial_branches": 0, "covered_branches": 0, "missing_branches": 0}}, "notes/views.py": {"summary": {"covered_lines": 17, "num_statements": 19, "percent_covered": 91.30434782608695, "percent_covered_display": "91.3", "missing_lines": 2, "excluded_lines": 0, "num_branches": 4, "num_partial_branches": 0, "covered_branches": 4, "missing_branches": 0}}}, "totals": {"covered_lines": 57, "num_statements": 59, "percent_covered": 96.82539682539682, "percent_covered_display": "96.8", "missing_lines": 2, "excluded_lines": 0, "num_branches": 4, "num_partial_branches": 0, "covered_branches": 4, "missing_branches": 0}}`

describe('parseCoverageJson', () => {
  it("takes coverage.py's own total, branches and precision included", () => {
    const report = parseCoverageJson(COVERAGE_JSON)
    expect(report).toMatchObject({
      display: '96.8',
      precision: 1,
      statements: 59,
      coveredStatements: 57,
      branches: 4,
      coveredBranches: 4,
    })
    expect(report.percent).toBeCloseTo(96.825, 3)
    expect(report.files.map((f) => [f.file, f.display])).toEqual([
      ['notes/__init__.py', '100.0'],
      ['notes/views.py', '91.3'],
    ])
    expect(describeCovered(report)).toBe('57 of 59 statements and 4 of 4 branches covered')
  })

  it('formats the figure as coverage.py does when the report has no display field (before 6.0)', () => {
    const report = parseCoverageJson('{"meta": {}, "files": {}, "totals": {"percent_covered": 99.7}}')
    expect(report).toMatchObject({ display: '99', precision: 0 })
    expect(report.branches).toBeUndefined()
  })

  it('rejects a report without totals', () => {
    expect(() => parseCoverageJson('{"files": {}}')).toThrow('the report has no totals.percent_covered')
  })
})

describe('displayCovered', () => {
  it.each([
    [96.825, 1, '96.8'],
    [86.4, 0, '86'],
    [0.2, 0, '1'],
    [99.7, 0, '99'],
    [99.97, 1, '99.9'],
    [100, 2, '100.00'],
    [0, 1, '0.0'],
  ])('%s at precision %s is %s, as coverage.py shows it', (percent, precision, shown) => {
    expect(displayCovered(percent, precision)).toBe(shown)
  })
})

describe('checkThreshold', () => {
  it.each([
    [83.64, 0, 0, true, 0],
    [83.64, 1, 80, true, 0],
    [83.64, 1, 90, false, 6.4],
    [79.96, 1, 80, true, 0],
    [79.94, 1, 80, false, 0.1],
    [79.6, 0, 80, true, 0],
    [79.4, 0, 80, false, 1],
    [99.99, 1, 100, false, 0.1],
    [100, 0, 100, true, 0],
    [0, 0, 1, false, 1],
  ])('%s%% at precision %s against %s%%', (percent, precision, threshold, ok, shortBy) => {
    expect(checkThreshold({ percent, precision }, threshold)).toEqual({ ok, shortBy })
  })
})

describe('rebaseJUnitFiles', () => {
  it('rewrites the file attribute of each test case and nothing else', () => {
    const xml = `<testsuite><testcase classname="a" name="t" file="notes/t&amp;s.py" line="3"><failure message='file="x"'/></testcase><testcase name="u"/></testsuite>`
    expect(rebaseJUnitFiles(xml, (file) => `backend/${file}`)).toBe(
      `<testsuite><testcase classname="a" name="t" file="backend/notes/t&amp;s.py" line="3"><failure message='file="x"'/></testcase><testcase name="u"/></testsuite>`,
    )
  })
})
