// `node scripts/fake.mjs <ecr|ecs|render> [options]`: starts a test fake on its own and prints its
// URL and credentials (`--help` lists the options). See scripts/fakes/serve.ts.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { compileScripts, root } from './compile-scripts.mjs'

const argv = process.argv.slice(2)
// A detached fake is this same command run again with --child: the scripts are compiled already.
const compiled = argv.includes('--child')
  ? join(root, 'node_modules', '.cache', 'scripts', 'scripts', 'fakes', 'serve.js')
  : compileScripts()('scripts/fakes/serve.ts')
const { main } = await import(pathToFileURL(compiled).href)
const code = await main(argv, new URL(import.meta.url).pathname)
// A foreground or child fake has returned after SIGINT/SIGTERM; exit even if a socket lingers.
process.exit(code)
