import { nodeHttpClient, type HttpClient } from '../http/client.js'
import { realSleep, type Clock, type Sleep } from '../poll.js'
import { exec as realExec, type Exec } from '../process/exec.js'
import { envInput, type GetInput } from './inputs.js'
import { actionsCore, type ActionIO } from './io.js'

/**
 * The ports every action's `run()` is built on: the runner, its inputs and environment,
 * processes, HTTP and time. An action's `Deps` (its deps.ts) extends this with what only it
 * needs; `defaultDeps()` spreads `realPorts()`. Tests pass fakes instead.
 */
export interface RunnerPorts {
  io: ActionIO
  getInput: GetInput
  /** The step's environment (read through this port, never `process.env`). */
  env: NodeJS.ProcessEnv
  exec: Exec
  http: HttpClient
  sleep: Sleep
  /** Milliseconds since the epoch: the one clock type of the suite. */
  now: Clock
  random: () => number
}

/** The real ones: the only place besides an action's own defaultDeps() that touches the world. */
export function realPorts(): RunnerPorts {
  return {
    io: actionsCore(),
    getInput: envInput(),
    env: process.env,
    exec: realExec,
    http: nodeHttpClient,
    sleep: realSleep,
    now: Date.now,
    random: Math.random,
  }
}
