// Every action's metadata is well formed, points at a bundle that exists, and declares exactly
// the inputs its source reads. (Third-party pins: pins.test.ts.)
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { ALL_INPUTS as DEPLOY_INPUTS } from '../../../src/deploy/names.js'
import { repoRoot } from '../../helpers/run-action.js'

const root = repoRoot()
const actions = readdirSync(join(root, 'actions')).filter((name) =>
  existsSync(join(root, 'actions', name, 'action.yml')),
)

interface ActionYml {
  name?: string
  description?: string
  branding?: { icon?: string; color?: string }
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>
  outputs?: Record<string, { description?: string; value?: string }>
  runs?: {
    using?: string
    main?: string
    post?: string
    steps?: { id?: string; uses?: string; run?: string; env?: Record<string, string> }[]
  }
}
const meta = (name: string) =>
  parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as ActionYml

/** Input names a source text reads: InputReader calls with a string literal, plus `exclusive(reader, 'a', 'b')`. */
function inputsReadIn(text: string): Set<string> {
  const names = new Set<string>()
  const reader =
    /\.(?:optional|required|raw|string|boolean|duration|optionalDuration|positiveInt|number|choice|list|lines|keyValues|url)\(\s*'([a-z0-9-]+)'/g
  const pair = /exclusive\(\s*\w+,\s*'([a-z0-9-]+)',\s*'([a-z0-9-]+)'/g
  for (const m of text.matchAll(reader)) names.add(m[1] ?? '')
  for (const m of text.matchAll(pair)) {
    names.add(m[1] ?? '')
    names.add(m[2] ?? '')
  }
  return names
}

const inputsReadBy = (files: string[]) =>
  new Set(files.flatMap((file) => [...inputsReadIn(readFileSync(file, 'utf8'))]))

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? tsFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  )
}

const unquote = (cell: string) => cell.replace(/^`([^`]*)`$/, '$1')

/** The first Markdown table under `## <title>`: its lower-cased header and its rows' cells. */
function readmeTable(text: string, title: string): { head: string[]; rows: string[][] } {
  const section = text.split(/^## /m).find((s) => s.startsWith(`${title}\n`)) ?? ''
  const lines = section.split('\n')
  const start = lines.findIndex((l) => l.startsWith('|'))
  const table: string[][] = []
  for (const line of lines.slice(Math.max(start, 0))) {
    if (!line.startsWith('|')) break
    table.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    )
  }
  const [head = [], , ...rows] = table
  return { head: head.map((h) => h.toLowerCase()), rows }
}

test('there are actions to check', () => {
  expect(actions).toContain('smoke-test')
})

describe.each(actions)('actions/%s/action.yml', (name) => {
  const yml = meta(name)

  test('has a name, description and branding', () => {
    expect(yml.name).toEqual(expect.any(String))
    expect(yml.description).toEqual(expect.any(String))
    expect(yml.branding?.icon).toEqual(expect.any(String))
    expect(yml.branding?.color).toEqual(expect.any(String))
  })

  test('runs on node24 (or is a composite that runs the node bundle) and its bundle exists', () => {
    const dir = join(root, 'actions', name)
    if (yml.runs?.using === 'composite') {
      expect(yml.runs.steps?.some((s) => s.run?.includes(`dist/${name}/index.js`))).toBe(true)
      expect(existsSync(join(root, 'dist', name, 'index.js'))).toBe(true)
    } else {
      expect(yml.runs?.using).toBe('node24')
      expect(yml.runs?.main).toBe(`../../dist/${name}/index.js`)
      expect(existsSync(resolve(dir, yml.runs?.main ?? ''))).toBe(true)
      if (yml.runs?.post) expect(existsSync(resolve(dir, yml.runs.post))).toBe(true)
    }
  })

  // A composite's run: steps get no INPUT_* from the runner (ScriptHandler only adds what env:
  // says), so each step that runs the bundle, which reads every input through parseInputs(), must
  // list each one as INPUT_<NAME> (the name @actions/core and src/lib/runner/inputs.ts read) and no other.
  test('a composite passes every declared input to each step that runs its bundle', () => {
    if (yml.runs?.using !== 'composite') return
    const nodeSteps = (yml.runs.steps ?? []).filter((s) => s.run?.includes(`dist/${name}/index.js`))
    const expected = Object.fromEntries(
      Object.keys(yml.inputs ?? {}).map((input) => [
        `INPUT_${input.toUpperCase()}`,
        `\${{ inputs.${input} }}`,
      ]),
    )
    for (const step of nodeSteps) {
      const given = Object.fromEntries(Object.entries(step.env ?? {}).filter(([k]) => k.startsWith('INPUT_')))
      expect({ step: step.id, env: given }).toEqual({ step: step.id, env: expected })
    }
  })

  test('every input and output has a description and inputs are kebab-case', () => {
    for (const [input, spec] of Object.entries(yml.inputs ?? {})) {
      expect([input, typeof spec.description]).toEqual([input, 'string'])
      expect(input).toMatch(/^[a-z][a-z0-9-]*$/)
    }
    for (const [output, spec] of Object.entries(yml.outputs ?? {})) {
      expect([output, typeof spec.description]).toEqual([output, 'string'])
    }
  })

  test('declares exactly the inputs its source reads', () => {
    const read = inputsReadBy(tsFiles(join(root, 'src', name)))
    // deploy reads most of its inputs through the phases' own parsers, under the names it maps.
    if (name === 'deploy') for (const input of DEPLOY_INPUTS) read.add(input)
    const declared = new Set(Object.keys(yml.inputs ?? {}))
    expect({ readButNotDeclared: [...read].filter((n) => !declared.has(n)).sort() }).toEqual({
      readButNotDeclared: [],
    })
    expect({ declaredButNotRead: [...declared].filter((n) => !read.has(n)).sort() }).toEqual({
      declaredButNotRead: [],
    })
  })

  test('its README tables list the inputs and outputs of action.yml, in order, with their defaults', () => {
    const text = readFileSync(join(root, 'actions', name, 'README.md'), 'utf8')
    const inputs = readmeTable(text, 'Inputs')
    const nameColumn = inputs.head.findIndex((h) => h === 'name' || h === 'input')
    const defaultColumn = inputs.head.indexOf('default')
    const requiredColumn = inputs.head.indexOf('required')
    const names = inputs.rows.map((r) => unquote(r[nameColumn] ?? ''))
    expect(names).toEqual(Object.keys(yml.inputs ?? {}))
    const problems: string[] = []
    for (const row of inputs.rows) {
      const input = unquote(row[nameColumn] ?? '')
      const spec = yml.inputs?.[input]
      const declared = spec?.default === undefined ? '' : String(spec.default)
      const cell = defaultColumn >= 0 ? (row[defaultColumn] ?? '') : undefined
      // A declared default appears as itself; without one the cell may say what the code computes.
      if (cell !== undefined && declared !== '' && unquote(cell) !== declared)
        problems.push(
          `${input}: README default ${JSON.stringify(cell)}, action.yml ${JSON.stringify(declared)}`,
        )
      if (requiredColumn >= 0 && (row[requiredColumn] === 'yes') !== (spec?.required === true))
        problems.push(`${input}: README required ${row[requiredColumn]}, action.yml ${spec?.required}`)
    }
    expect(problems).toEqual([])
    const outputs = readmeTable(text, 'Outputs')
    expect(outputs.rows.map((r) => unquote(r[0] ?? ''))).toEqual(Object.keys(yml.outputs ?? {}))
  })

  test('its README documents every input and output', () => {
    const readme = join(root, 'actions', name, 'README.md')
    expect(existsSync(readme)).toBe(true)
    const text = readFileSync(readme, 'utf8')
    const missing = [...Object.keys(yml.inputs ?? {}), ...Object.keys(yml.outputs ?? {})].filter(
      (n) => !text.includes(`\`${n}\``),
    )
    expect(missing).toEqual([])
  })
})

test('all JavaScript actions use the same Node version', () => {
  const runtimes = new Set(actions.map((name) => meta(name).runs?.using).filter((u) => u !== 'composite'))
  expect([...runtimes]).toEqual(['node24'])
})

test('the input scanner finds reader calls over several lines and exclusive pairs', () => {
  const text = `
    const a = input.optional('base-url')
    const b = input.duration(
      'bake-time', '5m')
    exclusive(input, 'commit-id', 'image-url')
    const c = get('not-through-the-reader')
  `
  expect([...inputsReadIn(text)].sort()).toEqual(['bake-time', 'base-url', 'commit-id', 'image-url'])
})
