// Builds one ncc bundle per action: src/<name>/index.ts -> dist/<name>/index.js (+ package.json,
// licenses.txt). Pass action names to build only those. An action's src/<name>/python/ folder (code
// the action runs with the user's interpreter) is copied to dist/<name>/python/.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const ncc = join(root, 'node_modules', '.bin', 'ncc')
const all = readdirSync(join(root, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'src', d.name, 'index.ts')))
  .map((d) => d.name)
const wanted = process.argv.slice(2)
const names = wanted.length > 0 ? wanted : all

for (const name of names) {
  if (!all.includes(name))
    throw new Error(`No action '${name}' (src/${name}/index.ts missing); known: ${all.join(', ')}`)
  const out = join(root, 'dist', name)
  rmSync(out, { recursive: true, force: true })
  execFileSync(
    ncc,
    [
      'build',
      join('src', name, 'index.ts'),
      '-o',
      out,
      '--license',
      'licenses.txt',
      '--target',
      'es2022',
      '--minify',
      '--quiet',
    ],
    { cwd: root, stdio: 'inherit' },
  )
  const python = join(root, 'src', name, 'python')
  if (existsSync(python))
    cpSync(python, join(out, 'python'), { recursive: true, filter: (src) => !src.includes('__pycache__') })
  console.log(`built dist/${name}`)
}
