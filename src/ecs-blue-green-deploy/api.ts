// The public face of ecs-blue-green-deploy: the one module another action (deploy) imports.
//
//   const options = await parseEcsDeployOptions(getInput, { readFile, env })
//   const result = await runEcsDeploy(ports, options)
//   await reportStep(io, { outputs: ecsDeployOutputs(result), summary: result.summary, failure: result.failure })
//
// A pipeline that builds the image first parses with `imageFromPipeline: true` and sets `image`
// on the options once the image exists.
export { createEcsApi, type EcsApi } from './ecs-api.js'
export type { Deps as EcsDeployDeps, EcsDeployPorts } from './deps.js'
export {
  parseEcsDeployOptions,
  type EcsDeployOptions,
  type EcsParseContext,
  type ReadFile,
} from './options.js'
export type { DeploymentRecord } from './report.js'
export { ecsDeployOutputs, type EcsDeployOutput, type EcsDeployResult } from './result.js'
export { runEcsDeploy } from './run.js'
