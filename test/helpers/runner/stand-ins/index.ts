import { cacheStandIns } from './cache.js'
import { setupPythonStandIn } from './setup-python.js'
import type { StandIn } from './types.js'

export type { StandIn, StandInIO, StandInJob, StandInRun } from './types.js'
export { standInIO } from './types.js'
export { fillPythonToolCache } from './setup-python.js'

/** The third-party actions this repository's action.yml files use, by owner/repo[/path]. */
export const defaultStandIns: readonly StandIn[] = [...cacheStandIns, setupPythonStandIn]
