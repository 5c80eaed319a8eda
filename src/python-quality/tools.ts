import type { ExecResult } from '../lib/process/exec.js'
import { parseBandit } from './bandit.js'
import { parseBlack } from './black.js'
import type { ParsedOutput, Tool } from './finding.js'
import { FLAKE8_FORMAT, parseFlake8 } from './flake8.js'
import { parseIsort } from './isort.js'
import { parsePylint, pylintFailed } from './pylint.js'
import { parseRuff } from './ruff.js'

/** How python-quality runs one tool: `python -m <module> <args>`, in the working directory. */
export interface ToolSpec {
  /** The module `python -m` runs, and the package pip installs. */
  module: string
  pipPackage: string
  debianPackage: string
  /** The arguments after `-m <module>`; `config` is the file the tool was found configured in. */
  args(config: string | undefined): string[]
  /** True when the exit code says the tool itself failed, not that it found something. */
  failed(exitCode: number): boolean
  parse(result: ExecResult, cwd: string): ParsedOutput
}

const zeroOrOne = (code: number) => code !== 0 && code !== 1

// Each tool reads its own configuration from the working directory (black and isort from
// pyproject.toml, flake8 from .flake8/setup.cfg/tox.ini, bandit from .bandit): only bandit must be
// pointed at pyproject.toml, which it reads only with -c.
export const TOOL_SPECS: Record<Tool, ToolSpec> = {
  black: {
    module: 'black',
    pipPackage: 'black',
    debianPackage: 'black',
    args: () => ['--check', '--diff', '--no-color', '.'],
    failed: (code) => code !== 0 && code !== 1 && code !== 123,
    parse: (r, cwd) => parseBlack(r.stdout, r.stderr, cwd),
  },
  isort: {
    module: 'isort',
    pipPackage: 'isort',
    debianPackage: 'isort',
    args: () => ['--check-only', '--diff', '.'],
    failed: zeroOrOne,
    parse: (r, cwd) => parseIsort(r.stdout, r.stderr, cwd),
  },
  flake8: {
    module: 'flake8',
    pipPackage: 'flake8',
    debianPackage: 'flake8',
    args: () => ['--format', FLAKE8_FORMAT, '.'],
    failed: zeroOrOne,
    parse: (r, cwd) => parseFlake8(r.stdout, cwd),
  },
  ruff: {
    module: 'ruff',
    pipPackage: 'ruff',
    debianPackage: 'ruff',
    args: () => ['check', '--output-format', 'json', '--no-fix', '.'],
    failed: zeroOrOne,
    parse: (r, cwd) => parseRuff(r.stdout, cwd),
  },
  pylint: {
    module: 'pylint',
    pipPackage: 'pylint',
    debianPackage: 'pylint',
    args: () => ['--output-format=json', '--recursive=y', '.'],
    failed: pylintFailed,
    parse: (r, cwd) => parsePylint(r.stdout, cwd),
  },
  bandit: {
    module: 'bandit',
    pipPackage: 'bandit',
    debianPackage: 'python3-bandit',
    args: (config) => [
      '-r',
      '.',
      '-f',
      'json',
      '-q',
      ...(config?.startsWith('pyproject.toml') ? ['-c', 'pyproject.toml'] : []),
    ],
    failed: zeroOrOne,
    parse: (r, cwd) => parseBandit(r.stdout, cwd),
  },
}
