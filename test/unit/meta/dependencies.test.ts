// package.json's `dependencies` are exactly the packages src/ imports: nothing declared that no
// bundle uses, nothing bundled that is not declared (and so not pinned or license-reviewed).
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { repoRoot } from '../../helpers/run-action.js'

const root = repoRoot()

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  )
}

/** The package a module specifier names: `@scope/name` or `name`, or undefined for a relative path or a builtin. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined
  const parts = specifier.split('/')
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '')
  return builtinModules.includes(name) ? undefined : name
}

/** Module specifiers of static imports and re-exports, dynamic import() calls, and type-only imports. */
export function specifiersIn(text: string): string[] {
  const found: string[] = []
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?\sfrom\s+'([^']+)'/gm)) found.push(m[1] ?? '')
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) found.push(m[1] ?? '')
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push(m[1] ?? '')
  return found
}

test('specifiers and package names are read as the bundler reads them', () => {
  expect(
    specifiersIn(
      [
        "import * as core from '@actions/core'",
        "import type { context } from '@actions/github'",
        "export { x } from './x.js'",
        "import {\n  a,\n  b,\n} from 'yaml'",
        "  const cache = await import('@actions/cache')",
        "import 'side-effect'",
      ].join('\n'),
    ),
  ).toEqual(['@actions/core', '@actions/github', './x.js', 'yaml', 'side-effect', '@actions/cache'])
  expect(packageOf('@aws-sdk/client-ecs')).toBe('@aws-sdk/client-ecs')
  expect(packageOf('@actions/http-client/lib/auth')).toBe('@actions/http-client')
  expect(packageOf('yaml')).toBe('yaml')
  expect(packageOf('node:fs')).toBeUndefined()
  expect(packageOf('fs')).toBeUndefined()
  expect(packageOf('../lib/exec.js')).toBeUndefined()
})

test("package.json's dependencies are exactly what src/ imports", () => {
  const used = new Set(
    sourceFiles(join(root, 'src'))
      .flatMap((file) => specifiersIn(readFileSync(file, 'utf8')))
      .map(packageOf)
      .filter((name): name is string => name !== undefined),
  )
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
  }
  const declared = new Set(Object.keys(manifest.dependencies ?? {}))
  expect({ declaredButUnused: [...declared].filter((name) => !used.has(name)).sort() }).toEqual({
    declaredButUnused: [],
  })
  expect({ usedButUndeclared: [...used].filter((name) => !declared.has(name)).sort() }).toEqual({
    usedButUndeclared: [],
  })
})
