// setup-django-test's public face: the one module of this action another may import.
export type { SetupDjangoTestPorts, ParseContext, PlanPorts } from './deps.js'
export type { SetupDjangoTestOptions } from './options.js'
export { maskSetupDjangoTestSecrets, parseSetupDjangoTestOptions } from './options.js'
export type { PlanOutput, PlannedCache, SetupDjangoTestPlan } from './plan-phase.js'
export { planOutputs, planSetupDjangoTest } from './plan-phase.js'
export type { SetupDjangoTestOutput, SetupDjangoTestResult } from './result.js'
export { setupDjangoTestOutputs } from './result.js'
export { runSetupDjangoTest } from './run.js'
