import { actionsCore, type ActionIO } from './io.js'
import { nodeHttpClient, type HttpClient } from '../http/client.js'
import { envInput, type GetInput } from './inputs.js'
import { realSleep, type Clock, type Sleep } from '../poll.js'

/**
 * The ports most actions' `run()` takes: the runner, its inputs, HTTP and time. An action's
 * `defaultDeps()` spreads `realPorts()` and adds what only it needs; tests pass fakes instead.
 */
export interface RunnerPorts {
  io: ActionIO
  getInput: GetInput
  http: HttpClient
  sleep: Sleep
  now: Clock
  random: () => number
}

/** The real ones: the only place besides an action's own defaultDeps() that touches the world. */
export function realPorts(): RunnerPorts {
  return {
    io: actionsCore(),
    getInput: envInput(),
    http: nodeHttpClient,
    sleep: realSleep,
    now: Date.now,
    random: Math.random,
  }
}
