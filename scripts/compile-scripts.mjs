// Compiles the TypeScript under scripts/ (bench modules, the demo) and what it imports from
// test/ and src/ into node_modules/.cache/scripts, and returns the path of a compiled module.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

export const root = new URL('..', import.meta.url).pathname

export function compileScripts() {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.scripts.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  return (relative) => join(root, 'node_modules', '.cache', 'scripts', relative.replace(/\.ts$/, '.js'))
}
