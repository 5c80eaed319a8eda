// Builds one ncc bundle per action: src/<name>/index.ts -> dist/<name>/index.js (+ package.json,
// licenses.txt). Pass action names to build only those. An action's src/<name>/python/ folder (code
// the action runs with the user's interpreter) is copied to dist/<name>/python/.
// ncc's --minify covers only index.js; the chunks it splits off for dynamic imports (the AWS SDK,
// the YAML parser) are minified here, which roughly halves them.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { minify } from 'terser'

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
  for (const chunk of readdirSync(out).filter((file) => /^\d+\.index\.js$/.test(file))) {
    const path = join(out, chunk)
    const result = await minify(readFileSync(path, 'utf8'), { module: true, format: { comments: false } })
    if (result.code === undefined) throw new Error(`terser produced nothing for dist/${name}/${chunk}`)
    writeFileSync(path, result.code)
  }
  const python = join(root, 'src', name, 'python')
  if (existsSync(python))
    cpSync(python, join(out, 'python'), { recursive: true, filter: (src) => !src.includes('__pycache__') })
  console.log(`built dist/${name}`)
}
