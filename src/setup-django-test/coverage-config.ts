import { isAbsolute, join } from 'node:path'
import { configValue, type ProjectFs } from './project-fs.js'

export interface CoverageConfig {
  /** The file coverage.py reads its settings from, relative to the project folder (or absolute). */
  file: string
  /** Whether its `[run]` section says what to measure (`source`, `source_pkgs` or `include`). */
  choosesFiles: boolean
}

/** Where each config file keeps coverage.py's `[run]` settings (coverage/config.py). */
const CANDIDATES: { file: string; sections: string[]; marker: RegExp }[] = [
  { file: '.coveragerc', sections: ['run', 'coverage:run'], marker: /(?:)/ },
  { file: 'setup.cfg', sections: ['coverage:run'], marker: /^\s*\[coverage:/m },
  { file: 'tox.ini', sections: ['coverage:run'], marker: /^\s*\[coverage:/m },
  { file: 'pyproject.toml', sections: ['tool.coverage.run'], marker: /^\s*\[tool\.coverage[.\]]/m },
]

/**
 * The coverage.py configuration `coverage run` would use in `dir`, found as coverage.py finds
 * it: COVERAGE_RCFILE, else the first of .coveragerc (always), setup.cfg, tox.ini and
 * pyproject.toml that has coverage sections. Undefined when the project has none.
 */
export function findCoverageConfig(
  fs: ProjectFs,
  dir: string,
  env: NodeJS.ProcessEnv = {},
): CoverageConfig | undefined {
  const rcfile = env.COVERAGE_RCFILE?.trim()
  const candidates = rcfile
    ? [{ file: rcfile, sections: ['run', 'coverage:run', 'tool.coverage.run'], marker: /(?:)/ }]
    : CANDIDATES
  for (const candidate of candidates) {
    const text = fs.readText(isAbsolute(candidate.file) ? candidate.file : join(dir, candidate.file))
    if (text === undefined || !candidate.marker.test(text)) continue
    const choosesFiles = candidate.sections.some((section) =>
      ['source', 'source_pkgs', 'include'].some((key) => configValue(text, section, key) !== undefined),
    )
    return { file: candidate.file, choosesFiles }
  }
  return undefined
}
