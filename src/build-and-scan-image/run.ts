import { readFile } from 'node:fs/promises'
import { ConfigurationError, OperationError } from '../lib/errors.js'
import { readGitContext } from '../lib/github/context.js'
import { buildStep } from './build-step.js'
import type { BuildAndScanImagePorts } from './deps.js'
import { parseDockerfile } from './dockerfile.js'
import { commentImageFindings } from './pr-comment.js'
import { inspectBuilt, multiPlatformResult, pushStep } from './image-step.js'
import { ociLabels } from './labels.js'
import { lintStep } from './lint-step.js'
import { inputName, type BuildAndScanImageOptions } from './options.js'
import type { BuildAndScanImageResult } from './result.js'
import type { BuildRun } from './run-context.js'
import { scanStep } from './scan-step.js'
import { sourceDate } from './source-date.js'
import { summaryMarkdown } from './summary.js'
import { deriveTags, imageReferences } from './tags.js'

/** Lint, build, then either the multi-platform result or inspect, scan and push; the first failure stops them. */
async function steps(run: BuildRun): Promise<void> {
  const { options } = run
  if (options.lint) await lintStep(run)
  const built = await buildStep(run)
  if (options.platforms.length > 1) {
    const digest = await multiPlatformResult(run, built)
    if (options.scan) await scanStep(run, built.work, `${options.image}@${digest}`)
    return
  }
  await inspectBuilt(run, built)
  if (options.scan) await scanStep(run, built.work, run.references[0] as string)
  if (options.push) await pushStep(run)
}

/** The run's references and labels, from the options and the git context. */
async function prepare(ports: BuildAndScanImagePorts, options: BuildAndScanImageOptions): Promise<BuildRun> {
  const dockerfileText = await readFile(options.paths.dockerfile, 'utf8')
  const { instructions } = parseDockerfile(dockerfileText, options.buildArgs)
  const context = await readGitContext(ports.env)
  const derived = deriveTags(context)
  const tagsInput = inputName(options, 'tags')
  const extraInput = inputName(options, 'extra-tags')
  const references = imageReferences(
    options.image,
    options.tags,
    derived.tags,
    tagsInput,
    options.extraTags,
    extraInput,
  )
  if (references.length === 0) {
    throw new ConfigurationError(
      `No tags: set '${tagsInput}', or run where GITHUB_SHA / GITHUB_REF give some`,
    )
  }
  const date = await sourceDate(ports.exec, ports.env, options.paths.context, ports.now())
  const created = new Date(date.epoch * 1000)
  if (date.from === 'build time') {
    ports.io.info(
      `No git commit in ${options.paths.context}: the image is dated by the build, so rebuilding this commit gives a new image ID`,
    )
  }
  const labels = ociLabels(context, derived.version, created, options.labels)
  const facts = {
    image: options.image,
    references,
    builder: options.builder,
    maxSize: options.maxSize,
    created: `${created.toISOString()} (${date.from})`,
  }
  return { ports, options, dockerfileText, instructions, references, labels, sourceDate: date, facts }
}

/**
 * Everything after the options are valid: tags and labels, lint, build, size gate, scan, push.
 * A step that fails is the result's `failure`, so the outputs and the summary say how far it got.
 */
export async function buildAndScanImage(
  ports: BuildAndScanImagePorts,
  options: BuildAndScanImageOptions,
): Promise<BuildAndScanImageResult> {
  const run = await prepare(ports, options)
  let failure: string | undefined
  try {
    await steps(run)
  } catch (error) {
    if (!(error instanceof OperationError)) throw error
    failure = error.message
  }
  const result = { ...run.facts, summary: summaryMarkdown(run.facts), failure }
  await commentImageFindings(ports.io, options.comment, result)
  return result
}
