// moto's ECS (`python3 -m moto.server`), an emulator nobody here wrote, as a second reference for
// the fake's wire behaviour. It has no ServiceDeployment API (it answers those operations with an
// HTML 500 page), keeps a service's `deployments[]` as created, and reports `rolloutState`
// COMPLETED when MOTO_ECS_SERVICE_RUNNING tasks (of the desired count) run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs'
import { freePort } from '../helpers/servers.js'

export interface Moto {
  url: string
  env(): Record<string, string>
  client(): ECSClient
  /** Creates a cluster, registers the task definition and creates a rolling service running it. */
  addService(cluster: string, name: string, definition: RegisterTaskDefinitionCommandInput): Promise<string>
  close(): Promise<void>
}

/** Whether the python3 on PATH has moto's server (the suite's reference emulator). */
export function motoInstalled(): boolean {
  return spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0
}

async function waitForPort(url: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}`)
    try {
      await fetch(`${url}/moto-api/`)
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error('moto did not start within 20s')
}

/** Starts moto's server on a free port; `running` tasks of each service report as running. */
export async function startMoto(running = 2): Promise<Moto> {
  const port = await freePort()
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: String(running) },
    stdio: 'ignore',
  })
  const url = `http://127.0.0.1:${port}`
  await waitForPort(url, child, Date.now() + 20_000)
  const env = () => ({
    AWS_ENDPOINT_URL_ECS: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAMOTOMOTOMOTO',
    AWS_SECRET_ACCESS_KEY: 'moto-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  })
  const client = () =>
    new ECSClient({
      region: 'us-east-1',
      endpoint: url,
      credentials: { accessKeyId: 'AKIAMOTOMOTOMOTO', secretAccessKey: 'moto-secret' },
    })
  return {
    url,
    env,
    client,
    async addService(cluster, name, definition) {
      const ecs = client()
      await ecs.send(new CreateClusterCommand({ clusterName: cluster }))
      const td = await ecs.send(new RegisterTaskDefinitionCommand(definition))
      await ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: name,
          taskDefinition: td.taskDefinition?.taskDefinitionArn,
          desiredCount: running,
          deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        }),
      )
      return td.taskDefinition?.taskDefinitionArn ?? ''
    },
    close: async () => {
      child.kill('SIGTERM')
      await new Promise((resolve) =>
        child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve),
      )
    },
  }
}
