// `npm run demo`: runs the suite's main job on this machine with the committed bundles, exactly
// as the runner runs them. See scripts/demo/main.ts.
import { pathToFileURL } from 'node:url'
import { compileScripts } from './compile-scripts.mjs'

const compiled = compileScripts()
const { main } = await import(pathToFileURL(compiled('scripts/demo/main.ts')).href)
process.exitCode = await main()
