import { posix } from 'node:path'
import type { ProjectFs } from '../../../src/setup-django-test/project-fs.js'

/** An in-memory project tree: paths (relative to `root`) to file contents. */
export function memoryFs(
  files: Record<string, string>,
  root = '/repo',
): ProjectFs & { files: Map<string, string> } {
  const map = new Map(Object.entries(files).map(([path, text]) => [posix.join(root, path), text]))
  return {
    files: map,
    writeText: (path, text) => void map.set(posix.normalize(path), text),
    readText: (path) => map.get(posix.normalize(path)),
    list: (dir) => {
      const prefix = `${posix.normalize(dir).replace(/\/$/, '')}/`
      const entries = new Map<string, boolean>()
      for (const path of map.keys()) {
        if (!path.startsWith(prefix)) continue
        const [first, ...rest] = path.slice(prefix.length).split('/')
        if (first) entries.set(first, rest.length > 0 || (entries.get(first) ?? false))
      }
      return [...entries].map(([name, isDirectory]) => ({ name, isDirectory }))
    },
  }
}
