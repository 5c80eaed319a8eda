// Used by .github/workflows/release.yml: `node scripts/release.mjs v1.2.3 --notes notes.md`.
// See scripts/release/main.ts.
import { pathToFileURL } from 'node:url'
import { compileScripts } from './compile-scripts.mjs'

const compiled = compileScripts()
const { main } = await import(pathToFileURL(compiled('scripts/release/main.ts')).href)
process.exitCode = main(process.argv.slice(2))
