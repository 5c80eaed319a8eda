import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** The few file operations the action needs; tests pass an in-memory tree. */
export interface ProjectFs {
  /** Writes a file the action generates (a coverage config for parallel runs), making its folder. */
  writeText(path: string, text: string): void
  /** The file's text, or undefined when it does not exist or is not a file. */
  readText(path: string): string | undefined
  /** Entries of a directory; [] when it does not exist. */
  list(dir: string): { name: string; isDirectory: boolean }[]
}

export const nodeProjectFs: ProjectFs = {
  writeText: (path, text) => {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text, 'utf8')
  },
  readText: (path) => {
    try {
      return readFileSync(path, 'utf8')
    } catch {
      return undefined
    }
  },
  list: (dir) => {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((e) => ({
        name: e.name,
        isDirectory: e.isDirectory(),
      }))
    } catch {
      return []
    }
  },
}

/**
 * The value of `key` in an INI `[section]` (pytest.ini, setup.cfg, tox.ini) or a TOML table
 * (pyproject.toml's `[tool.pytest.ini_options]`), with TOML quotes removed; undefined if absent.
 */
export function configValue(text: string, section: string, key: string): string | undefined {
  let inSection = false
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line.startsWith('[')) {
      inSection = line.replace(/\s+/g, '') === `[${section}]`
      continue
    }
    if (!inSection || line.startsWith('#') || line.startsWith(';')) continue
    const match = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(line)
    if (match && match[1] === key) {
      const value = (match[2] ?? '').replace(/\s+#.*$/, '').trim()
      return value.replace(/^(["'])(.*)\1$/, '$2')
    }
  }
  return undefined
}

/** Whether an INI/TOML text has the section at all. */
export function hasSection(text: string, section: string): boolean {
  return text.split(/\r?\n/).some((line) => line.trim().replace(/\s+/g, '') === `[${section}]`)
}
