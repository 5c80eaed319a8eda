// `node scripts/fake.mjs <ecr|ecs|render> [options]`: starts one of the test fakes (test/fakes/)
// on its own and prints how to reach it, for trying an action by hand or for a workflow step
// (.github/workflows/self-test.yml). With --detach it keeps running in the background after the
// command returns (stop it with `kill <pid>`); on a runner the values are also step outputs.
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync, appendFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeEcr } from '../../test/fakes/ecr.js'
import { FakeEcs, type DeploymentBehaviour } from '../../test/fakes/ecs.js'
import { registryClient, startLocalRegistry } from '../../test/fakes/local-registry.js'
import { startFakeRender, type Step } from '../../test/fakes/render.js'

export const USAGE = `Usage: node scripts/fake.mjs <ecr|ecs|render> [options]

Starts a local fake of the AWS or Render API (test/fakes/) and prints its URL and credentials as
name=value lines (also step outputs when run in a workflow step).

  --port N            listen on this port (default: a free one)
  --host ADDRESS      listen on this address (default: 127.0.0.1)
  --detach            keep it running in the background and return; stop it with \`kill <pid>\`
  --log FILE          with --detach: where its log goes (default: a file in the temp directory)

ecr     The ECR API; its logins point at a Docker registry.
  --registry HOST:PORT          that registry (default: start Debian's docker-registry here)
  --registry-username NAME      and its credentials, if it checks them
  --registry-password PASSWORD
ecs     The ECS API, with one service running one task definition.
  --cluster NAME (default)  --service NAME (web)  --container NAME (web)
  --image IMAGE (the service's current image)
  --behaviour succeed|fail|hang  what new deployments do (succeed)
  --stage-ms N (300)  --task-ms N (600)  --task-exit-code N (0)
render  The Render API and deploy hooks, with one service.
  --service-id ID (srv-selftest)  --service-url URL (where its deploys "go live")
  --image IMAGE       make it an image-backed service
  --steps STATUS:MS,...  what each deploy goes through (default build_in_progress:0,update_in_progress:150,live:300)
`

export class UsageError extends Error {}

/** What each fake prints as name=value (and sets as step outputs), besides `pid` (and `log`). */
export const FAKE_OUTPUTS: Record<string, string[]> = {
  ecr: ['url', 'registry', 'access-key-id', 'secret-access-key', 'region', 'account-id'],
  ecs: ['url', 'access-key-id', 'secret-access-key', 'region', 'cluster', 'service', 'task-definition-arn'],
  render: ['url', 'api-url', 'api-key', 'service-id', 'hook-url'],
}

type Options = Record<string, string | true>

const COMMON = ['port', 'host', 'detach', 'log', 'child', 'help']
const OPTIONS: Record<string, string[]> = {
  ecr: ['registry', 'registry-username', 'registry-password'],
  ecs: ['cluster', 'service', 'container', 'image', 'behaviour', 'stage-ms', 'task-ms', 'task-exit-code'],
  render: ['service-id', 'service-url', 'image', 'steps'],
}

/** `--name value` and `--flag` pairs; the first bare word is the fake's name. */
export function parseArgs(argv: string[]): { fake: string; options: Options } {
  const options: Options = {}
  let fake = ''
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (!arg.startsWith('--')) {
      if (fake !== '') throw new UsageError(`Unexpected argument '${arg}'`)
      fake = arg
      continue
    }
    const name = arg.slice(2)
    const next = argv[i + 1]
    if (['detach', 'child', 'help'].includes(name)) options[name] = true
    else if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`)
    else {
      options[name] = next
      i += 1
    }
  }
  if (options.help) return { fake: 'help', options }
  const own = OPTIONS[fake]
  if (own === undefined) throw new UsageError(`Name the fake to start: ecr, ecs or render (got '${fake}')`)
  for (const name of Object.keys(options)) {
    if (!COMMON.includes(name) && !own.includes(name)) {
      throw new UsageError(`The ${fake} fake has no option --${name}`)
    }
  }
  for (const name of ['port', 'stage-ms', 'task-ms', 'task-exit-code']) integer(options, name, 0)
  if (!['succeed', 'fail', 'hang'].includes(text(options, 'behaviour', 'succeed'))) {
    throw new UsageError(
      `--behaviour must be succeed, fail or hang (got '${text(options, 'behaviour', '')}')`,
    )
  }
  if (typeof options.steps === 'string') parseSteps(options.steps)
  return { fake, options }
}

const text = (options: Options, name: string, fallback: string): string => {
  const value = options[name]
  return typeof value === 'string' ? value : fallback
}

const integer = (options: Options, name: string, fallback: number): number => {
  const raw = text(options, name, String(fallback))
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number (got '${raw}')`)
  return Number(raw)
}

/** `build_in_progress:0,live:300` → render's steps. */
export function parseSteps(raw: string): Step[] {
  return raw.split(',').map((pair) => {
    const [status = '', ms = ''] = pair.trim().split(':')
    if (!/^[a-z_]+$/.test(status) || !/^\d+$/.test(ms)) {
      throw new UsageError(`--steps takes STATUS:MS pairs like live:300 (got '${pair}')`)
    }
    return [status, Number(ms)]
  })
}

export interface Started {
  /** name=value pairs to print (and to set as step outputs). */
  values: Record<string, string>
  /** Values a log must not show (masked on a runner). */
  secrets: string[]
  /** The port the fake itself listens on, and the base URL that names it. */
  port: number
  close: () => Promise<void>
}

const portOf = (url: string) => Number(new URL(url).port)

async function startEcr(options: Options): Promise<Started> {
  const external = text(options, 'registry', '')
  const username = text(options, 'registry-username', '')
  const password = text(options, 'registry-password', '')
  const local = external === '' ? await startLocalRegistry() : undefined
  const registry = local ?? {
    host: external,
    // A registry without authentication accepts any login; the fake still hands these out.
    username: username || 'AWS',
    password: password || 'fake-ecr-password',
    ...registryClient(external, username ? { username, password } : undefined),
  }
  const ecr = await startFakeEcr(registry)
  return {
    values: {
      url: ecr.url,
      registry: registry.host,
      'access-key-id': ecr.accessKeyId,
      'secret-access-key': 'fake-secret-access-key',
      region: 'us-east-1',
      'account-id': ecr.accountId,
    },
    secrets: [registry.password],
    port: portOf(ecr.url),
    close: async () => {
      await ecr.close()
      await local?.close()
    },
  }
}

async function startEcs(options: Options): Promise<Started> {
  const ecs = new FakeEcs({
    stageMs: integer(options, 'stage-ms', 300),
    taskMs: integer(options, 'task-ms', 600),
    taskExitCode: integer(options, 'task-exit-code', 0),
    behaviour: text(options, 'behaviour', 'succeed') as DeploymentBehaviour,
  })
  const url = await ecs.start()
  const cluster = text(options, 'cluster', 'default')
  const service = text(options, 'service', 'web')
  const container = text(options, 'container', 'web')
  const taskDefinition = ecs.addTaskDefinition({
    family: service,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: container,
        image: text(options, 'image', `123456789012.dkr.ecr.us-east-1.amazonaws.com/${service}:previous`),
        essential: true,
      },
    ],
  })
  ecs.addService({ serviceName: service, cluster, taskDefinition })
  const env = ecs.env()
  return {
    values: {
      url,
      'access-key-id': env.AWS_ACCESS_KEY_ID ?? '',
      'secret-access-key': env.AWS_SECRET_ACCESS_KEY ?? '',
      region: env.AWS_REGION ?? '',
      cluster,
      service,
      'task-definition-arn': taskDefinition,
    },
    secrets: [],
    port: portOf(url),
    close: () => ecs.close(),
  }
}

async function startRender(options: Options): Promise<Started> {
  const steps = typeof options.steps === 'string' ? parseSteps(options.steps) : undefined
  const render = await startFakeRender(steps ? { steps } : {})
  const serviceId = text(options, 'service-id', 'srv-selftest')
  const image = text(options, 'image', '')
  render.addService({
    id: serviceId,
    ...(typeof options['service-url'] === 'string' ? { url: options['service-url'] } : {}),
    ...(image ? { image } : {}),
  })
  const url = render.apiUrl.replace(/\/v1$/, '')
  return {
    values: {
      url,
      'api-url': render.apiUrl,
      'api-key': render.apiKey,
      'service-id': serviceId,
      'hook-url': render.hookUrl(serviceId),
    },
    secrets: [render.apiKey, render.hookKey],
    port: portOf(url),
    close: () => render.close(),
  }
}

const STARTERS: Record<string, (options: Options) => Promise<Started>> = {
  ecr: startEcr,
  ecs: startEcs,
  render: startRender,
}

/** A TCP forwarder on host:port in front of the fake's own port, so it can be reached where asked. */
async function forward(host: string, port: number, target: number): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1')
    client.pipe(upstream).pipe(client)
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end)
    upstream.on('error', end)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`Cannot listen on ${host}:${port}: ${error.code ?? error.message}`)),
    )
    server.listen(port, host, resolve)
  })
  return server
}

/** Starts the fake (and a forwarder when --port or --host asks for one); resolves with what to print. */
export async function startFake(fake: string, options: Options): Promise<Started> {
  const starter = STARTERS[fake]
  if (!starter) throw new UsageError(`No fake named '${fake}'`)
  const started = await starter(options)
  const host = text(options, 'host', '127.0.0.1')
  if (options.port === undefined && host === '127.0.0.1') return started
  const port = integer(options, 'port', 0)
  const server = await forward(host, port, started.port).catch(async (error: unknown) => {
    await started.close()
    throw error
  })
  const listening = (server.address() as net.AddressInfo).port
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host
  const rebase = (value: string) =>
    value.replace(`http://127.0.0.1:${started.port}`, `http://${shownHost}:${listening}`)
  return {
    ...started,
    values: Object.fromEntries(Object.entries(started.values).map(([k, v]) => [k, rebase(v)])),
    port: listening,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await started.close()
    },
  }
}

/** What a step prints and writes: masks first (on a runner), then name=value lines. */
function publish(values: Record<string, string>, secrets: string[]): void {
  const onRunner = process.env.GITHUB_ACTIONS === 'true'
  if (onRunner) for (const secret of secrets) if (secret) console.log(`::add-mask::${secret}`)
  for (const [name, value] of Object.entries(values)) console.log(`${name}=${value}`)
  if (process.env.GITHUB_OUTPUT) {
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      Object.entries(values)
        .map(([name, value]) => `${name}=${value}\n`)
        .join(''),
    )
  }
}

/** In the foreground: start, print, run until SIGINT/SIGTERM. */
async function runForeground(fake: string, options: Options): Promise<number> {
  const started = await startFake(fake, options)
  const values = { ...started.values, pid: String(process.pid) }
  if (options.child) {
    process.send?.({ values, secrets: started.secrets })
    process.disconnect?.()
  } else {
    publish(values, started.secrets)
    console.error(`Fake ${fake} running; Ctrl-C stops it`)
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await started.close()
  return 0
}

/** --detach: the fake runs in a child of its own session; this process returns once it is ready. */
async function runDetached(fake: string, options: Options, argv: string[], entry: string): Promise<number> {
  const log = text(options, 'log', join(tmpdir(), `devops-actions-fake-${fake}-${process.pid}.log`))
  const fd = openSync(log, 'a')
  const args = argv.filter((a) => a !== '--detach')
  const child = spawn(process.execPath, [entry, ...args, '--child'], {
    detached: true,
    stdio: ['ignore', fd, fd, 'ipc'],
  })
  closeSync(fd)
  const ready = await new Promise<{ values: Record<string, string>; secrets: string[] } | undefined>(
    (resolve) => {
      const timer = setTimeout(() => resolve(undefined), 60_000)
      child.once('message', (message) => {
        clearTimeout(timer)
        resolve(message as { values: Record<string, string>; secrets: string[] })
      })
      child.once('exit', () => {
        clearTimeout(timer)
        resolve(undefined)
      })
    },
  )
  if (ready === undefined) {
    child.kill('SIGTERM')
    const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-10).join('\n')
    console.error(`Fake ${fake} did not start; its log (${log}) ends:\n${tail}`)
    return 1
  }
  child.disconnect()
  child.unref()
  publish({ ...ready.values, log }, ready.secrets)
  return 0
}

export async function main(argv: string[], entry: string): Promise<number> {
  try {
    const { fake, options } = parseArgs(argv)
    if (fake === 'help') {
      console.log(USAGE)
      return 0
    }
    return options.detach ? await runDetached(fake, options, argv, entry) : await runForeground(fake, options)
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`)
      return 2
    }
    console.error(`Fake did not start: ${(error as Error).message}`)
    return 1
  }
}
