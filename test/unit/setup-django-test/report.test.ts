import type { TestCase, TestReport } from '../../../src/setup-django-test/junit.js'
import {
  buildAnnotations,
  buildSummary,
  MAX_ANNOTATIONS,
  slowestTests,
} from '../../../src/setup-django-test/report.js'

function testCase(n: number, outcome: TestCase['outcome'], durationMs = n): TestCase {
  return {
    id: `app.tests.T.test_${n}`,
    classname: 'app.tests.T',
    name: `test_${n}`,
    file: 'app/tests.py',
    line: 10 + n,
    durationMs,
    outcome,
    message: outcome === 'passed' ? '' : `AssertionError: case ${n}`,
    detail: outcome === 'passed' ? '' : `Traceback for ${n}`,
  }
}

function report(cases: TestCase[]): TestReport {
  const count = (o: TestCase['outcome']) => cases.filter((c) => c.outcome === o).length
  return {
    cases,
    totals: {
      tests: cases.length,
      passed: count('passed'),
      failures: count('failed'),
      errors: count('error'),
      skipped: count('skipped'),
      durationMs: 1500,
    },
  }
}

describe('buildAnnotations', () => {
  it('annotates each failing test at its file and line', () => {
    const { annotations, unannotated } = buildAnnotations(
      [testCase(1, 'passed'), testCase(2, 'failed'), testCase(3, 'error')],
      MAX_ANNOTATIONS,
    )
    expect(unannotated).toBe(0)
    expect(annotations).toEqual([
      {
        message: 'AssertionError: case 2\n\nTraceback for 2',
        props: { title: 'Test failed: app.tests.T.test_2', file: 'app/tests.py', startLine: 12 },
      },
      {
        message: 'AssertionError: case 3\n\nTraceback for 3',
        props: { title: 'Test error: app.tests.T.test_3', file: 'app/tests.py', startLine: 13 },
      },
    ])
  })

  it('stops at the budget and counts the rest', () => {
    const cases = Array.from({ length: 14 }, (_, i) => testCase(i, 'failed'))
    const { annotations, unannotated } = buildAnnotations(cases, 9)
    expect(annotations).toHaveLength(9)
    expect(unannotated).toBe(5)
  })

  it('folds errors with one cause into one annotation that says how many', () => {
    // pytest-django: the test database cannot be created, so every test that needs it errors.
    const setupError = (n: number): TestCase => ({
      ...testCase(n, 'error'),
      message: 'failed on setup with "SystemExit: 2"',
      detail:
        '    def _execute(self, sql, params, *ignored_wrapper_args):\n>               return self.cursor.execute(sql)\nE               psycopg2.errors.InsufficientPrivilege: permission denied to create database\n\n/usr/lib/python3/dist-packages/django/db/backends/utils.py:82: InsufficientPrivilege\n...\nE   SystemExit: 2',
    })
    const cases = [setupError(1), testCase(2, 'failed'), setupError(3), setupError(4)]
    const { annotations, unannotated } = buildAnnotations(cases, 9)
    expect(unannotated).toBe(0)
    expect(annotations).toHaveLength(2)
    expect(annotations[0]).toEqual({
      message:
        'psycopg2.errors.InsufficientPrivilege: permission denied to create database\n\n3 tests failed with this error: app.tests.T.test_1, app.tests.T.test_3, app.tests.T.test_4 (the job summary lists every one)',
      props: { title: 'Test error in 3 tests', file: 'app/tests.py', startLine: 11 },
    })
    expect(annotations[1]?.props.title).toBe('Test failed: app.tests.T.test_2')
  })

  it('keeps the end of a very long traceback', () => {
    const c = { ...testCase(1, 'failed'), detail: `${'x'.repeat(10_000)}\nAssertionError: at the end` }
    const message = buildAnnotations([c], 9).annotations[0]?.message ?? ''
    expect(message.length).toBeLessThan(4100)
    expect(message).toMatch(/^AssertionError: case 1\n\n…x+\nAssertionError: at the end$/)
  })

  it('leaves out the location when the report has none', () => {
    const c = { ...testCase(1, 'failed'), file: undefined }
    expect(buildAnnotations([c], 9).annotations[0]?.props).toEqual({
      title: 'Test failed: app.tests.T.test_1',
    })
  })
})

describe('buildSummary', () => {
  const phases = [
    { phase: 'Python', ok: true, text: '3.12.1' },
    { phase: 'Install', ok: true, skipped: true, text: 'install: none' },
    { phase: 'Tests', ok: false, text: '14 tests' },
  ]

  it('shows totals, phases, every failed test, the slowest five and coverage', () => {
    const cases = [
      ...Array.from({ length: 12 }, (_, i) => testCase(i, 'failed')),
      testCase(50, 'passed', 9000),
      testCase(51, 'skipped'),
    ]
    const md = buildSummary({
      phases,
      tests: report(cases),
      coverage: {
        percent: 72.25,
        display: '72.3',
        precision: 1,
        statements: 400,
        coveredStatements: 289,
        files: [{ file: 'a|b.py', percent: 10, display: '10.0', statements: 10, coveredStatements: 1 }],
      },
      coverageThreshold: 80,
      coverageFile: (file) => `backend/${file}`,
      annotated: 9,
    })
    expect(md).toContain('### ❌ Django tests')
    expect(md).toContain(
      '**14 tests** · 1 passed · 12 failed · 0 errors · 1 skipped · in 1.5s · coverage **72.3%**',
    )
    expect(md).toContain('| Install | — | install: none |')
    expect(md).toContain('#### Failed tests (12)')
    expect(md).toContain('| app.tests.T.test_11 | app/tests.py:21 | AssertionError: case 11 |')
    expect(md).toContain('9 failing tests are annotated in the code; the other 3 are listed here only')
    const slow = md.slice(md.indexOf('#### Slowest tests'))
    expect(slow.split('\n').filter((l) => l.startsWith('| app.'))).toHaveLength(5)
    expect(slow).toMatch(/\| app\.tests\.T\.test_50 \| 9\.0s \|/)
    expect(md).toContain('#### Coverage: 72.3% (threshold 80%)')
    expect(md).toContain('289 of 400 statements covered.')
    expect(md).toContain('`backend/a\\|b.py`')
  })

  it('is short when all is well', () => {
    const md = buildSummary({
      phases: [{ phase: 'Tests', ok: true, text: '1 test' }],
      tests: report([testCase(1, 'passed')]),
      coverageThreshold: 0,
      annotated: 0,
    })
    expect(md).toContain('### ✅ Django tests')
    expect(md).not.toContain('Failed tests')
    expect(md).not.toContain('Coverage')
  })
})

describe('slowestTests', () => {
  it('sorts slowest first without touching the input', () => {
    const cases = [testCase(1, 'passed', 5), testCase(2, 'passed', 50), testCase(3, 'passed', 20)]
    expect(slowestTests(cases, 2).map((c) => c.name)).toEqual(['test_2', 'test_3'])
    expect(cases[0]?.name).toBe('test_1')
  })
})
