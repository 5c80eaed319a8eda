/**
 * The smoke engine: HTTP checks parsed from the smoke-test forms (`url`, `checks`), run with
 * retries until a deadline, and reported as a job-summary table and one failure line. smoke-test
 * runs it on its own, ecs-blue-green-deploy as its test-traffic gate, deploy after a rollout.
 * This file is its one entry: nothing outside src/lib/smoke/ imports the files behind it.
 */
export { checksFromData, parseChecks, urlCheck, type Check, type CheckDefaults } from './checks.js'
export { parseHeaderLines, parseMethod, parseRegex, resolveCheckUrl } from './fields.js'
export { parseStatusSet, type StatusSet } from './status.js'
export { evaluate } from './evaluate.js'
export {
  retryDelay,
  runCheck,
  runChecks,
  type CheckResult,
  type EngineDeps,
  type EngineOptions,
} from './engine.js'
export { failureLine, resultsSummary } from './report.js'
export { jsonEqual, valueAtPath } from './json-path.js'
export {
  DEFAULT_LOAD_CONCURRENCY,
  loadField,
  parsePercent,
  parseRate,
  type LoadBudgets,
  type LoadSpec,
} from './load-spec.js'
export { runLoad, type LoadDeps, type LoadResult, type LoadSettings } from './load.js'
export { bar, histogram, latencyStats, percentile, type LatencyStats } from './distribution.js'
export { budgetMisses, loadLine, loadSection } from './load-report.js'
