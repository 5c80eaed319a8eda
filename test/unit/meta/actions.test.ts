// Every action's metadata is well formed, points at a bundle that exists, and declares exactly
// the inputs its source reads. (Third-party pins: pins.test.ts.)
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
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
    steps?: { uses?: string; run?: string; env?: Record<string, string> }[]
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
      const nodeStep = yml.runs.steps?.find((s) => s.run?.includes(`dist/${name}/index.js`))
      expect(nodeStep).toBeDefined()
      expect(existsSync(join(root, 'dist', name, 'index.js'))).toBe(true)
      // Every input reaches the node step as INPUT_<NAME>, as the runner would pass it to a node action.
      for (const input of Object.keys(yml.inputs ?? {})) {
        expect(nodeStep?.env?.[`INPUT_${input.toUpperCase()}`]).toBe(`\${{ inputs.${input} }}`)
      }
    } else {
      expect(yml.runs?.using).toBe('node24')
      expect(yml.runs?.main).toBe(`../../dist/${name}/index.js`)
      expect(existsSync(resolve(dir, yml.runs?.main ?? ''))).toBe(true)
      if (yml.runs?.post) expect(existsSync(resolve(dir, yml.runs.post))).toBe(true)
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
    const declared = new Set(Object.keys(yml.inputs ?? {}))
    expect({ readButNotDeclared: [...read].filter((n) => !declared.has(n)).sort() }).toEqual({
      readButNotDeclared: [],
    })
    expect({ declaredButNotRead: [...declared].filter((n) => !read.has(n)).sort() }).toEqual({
      declaredButNotRead: [],
    })
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
