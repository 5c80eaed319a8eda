import { readFileSync } from 'node:fs'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'
import { createEcsApi, type EcsApi } from './ecs-api.js'
import type { ReadFile } from './options.js'

export interface Deps extends RunnerPorts {
  /** Reads the `task-definition` file. */
  readFile: ReadFile
  /** The ECS API for a region; the SDK is loaded when this is first called, after the inputs are valid. */
  ecs: (region: string) => Promise<EcsApi>
}

export function defaultDeps(): Deps {
  const ports = realPorts()
  return {
    ...ports,
    readFile: (path) => readFileSync(path, 'utf8'),
    ecs: (region) => createEcsApi(region, ports.env),
  }
}

/** What a run needs of the ports once its options are parsed. */
export type EcsDeployPorts = Pick<Deps, 'io' | 'ecs' | 'http' | 'sleep' | 'now' | 'random'>
