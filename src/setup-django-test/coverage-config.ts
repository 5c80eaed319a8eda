import { join } from 'node:path'
import { hasSection, type ProjectFs } from './project-fs.js'

/** Whether the project configures coverage.py itself (then its `source`/`omit` are respected). */
export function hasCoverageConfig(fs: ProjectFs, dir: string): boolean {
  if (fs.readText(join(dir, '.coveragerc')) !== undefined) return true
  const sections: [string, string][] = [
    ['setup.cfg', 'coverage:run'],
    ['tox.ini', 'coverage:run'],
    ['pyproject.toml', 'tool.coverage.run'],
  ]
  return sections.some(([file, section]) => hasSection(fs.readText(join(dir, file)) ?? '', section))
}
