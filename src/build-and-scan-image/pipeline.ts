import { mkdtemp, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ActionIO } from '../lib/runner/io.js'
import { ConfigurationError, OperationError } from '../lib/errors.js'
import { buildArgv, cacheScope, hasGhaCacheService, type Builder } from './build-args.js'
import { failedStep } from './build-output.js'
import { buildxDriver, chunkLogger, hasBuildx, inspectImage, isRootUser, pushReference } from './docker.js'
import { parseDockerfile, targetStage } from './dockerfile.js'
import { readGitContext } from '../lib/github/context.js'
import type { Inputs } from './inputs.js'
import { ociLabels } from './labels.js'
import { lintDockerfile, type Finding } from './lint.js'
import type { Deps } from './main.js'
import type { Paths } from './paths.js'
import { scan } from './scan-step.js'
import { formatSize } from './size.js'
import { summaryMarkdown, type SummaryFacts } from './summary.js'
import { deriveTags, imageReferences } from './tags.js'

/**
 * Everything after the inputs are valid: tags and labels, lint, build, size gate, scan, push,
 * and the job summary whatever happened. Loaded only once the inputs passed, so a
 * misconfigured step fails without loading any of it.
 */
export async function buildAndScan(deps: Deps, inputs: Inputs, paths: Paths): Promise<void> {
  const { io, env } = deps
  const dockerfileText = await readFile(paths.dockerfile, 'utf8')
  const dockerfile = parseDockerfile(dockerfileText, inputs.buildArgs)
  if (inputs.target !== undefined && targetStage(dockerfile, inputs.target) === undefined) {
    throw new ConfigurationError(
      `Input 'target' names stage '${inputs.target}', which ${paths.dockerfileShown} does not define`,
    )
  }

  const context = await readGitContext(env)
  const derived = deriveTags(context)
  const references = imageReferences(inputs.image, inputs.tags, derived.tags)
  if (references.length === 0) {
    throw new ConfigurationError("No tags: set 'tags', or run where GITHUB_SHA / GITHUB_REF give some")
  }
  const labels = ociLabels(context, derived.version, deps.now(), inputs.labels)
  io.setOutput('image', inputs.image)
  io.setOutput('tags', references.join('\n'))
  const facts: SummaryFacts = {
    image: inputs.image,
    references,
    builder: inputs.builder,
    maxSize: inputs.maxSize,
  }
  try {
    await pipeline(deps, inputs, paths, dockerfileText, dockerfile.instructions, references, labels, facts)
  } finally {
    await io.appendSummary(summaryMarkdown(facts))
  }
}

async function pipeline(
  deps: Deps,
  inputs: Inputs,
  paths: Paths,
  dockerfileText: string,
  instructions: ReturnType<typeof parseDockerfile>['instructions'],
  references: string[],
  labels: Record<string, string>,
  facts: SummaryFacts,
): Promise<void> {
  const { io, env, exec } = deps
  if (inputs.lint) {
    const findings = await io.group('Lint Dockerfile', async () => lint(io, inputs, paths, dockerfileText))
    facts.lint = { file: paths.dockerfileShown, findings }
    const errors = findings.filter((f) => f.level === 'error')
    if (errors.length > 0) {
      const first = errors[0] as Finding
      throw new OperationError(
        `${paths.dockerfileShown} breaks ${errors.length} policy rule(s), first at line ${first.line}: ${first.message}`,
      )
    }
  }

  const buildxInstalled = await hasBuildx(exec)
  const builder = chooseBuilder(inputs.builder, buildxInstalled)
  facts.builder = builder
  const work = await mkdtemp(join(paths.temp, 'build-and-scan-'))
  const iidFile = join(work, 'iid')
  const multiPlatform = inputs.platforms.length > 1
  let ghaCacheScope: string | undefined
  if (inputs.cache && builder === 'buildx' && hasGhaCacheService(env)) {
    const driver = await buildxDriver(exec)
    if (driver === 'docker') {
      io.notice(
        'The GitHub Actions build cache needs a buildx builder with the docker-container driver (docker/setup-buildx-action); building without it',
      )
    } else ghaCacheScope = cacheScope(inputs.image)
  }
  const argv = buildArgv({
    builder,
    dockerfile: paths.dockerfile,
    context: paths.context,
    references,
    labels,
    buildArgs: inputs.buildArgs,
    target: inputs.target,
    platforms: inputs.platforms,
    iidFile,
    metadataFile: builder === 'buildx' ? join(work, 'metadata.json') : undefined,
    ghaCacheScope,
    pushFromBuilder: multiPlatform,
  })

  await io.group(`Build ${references[0]} (${builder})`, async () => {
    io.info(`docker ${argv.join(' ')}`)
    const log = chunkLogger((line) => io.info(line))
    const result = await exec('docker', argv, {
      cwd: paths.workspace,
      // Without buildx the CLI refuses DOCKER_BUILDKIT=1; the classic builder is what is there.
      env: buildxInstalled ? env : { ...env, DOCKER_BUILDKIT: '0' },
      onStdout: log,
      onStderr: log,
    })
    if (result.exitCode !== 0) {
      const step = failedStep(`${result.stdout}\n${result.stderr}`, instructions)
      if (step?.line !== undefined) {
        io.error(`Build failed: ${step.reason || `exit code ${result.exitCode}`}`, {
          file: paths.dockerfileShown,
          startLine: step.line,
          title: 'docker build',
        })
      }
      const where = step?.line !== undefined ? `${paths.dockerfileShown}:${step.line}` : paths.dockerfileShown
      throw new OperationError(
        step
          ? `Build failed at ${where} (${step.step}): ${step.reason || `exit code ${result.exitCode}`}`
          : `Build failed (exit code ${result.exitCode}): ${result.stderrTail.split('\n').pop() ?? ''}`,
      )
    }
  })

  if (multiPlatform) {
    await multiPlatformResult(deps, inputs, paths, work, references, facts)
    return
  }
  const imageId = (await readFile(iidFile, 'utf8')).trim()
  const info = await inspectImage(exec, imageId)
  facts.imageId = info.id
  facts.size = info.size
  io.setOutput('image-id', info.id)
  io.setOutput('size', String(info.size))
  io.info(`Built ${info.id} (${formatSize(info.size)}), runs as ${info.user || 'root'}`)
  if (isRootUser(info.user)) {
    io.warning(
      `The image runs as root (${info.user || 'no USER set'}); set a non-root USER in the final stage`,
      {
        file: paths.dockerfileShown,
      },
    )
  }
  if (inputs.maxSize !== undefined && info.size > inputs.maxSize) {
    throw new OperationError(
      `Image is ${formatSize(info.size)} (${info.size} bytes), over 'max-size' ${formatSize(inputs.maxSize)} (${inputs.maxSize} bytes)`,
    )
  }

  if (inputs.scan) await scan(deps, inputs, paths, work, references[0] as string, facts)

  if (inputs.push) {
    await io.group('Push', async () => {
      let digest = ''
      for (const reference of references) {
        digest = await pushReference(exec, reference, (line) => io.info(line))
      }
      facts.digest = digest
      io.setOutput('digest', digest)
    })
  }
}

function chooseBuilder(wanted: Inputs['builder'], available: boolean): Builder {
  if (wanted === 'docker') return 'docker'
  if (wanted === 'buildx' && !available) {
    throw new OperationError(
      "builder is 'buildx' but 'docker buildx version' fails: install buildx (docker/setup-buildx-action) or use 'builder: auto'",
    )
  }
  return available ? 'buildx' : 'docker'
}

function lint(io: ActionIO, inputs: Inputs, paths: Paths, text: string): Finding[] {
  const findings = lintDockerfile(text, { buildArgs: inputs.buildArgs, target: inputs.target })
  for (const finding of findings) {
    io[finding.level](finding.message, {
      file: paths.dockerfileShown,
      startLine: finding.line,
      title: `Dockerfile policy: ${finding.rule}`,
    })
  }
  const count = (level: string) => findings.filter((f) => f.level === level).length
  io.info(
    `${paths.dockerfileShown}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('notice')} notice(s)`,
  )
  return findings
}

async function multiPlatformResult(
  deps: Deps,
  inputs: Inputs,
  paths: Paths,
  work: string,
  references: string[],
  facts: SummaryFacts,
): Promise<void> {
  const metadata = JSON.parse(await readFile(join(work, 'metadata.json'), 'utf8')) as Record<string, unknown>
  const digest = String(metadata['containerimage.digest'] ?? '')
  const imageId = (await readFile(join(work, 'iid'), 'utf8')).trim()
  facts.imageId = imageId
  facts.digest = digest
  deps.io.setOutput('image-id', imageId)
  deps.io.setOutput('digest', digest)
  if (inputs.scan) await scan(deps, inputs, paths, work, `${inputs.image}@${digest}`, facts)
}
