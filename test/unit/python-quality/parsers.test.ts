// The parsers against real outputs of Debian's black 23.1, isort 5.6, flake8 5.0, pylint 2.16 and
// bandit 1.6 (test/fixtures/python-quality/outputs/, made by scripts/python-quality/fixture-outputs.sh).
import { parseBandit } from '../../../src/python-quality/bandit.js'
import { parseBlack } from '../../../src/python-quality/black.js'
import { parseFlake8 } from '../../../src/python-quality/flake8.js'
import { parseIsort } from '../../../src/python-quality/isort.js'
import { parsePylint, pylintFailed } from '../../../src/python-quality/pylint.js'
import { parseRuff } from '../../../src/python-quality/ruff.js'
import { TOOL_SPECS } from '../../../src/python-quality/tools.js'
import { realRun, SHOWN } from './fixtures.js'

const brief = (findings: { file: string; line?: number; code: string; severity: string }[]) =>
  findings.map((f) => `${f.file}:${f.line ?? '-'} ${f.code} ${f.severity}`)

describe('black --check --diff', () => {
  it('finds the file it would reformat, at the file, with its diff', () => {
    const run = realRun('findings', 'black')
    expect(TOOL_SPECS.black.failed(run.exitCode)).toBe(false)
    const parsed = parseBlack(run.stdout, run.stderr, SHOWN)
    expect(brief(parsed.findings)).toEqual(['shop/orders.py:- black low'])
    expect(parsed.diffs.map((d) => d.file)).toEqual(['shop/orders.py'])
    expect(parsed.diffs[0]?.diff).toContain('+    return sum(item["price"] for item in items)')
    expect(parsed.diffs[0]?.diff).not.toContain('would reformat')
    expect(parsed.diffs[0]?.diff.split('\n').slice(0, 3)).toEqual([
      '--- a/shop/orders.py',
      '+++ b/shop/orders.py',
      '@@ -5,11 +5,11 @@',
    ])
  })

  it('finds nothing in a clean project', () => {
    const run = realRun('clean', 'black')
    expect(parseBlack(run.stdout, run.stderr, SHOWN)).toEqual({ findings: [], diffs: [] })
  })

  it('reports a file it cannot parse as a high finding at the line', () => {
    const stderr = 'error: cannot format /w/app/bad.py: Cannot parse: 3:7: def f(:\n\nOh no! 💥 💔 💥\n'
    expect(parseBlack('', stderr, '/w').findings).toEqual([
      expect.objectContaining({
        file: 'app/bad.py',
        line: 3,
        column: 8,
        code: 'black-error',
        severity: 'high',
      }),
    ])
  })
})

describe('isort --check-only --diff', () => {
  it('finds the file whose imports it would reorder, with its diff', () => {
    const run = realRun('findings', 'isort')
    const parsed = parseIsort(run.stdout, run.stderr, SHOWN)
    expect(brief(parsed.findings)).toEqual(['shop/orders.py:- isort low'])
    expect(parsed.diffs).toEqual([{ file: 'shop/orders.py', diff: expect.stringContaining('+import sys') }])
  })

  it('finds nothing in a clean project', () => {
    const run = realRun('clean', 'isort')
    expect(parseIsort(run.stdout, run.stderr, SHOWN)).toEqual({ findings: [], diffs: [] })
  })
})

describe('flake8 --format', () => {
  it('reads each finding with its line, column and code', () => {
    const run = realRun('findings', 'flake8')
    expect(TOOL_SPECS.flake8.failed(run.exitCode)).toBe(false)
    const parsed = parseFlake8(run.stdout, SHOWN)
    expect(brief(parsed.findings)).toEqual([
      'shop/payments.py:8 F821 high',
      'shop/orders.py:2 F401 high',
      'shop/orders.py:9 F841 high',
      'shop/orders.py:10 E201 low',
      'shop/orders.py:10 E202 low',
    ])
    expect(parsed.findings[0]).toMatchObject({ column: 34, message: "undefined name 'missing_name'" })
  })

  it('finds nothing in a clean project', () => {
    expect(parseFlake8(realRun('clean', 'flake8').stdout, SHOWN).findings).toEqual([])
  })

  it('refuses a line that is not in its format (a crash or a plugin printing)', () => {
    expect(() => parseFlake8('Traceback (most recent call last):\n', SHOWN)).toThrow(
      /flake8 printed a line that is not a finding: Traceback/,
    )
  })
})

describe('pylint --output-format=json', () => {
  it('reads each message with a 1-based column and a severity from its type', () => {
    const run = realRun('findings', 'pylint')
    expect(run.exitCode).toBe(22)
    expect(pylintFailed(run.exitCode)).toBe(false)
    const parsed = parsePylint(run.stdout, SHOWN)
    expect(brief(parsed.findings)).toEqual([
      'shop/payments.py:5 C0116 low',
      'shop/payments.py:8 E0602 high',
      'shop/orders.py:9 W0612 medium',
      'shop/orders.py:2 W0611 medium',
    ])
    expect(parsed.findings[1]).toMatchObject({
      column: 34,
      message: "Undefined variable 'missing_name' (undefined-variable)",
    })
  })

  it('finds nothing in a clean project', () => {
    expect(parsePylint(realRun('clean', 'pylint').stdout, SHOWN).findings).toEqual([])
  })

  it('tells a usage error (32) from messages found', () => {
    expect(pylintFailed(32)).toBe(true)
    expect(pylintFailed(30)).toBe(false)
    expect(() => parsePylint('usage: pylint [options]', SHOWN)).toThrow(/pylint did not print JSON: usage/)
  })
})

describe('bandit -f json', () => {
  it('reads each issue with its severity, confidence and link', () => {
    const run = realRun('findings', 'bandit')
    expect(TOOL_SPECS.bandit.failed(run.exitCode)).toBe(false)
    const parsed = parseBandit(run.stdout, SHOWN)
    expect(brief(parsed.findings)).toEqual([
      'shop/orders.py:4 B404 low',
      'shop/orders.py:15 B602 high',
      'shop/orders.py:16 B101 low',
      'shop/payments.py:7 B303 medium',
    ])
    expect(parsed.findings[1]).toMatchObject({
      message: expect.stringMatching(/^subprocess call with shell=True identified.*\(confidence high\)$/),
      url: expect.stringMatching(/^https:\/\/bandit\.readthedocs\.io\//),
    })
  })

  it('finds nothing in a clean project', () => {
    expect(parseBandit(realRun('clean', 'bandit').stdout, SHOWN).findings).toEqual([])
  })

  it('reports a file it could not scan', () => {
    const json = JSON.stringify({
      errors: [{ filename: './bad.py', reason: 'syntax error while parsing AST from file' }],
      results: [],
    })
    expect(brief(parseBandit(json, SHOWN).findings)).toEqual(['bad.py:- bandit-error high'])
  })
})

describe('ruff check --output-format json', () => {
  // No Debian package of ruff: the shape is ruff's JSON emitter's (crates/ruff_linter/src/message/json.rs).
  const output = JSON.stringify([
    {
      cell: null,
      code: 'F401',
      end_location: { column: 10, row: 1 },
      filename: `${SHOWN}/shop/orders.py`,
      fix: { applicability: 'safe', edits: [], message: 'Remove unused import: `os`' },
      location: { column: 8, row: 1 },
      message: '`os` imported but unused',
      noqa_row: 1,
      url: 'https://docs.astral.sh/ruff/rules/unused-import',
    },
    {
      cell: null,
      code: null,
      end_location: { column: 1, row: 3 },
      filename: `${SHOWN}/shop/bad.py`,
      fix: null,
      location: { column: 9, row: 2 },
      message: 'SyntaxError: Expected an expression',
      noqa_row: null,
      url: null,
    },
  ])

  it('reads each finding at its absolute path, made relative', () => {
    const parsed = parseRuff(output, SHOWN)
    expect(brief(parsed.findings)).toEqual(['shop/orders.py:1 F401 high', 'shop/bad.py:2 syntax-error high'])
    expect(parsed.findings[0]).toMatchObject({
      column: 8,
      url: 'https://docs.astral.sh/ruff/rules/unused-import',
    })
  })

  it('finds nothing in an empty list and refuses what is not a list', () => {
    expect(parseRuff('[]', SHOWN).findings).toEqual([])
    expect(() => parseRuff('{}', SHOWN)).toThrow(/not a list/)
  })
})
