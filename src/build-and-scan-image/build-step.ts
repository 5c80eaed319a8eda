import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { hasBuildx } from '../lib/docker/builder.js'
import { OperationError } from '../lib/errors.js'
import { lineWriter } from '../lib/list.js'
import { buildArgv, type Builder } from './build-args.js'
import { failedStep } from './build-output.js'
import { attestations, buildEnv, buildkitRefusal, cacheEntries, chooseBuilder } from './build-plan.js'
import { secretArgs } from './build-secrets.js'
import type { BuildRun } from './run-context.js'

/** Where a build left what it wrote: its folder, with the image ID and (buildx) the metadata file. */
export interface BuildOutput {
  builder: Builder
  work: string
  iidFile: string
  metadataFile?: string
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

/** Builds the image with buildx (loaded into the engine, or pushed when multi-platform) or the docker builder. */
export async function buildStep(run: BuildRun): Promise<BuildOutput> {
  const { io, env, exec } = run.ports
  const { options } = run
  const buildxInstalled = await hasBuildx(exec)
  const choice = chooseBuilder(run, buildxInstalled)
  const { builder } = choice
  run.facts.builder = builder === 'docker' && choice.buildkit ? 'docker (BuildKit)' : builder
  const work = await mkdtemp(join(options.paths.temp, 'build-and-scan-'))
  const output: BuildOutput = {
    builder,
    work,
    iidFile: join(work, 'iid'),
    metadataFile: builder === 'buildx' ? join(work, 'metadata.json') : undefined,
  }
  const secrets = secretArgs(options.secrets)
  const cache = await cacheEntries(run, builder)
  const argv = buildArgv({
    builder,
    buildkit: choice.buildkit,
    dockerfile: options.paths.dockerfile,
    context: options.paths.context,
    references: run.references,
    labels: run.labels,
    buildArgs: options.buildArgs,
    target: options.target,
    platforms: options.platforms,
    iidFile: output.iidFile,
    metadataFile: output.metadataFile,
    pushFromBuilder: options.platforms.length > 1,
    secretArgv: secrets.argv,
    cacheFrom: cache.from,
    cacheTo: cache.to,
    noCache: options.noCache,
    pull: options.pull,
    ...attestations(run, builder),
    sourceDateEpoch: run.sourceDate.epoch,
  })
  await io.group(`Build ${run.references[0]} (${run.facts.builder})`, async () => {
    io.info(`docker ${argv.join(' ')}`)
    const stdout = lineWriter((line) => io.info(line))
    const stderr = lineWriter((line) => io.info(line))
    const result = await exec('docker', argv, {
      cwd: options.paths.workspace,
      env: buildEnv(env, choice, buildxInstalled, secrets.env),
      onStdout: stdout.push,
      onStderr: stderr.push,
    })
    stdout.flush()
    stderr.flush()
    if (result.exitCode !== 0) {
      const text = `${result.stdout}\n${result.stderr}`
      throw buildkitRefusal(run, text) ?? buildFailure(run, text, result.exitCode, result.stderrTail)
    }
  })
  return output
}
