import { readFile } from 'node:fs/promises'
import { pushForDigest } from '../lib/docker/cli.js'
import { inspectImage, isRootUser } from '../lib/docker/image.js'
import { OperationError } from '../lib/errors.js'
import type { BuildOutput } from './build-step.js'
import { inputName } from './options.js'
import type { BuildRun } from './run-context.js'
import { formatSize } from './size.js'

/** The image the engine loaded: its ID and size recorded, root warned about, `max-size` enforced. */
export async function inspectBuilt(run: BuildRun, built: BuildOutput): Promise<void> {
  const { io, exec } = run.ports
  const { options, facts } = run
  const imageId = (await readFile(built.iidFile, 'utf8')).trim()
  const info = await inspectImage(exec, imageId)
  if (info === undefined) throw new OperationError(`Cannot inspect the built image ${imageId}: no such image`)
  const size = info.size ?? 0
  facts.imageId = info.id
  facts.size = size
  io.info(`Built ${info.id} (${formatSize(size)}), runs as ${info.user || 'root'}`)
  if (isRootUser(info.user)) {
    io.warning(
      `The image runs as root (${info.user || 'no USER set'}); set a non-root USER in the final stage`,
      { file: options.paths.dockerfileShown },
    )
  }
  if (options.maxSize !== undefined && size > options.maxSize) {
    throw new OperationError(
      `Image is ${formatSize(size)} (${size} bytes), over '${inputName(options, 'max-size')}' ${formatSize(options.maxSize)} (${options.maxSize} bytes)`,
    )
  }
}

/** A multi-platform build, pushed by buildx: its image ID and the digest buildx reports. */
export async function multiPlatformResult(run: BuildRun, built: BuildOutput): Promise<string> {
  const metadata = JSON.parse(await readFile(built.metadataFile ?? '', 'utf8')) as Record<string, unknown>
  const digest = String(metadata['containerimage.digest'] ?? '')
  run.facts.imageId = (await readFile(built.iidFile, 'utf8')).trim()
  run.facts.digest = digest
  return digest
}

/** Pushes every reference; the digest is the last one's (one image, so the same for all). */
export async function pushStep(run: BuildRun): Promise<void> {
  const { io, exec } = run.ports
  await io.group('Push', async () => {
    let digest = ''
    for (const reference of run.references) {
      digest = await pushForDigest(exec, reference, (line) => io.info(line))
    }
    run.facts.digest = digest
  })
}
