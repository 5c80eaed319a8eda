import type { BuildAndScanImagePorts } from './deps.js'
import type { Instruction } from './dockerfile.js'
import type { BuildAndScanImageOptions } from './options.js'
import type { BuildFacts } from './result.js'
import type { SourceDate } from './source-date.js'

/** One run of the steps: what each step reads, and the facts they record for the result. */
export interface BuildRun {
  ports: BuildAndScanImagePorts
  options: BuildAndScanImageOptions
  dockerfileText: string
  instructions: readonly Instruction[]
  /** Full references, `name:tag`, the image is tagged with. */
  references: readonly string[]
  labels: Record<string, string>
  /** The image's timestamps: the commit's time when there is a checkout. */
  sourceDate: SourceDate
  facts: BuildFacts
}
