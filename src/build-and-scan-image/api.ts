// build-and-scan-image's public face: the only module of this action another action (deploy) imports.
import type { BuildAndScanImagePorts } from './deps.js'
import type { BuildAndScanImageOptions } from './options.js'
import type { BuildAndScanImageResult } from './result.js'

export type {
  BuildAndScanImageParseContext,
  BuildAndScanImagePorts,
  Deps as BuildAndScanImageDeps,
} from './deps.js'
export { defaultDeps as defaultBuildAndScanImageDeps } from './deps.js'
export type { BuildAndScanImageOptions } from './options.js'
export { parseBuildAndScanImageOptions } from './options.js'
export type { BuildAndScanImageOutput, BuildAndScanImageResult, ScanResult } from './result.js'
export { buildAndScanImageOutputs } from './result.js'
export { deriveTags } from './tags.js'
export { maskBuildSecrets } from './build-secrets.js'

/**
 * Builds, scans and (when asked) pushes the image. The steps' code (and through it @actions/github,
 * the cache and the tool cache) loads only now, so a misconfigured step fails without loading it.
 */
export async function runBuildAndScanImage(
  ports: BuildAndScanImagePorts,
  options: BuildAndScanImageOptions,
): Promise<BuildAndScanImageResult> {
  const { buildAndScanImage } = await import('./run.js')
  return buildAndScanImage(ports, options)
}
