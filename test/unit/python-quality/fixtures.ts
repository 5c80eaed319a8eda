import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ExecResult } from '../../../src/lib/process/exec.js'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '../../..')
export const fixtures = join(repoRoot, 'test', 'fixtures', 'python-quality')
/** Where scripts/python-quality/fixture-outputs.sh ran the tools, as the outputs name it. */
export const SHOWN = '/home/runner/work/shop/shop'

export type Project = 'findings' | 'clean'
export type FixtureTool = 'black' | 'isort' | 'flake8' | 'pylint' | 'bandit'

/** A real run of Debian's tool on a fixture project, as an exec result. */
export function realRun(project: Project, tool: FixtureTool): ExecResult {
  const read = (ext: string) => readFileSync(join(fixtures, 'outputs', project, `${tool}.${ext}`), 'utf8')
  const stderr = read('stderr')
  return { exitCode: Number(read('exit').trim()), stdout: read('stdout'), stderr, stderrTail: stderr }
}
