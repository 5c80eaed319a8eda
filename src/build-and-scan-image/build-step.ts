import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { buildxDriver, hasBuildx } from '../lib/docker/builder.js'
import { OperationError } from '../lib/errors.js'
import { lineWriter } from '../lib/list.js'
import { buildArgv, cacheScope, hasGhaCacheService, type Builder } from './build-args.js'
import { failedStep } from './build-output.js'
import type { Inputs } from './inputs.js'
import { inputName } from './options.js'
import type { BuildRun } from './run-context.js'

/** Where a build left what it wrote: its folder, with the image ID and (buildx) the metadata file. */
export interface BuildOutput {
  builder: Builder
  work: string
  iidFile: string
  metadataFile?: string
}

function chooseBuilder(run: BuildRun, wanted: Inputs['builder'], available: boolean): Builder {
  if (wanted === 'docker') return 'docker'
  if (wanted === 'buildx' && !available) {
    const input = inputName(run.options, 'builder')
    throw new OperationError(
      `${input} is 'buildx' but 'docker buildx version' fails: install buildx (docker/setup-buildx-action) or use '${input}: auto'`,
    )
  }
  return available ? 'buildx' : 'docker'
}

/** The GitHub Actions cache scope, when the cache is wanted, buildx builds and the service is there. */
async function ghaCacheScope(run: BuildRun, builder: Builder): Promise<string | undefined> {
  const { io, env, exec } = run.ports
  if (!run.options.cache || builder !== 'buildx' || !hasGhaCacheService(env)) return undefined
  if ((await buildxDriver(exec)) === 'docker') {
    io.notice(
      'The GitHub Actions build cache needs a buildx builder with the docker-container driver (docker/setup-buildx-action); building without it',
    )
    return undefined
  }
  return cacheScope(run.options.image)
}

/** The error a failed build ends with, pointing at the Dockerfile line of the step that failed. */
function buildFailure(run: BuildRun, output: string, exitCode: number, stderrTail: string): OperationError {
  const file = run.options.paths.dockerfileShown
  const step = failedStep(output, run.instructions)
  const reason = step?.reason || `exit code ${exitCode}`
  if (step?.line !== undefined) {
    run.ports.io.error(`Build failed: ${reason}`, { file, startLine: step.line, title: 'docker build' })
  }
  const where = step?.line !== undefined ? `${file}:${step.line}` : file
  return new OperationError(
    step
      ? `Build failed at ${where} (${step.step}): ${reason}`
      : `Build failed (exit code ${exitCode}): ${stderrTail.split('\n').pop() ?? ''}`,
  )
}

/** Builds the image with buildx (loaded into the engine, or pushed when multi-platform) or the classic builder. */
export async function buildStep(run: BuildRun): Promise<BuildOutput> {
  const { io, env, exec } = run.ports
  const { options } = run
  const buildxInstalled = await hasBuildx(exec)
  const builder = chooseBuilder(run, options.builder, buildxInstalled)
  run.facts.builder = builder
  const work = await mkdtemp(join(options.paths.temp, 'build-and-scan-'))
  const output: BuildOutput = {
    builder,
    work,
    iidFile: join(work, 'iid'),
    metadataFile: builder === 'buildx' ? join(work, 'metadata.json') : undefined,
  }
  const argv = buildArgv({
    builder,
    dockerfile: options.paths.dockerfile,
    context: options.paths.context,
    references: run.references,
    labels: run.labels,
    buildArgs: options.buildArgs,
    target: options.target,
    platforms: options.platforms,
    iidFile: output.iidFile,
    metadataFile: output.metadataFile,
    ghaCacheScope: await ghaCacheScope(run, builder),
    pushFromBuilder: options.platforms.length > 1,
  })
  await io.group(`Build ${run.references[0]} (${builder})`, async () => {
    io.info(`docker ${argv.join(' ')}`)
    const stdout = lineWriter((line) => io.info(line))
    const stderr = lineWriter((line) => io.info(line))
    const result = await exec('docker', argv, {
      cwd: options.paths.workspace,
      // Without buildx the CLI refuses DOCKER_BUILDKIT=1; the classic builder is what is there.
      env: buildxInstalled ? env : { ...env, DOCKER_BUILDKIT: '0' },
      onStdout: stdout.push,
      onStderr: stderr.push,
    })
    stdout.flush()
    stderr.flush()
    if (result.exitCode !== 0) {
      throw buildFailure(run, `${result.stdout}\n${result.stderr}`, result.exitCode, result.stderrTail)
    }
  })
  return output
}
