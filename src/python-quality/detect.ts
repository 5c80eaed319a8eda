import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Tool } from './finding.js'

/** A tool the project configures, and where: `pyproject.toml [tool.black]`, `.flake8`. */
export interface Configured {
  tool: Tool
  config: string
}

/** Whether a TOML or INI text has a section `[name]` or `[name.<sub>]` (a header line; no parser needed for that). */
function hasSection(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^\\s*\\[\\s*${escaped}\\s*(\\]|\\.)`, 'm').test(text)
}

const read = (dir: string, file: string): string | undefined => {
  const path = join(dir, file)
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined
}

/** Where each tool's configuration can live, in the order each tool itself looks. */
const PLACES: Record<Tool, { file: string; section?: string }[]> = {
  black: [{ file: 'pyproject.toml', section: 'tool.black' }],
  isort: [
    { file: '.isort.cfg' },
    { file: 'pyproject.toml', section: 'tool.isort' },
    { file: 'setup.cfg', section: 'isort' },
    { file: 'setup.cfg', section: 'tool:isort' },
    { file: 'tox.ini', section: 'isort' },
    { file: 'tox.ini', section: 'tool:isort' },
  ],
  flake8: [
    { file: '.flake8' },
    { file: 'setup.cfg', section: 'flake8' },
    { file: 'tox.ini', section: 'flake8' },
  ],
  ruff: [{ file: 'ruff.toml' }, { file: '.ruff.toml' }, { file: 'pyproject.toml', section: 'tool.ruff' }],
  pylint: [
    { file: '.pylintrc' },
    { file: 'pylintrc' },
    { file: 'pyproject.toml', section: 'tool.pylint' },
    { file: 'setup.cfg', section: 'pylint' },
    { file: 'tox.ini', section: 'pylint' },
  ],
  bandit: [{ file: '.bandit' }, { file: 'pyproject.toml', section: 'tool.bandit' }],
}

/** The tools a project configures, from its configuration files in `dir`, in TOOLS order. */
export function detectTools(dir: string): Configured[] {
  const texts = new Map<string, string | undefined>()
  const text = (file: string) => {
    if (!texts.has(file)) texts.set(file, read(dir, file))
    return texts.get(file)
  }
  const found: Configured[] = []
  for (const [tool, places] of Object.entries(PLACES) as [Tool, (typeof PLACES)[Tool]][]) {
    const place = places.find(({ file, section }) => {
      const content = text(file)
      return content !== undefined && (section === undefined || hasSection(content, section))
    })
    if (place) found.push({ tool, config: place.section ? `${place.file} [${place.section}]` : place.file })
  }
  return found
}
