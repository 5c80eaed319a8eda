// python-quality's public face: the only module of this action another action (deploy) may import.
import type { PythonQualityPorts } from './deps.js'
import type { PythonQualityOptions } from './options.js'
import type { PythonQualityResult } from './result.js'

export type { Deps as PythonQualityDeps, PythonQualityParseContext, PythonQualityPorts } from './deps.js'
export { defaultDeps as defaultPythonQualityDeps } from './deps.js'
export type { PythonQualityOptions } from './options.js'
export { parsePythonQualityOptions } from './options.js'
export type { PythonQualityOutput, PythonQualityResult } from './result.js'
export { pythonQualityOutputs } from './result.js'

/**
 * Runs the tools and the audit. Their code (and through it the tool cache and @actions/cache)
 * loads only now, so a misconfigured step fails without loading it.
 */
export async function runPythonQuality(
  ports: PythonQualityPorts,
  options: PythonQualityOptions,
): Promise<PythonQualityResult> {
  const { pythonQuality } = await import('./run.js')
  return pythonQuality(ports, options)
}
