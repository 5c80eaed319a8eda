// Every third-party action used anywhere (action.yml files, workflows, examples, READMEs) is pinned
// to a full commit SHA with its version in a comment, at a commit whose action.yml runs on node24.
// Tests cannot reach GitHub, so the runtime of each pinned commit is recorded, with where it was
// read, in .github/pinned-actions.yml; a pin missing from that table fails too.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../../helpers/run-action.js'

const root = repoRoot()

interface PinRow {
  version: string
  sha: string
  'runs-using': string
  'read-from': string
}
type PinTable = Record<string, PinRow[]>

interface UsesLine {
  file: string
  line: number
  text: string
}

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage', '.e2e'])

/** Every .yml, .yaml and .md file of the repository, relative to its root. */
function documents(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : documents(path)
    return /\.(ya?ml|md)$/.test(entry.name) ? [path.slice(root.length + 1)] : []
  })
}

function usesLines(files: string[]): UsesLine[] {
  return files.flatMap((file) =>
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .flatMap((text, index) => (/^\s*(?:-\s*)?uses:/.test(text) ? [{ file, line: index + 1, text }] : [])),
  )
}

const semver = (version: string) => (/^v(\d+)\.(\d+)\.(\d+)$/.exec(version) ?? []).slice(1).map(Number)
const newer = (a: string, b: string) => {
  const [x, y] = [semver(a), semver(b)]
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0)
  return false
}

/** What is wrong with each third-party pin, as `file:line: problem`. */
function pinProblems(lines: UsesLine[], table: PinTable): string[] {
  const problems: string[] = []
  const seen = new Map<string, { sha: string; where: string }>()
  for (const { file, line, text } of lines) {
    const m = /^\s*(?:-\s*)?uses:\s*['"]?([^'"\s#]+)['"]?\s*(?:#\s*(\S+))?/.exec(text)
    const ref = m?.[1] ?? ''
    if (ref === '' || ref.startsWith('./') || ref.startsWith('docker://')) continue
    // The suite's own actions, as users reference them, are pinned by the user's choice of tag.
    if (/^[^/]+\/devops-actions\/actions\//.test(ref)) continue
    const where = `${file}:${line}`
    const at = ref.lastIndexOf('@')
    const action = at < 0 ? ref : ref.slice(0, at)
    const sha = at < 0 ? '' : ref.slice(at + 1)
    const comment = m?.[2] ?? ''
    if (!/^[0-9a-f]{40}$/.test(sha) || !/^v\d+\.\d+\.\d+$/.test(comment)) {
      problems.push(`${where}: ${ref} is not pinned as <action>@<40-hex commit SHA> # vX.Y.Z`)
      continue
    }
    const rows = table[action] ?? []
    const row = rows.find((r) => r.sha === sha)
    if (row === undefined) {
      problems.push(
        `${where}: ${action}@${sha} (${comment}) is not in .github/pinned-actions.yml: read runs.using from its action.yml at that commit and add a row`,
      )
      continue
    }
    if (row.version !== comment) {
      problems.push(`${where}: ${action}@${sha} is ${row.version} (${row['read-from']}), not ${comment}`)
    }
    if (row['runs-using'] !== 'node24') {
      problems.push(
        `${where}: ${action} ${row.version} runs on ${row['runs-using']} (${row['read-from']}); pin a release on node24`,
      )
    }
    const newest = rows.reduce((best, r) => (newer(r.version, best.version) ? r : best), row)
    if (newest !== row) {
      problems.push(`${where}: ${action} ${row.version} is older than ${newest.version}, the newest recorded`)
    }
    const earlier = seen.get(action)
    if (earlier && earlier.sha !== sha) {
      problems.push(`${where}: ${action} is pinned at another commit than at ${earlier.where}`)
    }
    if (!earlier) seen.set(action, { sha, where })
  }
  return problems
}

const table = parse(readFileSync(join(root, '.github', 'pinned-actions.yml'), 'utf8')) as PinTable

test('every third-party pin is a recorded node24 release, the same everywhere', () => {
  const lines = usesLines(documents())
  // The scan reaches every place pins live: action.yml files, workflows, examples and READMEs.
  const files = new Set(lines.map((l) => l.file))
  for (const expected of [
    'actions/setup-django-test/action.yml',
    '.github/workflows/ci.yml',
    'examples/django-ecs.yml',
    'README.md',
    'actions/push-to-ecr/README.md',
  ]) {
    expect(files).toContain(expected)
  }
  expect(pinProblems(lines, table)).toEqual([])
})

test('every row of the table says where its runtime was read and is a full SHA', () => {
  for (const [action, rows] of Object.entries(table)) {
    for (const row of rows) {
      expect([action, row.version, /^[0-9a-f]{40}$/.test(row.sha)]).toEqual([action, row.version, true])
      expect([action, row.version, semver(row.version).length]).toEqual([action, row.version, 3])
      expect(row['runs-using']).toMatch(/^(node\d+|composite|docker)$/)
      expect(row['read-from']).toContain(row.version)
    }
  }
})

describe('pinProblems', () => {
  const sha = (c: string) => c.repeat(40)
  const rows: PinTable = {
    'acme/tool': [
      { version: 'v2.0.0', sha: sha('b'), 'runs-using': 'node24', 'read-from': 'action.yml at tag v2.0.0' },
      { version: 'v1.0.0', sha: sha('a'), 'runs-using': 'node20', 'read-from': 'action.yml at tag v1.0.0' },
    ],
    'acme/new': [
      { version: 'v1.1.0', sha: sha('c'), 'runs-using': 'node24', 'read-from': 'action.yml at tag v1.1.0' },
      { version: 'v1.2.0', sha: sha('d'), 'runs-using': 'node24', 'read-from': 'action.yml at tag v1.2.0' },
    ],
  }
  const check = (...texts: string[]) =>
    pinProblems(
      texts.map((text, i) => ({ file: 'w.yml', line: i + 1, text })),
      rows,
    )

  test.each([
    ['a recorded node24 release', `      - uses: acme/tool@${sha('b')} # v2.0.0`, []],
    ['a local action', '      - uses: ./actions/smoke-test', []],
    ['the suite itself, as users pin it', '      - uses: <owner>/devops-actions/actions/deploy@v1', []],
    [
      'a tag instead of a SHA',
      '      - uses: acme/tool@v2',
      ['w.yml:1: acme/tool@v2 is not pinned as <action>@<40-hex commit SHA> # vX.Y.Z'],
    ],
    [
      'a SHA without the version comment',
      `  uses: acme/tool@${sha('b')}`,
      [`w.yml:1: acme/tool@${sha('b')} is not pinned as <action>@<40-hex commit SHA> # vX.Y.Z`],
    ],
    [
      'a short SHA',
      '- uses: acme/tool@bbbbbbb # v2.0.0',
      ['w.yml:1: acme/tool@bbbbbbb is not pinned as <action>@<40-hex commit SHA> # vX.Y.Z'],
    ],
    [
      'a pin missing from the table',
      `- uses: acme/other@${sha('e')} # v3.0.0`,
      [
        `w.yml:1: acme/other@${sha('e')} (v3.0.0) is not in .github/pinned-actions.yml: read runs.using from its action.yml at that commit and add a row`,
      ],
    ],
    [
      'a node20 release',
      `- uses: acme/tool@${sha('a')} # v1.0.0`,
      [
        'w.yml:1: acme/tool v1.0.0 runs on node20 (action.yml at tag v1.0.0); pin a release on node24',
        'w.yml:1: acme/tool v1.0.0 is older than v2.0.0, the newest recorded',
      ],
    ],
    [
      'a comment naming another version than the SHA is',
      `- uses: acme/tool@${sha('b')} # v2.0.1`,
      [`w.yml:1: acme/tool@${sha('b')} is v2.0.0 (action.yml at tag v2.0.0), not v2.0.1`],
    ],
    [
      'an older node24 release than the newest recorded',
      `- uses: acme/new@${sha('c')} # v1.1.0`,
      ['w.yml:1: acme/new v1.1.0 is older than v1.2.0, the newest recorded'],
    ],
  ])('%s', (_name, text, expected) => {
    expect(check(text)).toEqual(expected)
  })

  test('one action pinned at two commits is reported where the second one is', () => {
    const problems = pinProblems(
      [
        { file: 'a.yml', line: 3, text: `- uses: acme/new@${sha('d')} # v1.2.0` },
        { file: 'b.md', line: 9, text: `- uses: acme/new@${sha('c')} # v1.1.0` },
      ],
      rows,
    )
    expect(problems).toContain('b.md:9: acme/new is pinned at another commit than at a.yml:3')
  })
})
