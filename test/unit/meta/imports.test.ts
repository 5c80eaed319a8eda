import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { repoRoot } from '../../helpers/run-action.js'

// The import graph of src/: no circles (type-only ones included: they are a sign that a type
// lives in the wrong file), and an action uses another action only through its api.ts.
const root = repoRoot()
const src = join(root, 'src')

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return tsFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

const SPECIFIER = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g

/** Each src file with the src files it imports (statically, dynamically or for types). */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const targets = [...text.matchAll(SPECIFIER)].map((m) =>
      resolve(dirname(file), (m[1] ?? m[2] ?? '').replace(/\.js$/, '.ts')),
    )
    graph.set(file, targets)
  }
  return graph
}

/** Every elementary circle found by a depth-first walk, each named from its first file. */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>()
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (node: string) => {
    state.set(node, 'open')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const circle = stack.slice(stack.indexOf(next))
        const start = circle.indexOf([...circle].sort()[0] as string)
        const canonical = [...circle.slice(start), ...circle.slice(0, start)]
        found.set(canonical.join(' -> '), canonical)
      } else if (!state.has(next) && graph.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return [...found.values()]
}

const files = tsFiles(src)
const graph = importGraph(files)
const name = (file: string) => relative(src, file).split('\\').join('/')

test('the cycle finder sees a circle through type-only and dynamic imports', () => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ])
  expect(cycles(g)).toEqual([['a', 'b', 'c']])
  expect(
    [..."import type { X } from './x.js'\nconst m = await import('./y.js')".matchAll(SPECIFIER)].map(
      (m) => m[1] ?? m[2],
    ),
  ).toEqual(['./x.js', './y.js'])
})

test('src/ has no import circles', () => {
  expect(cycles(graph).map((c) => c.map(name).join(' -> '))).toEqual([])
})

// Modules reshaped to one public entry (issue 18): from outside its folder, each is imported only
// through that entry. The other actions join this list as they are reshaped.
const PUBLIC_ENTRIES: Record<string, string> = {
  'lib/smoke/': 'lib/smoke/index.ts',
  'render-deploy/': 'render-deploy/api.ts',
  'smoke-test/': 'smoke-test/api.ts',
  'python-quality/': 'python-quality/api.ts',
}

test('the smoke engine, smoke-test, render-deploy and python-quality are imported only through their public entry', () => {
  const offending: string[] = []
  for (const [file, targets] of graph) {
    for (const target of targets.map(name)) {
      for (const [folder, entry] of Object.entries(PUBLIC_ENTRIES)) {
        if (target.startsWith(folder) && !name(file).startsWith(folder) && target !== entry)
          offending.push(`${name(file)} -> ${target}`)
      }
    }
  }
  expect(offending).toEqual([])
})

// Every action is in the shape (issue 18): another action is reached only through its api.ts.
const ACTIONS = readdirSync(src, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'lib')
  .map((entry) => entry.name)

/** Each import of one action's module by another action's, other than the api.ts. */
export function crossActionImports(g: Map<string, string[]>, actions: readonly string[]): string[] {
  const actionOf = (file: string) => actions.find((action) => name(file).startsWith(`${action}/`))
  const offending: string[] = []
  for (const [file, targets] of g) {
    const from = actionOf(file)
    if (from === undefined) continue
    for (const target of targets) {
      const to = actionOf(target)
      if (to !== undefined && to !== from && name(target) !== `${to}/api.ts`)
        offending.push(`${name(file)} -> ${name(target)}`)
    }
  }
  return offending
}

test('no action imports a module of another action but its api.ts', () => {
  expect(ACTIONS).toEqual(expect.arrayContaining(['deploy', 'push-to-ecr', 'smoke-test']))
  expect(crossActionImports(graph, ACTIONS)).toEqual([])
})

test('src/deploy reaches the actions it composes only through their api.ts, and reaches them all', () => {
  const composed = new Set<string>()
  for (const [file, targets] of graph) {
    if (!name(file).startsWith('deploy/')) continue
    for (const target of targets.map(name)) {
      const action = ACTIONS.find((a) => a !== 'deploy' && target.startsWith(`${a}/`))
      if (action === undefined) continue
      expect(`${name(file)} -> ${target}`).toBe(`${name(file)} -> ${action}/api.ts`)
      composed.add(action)
    }
  }
  expect([...composed].sort()).toEqual([
    'build-and-scan-image',
    'ecs-blue-green-deploy',
    'push-to-ecr',
    'render-deploy',
    'smoke-test',
  ])
})

test('the cross-action check sees a back-room import', () => {
  const file = (path: string) => join(src, path)
  const g = new Map([
    [file('deploy/run.ts'), [file('push-to-ecr/push.ts'), file('push-to-ecr/api.ts'), file('lib/retry.ts')]],
    [file('push-to-ecr/api.ts'), [file('push-to-ecr/push.ts')]],
  ])
  expect(crossActionImports(g, ['deploy', 'push-to-ecr'])).toEqual(['deploy/run.ts -> push-to-ecr/push.ts'])
})
