import { ConfigurationError, quote } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import { parseSize } from './size.js'
import { isValidTag, normalizeImageName } from './tags.js'
import { SEVERITIES, type Threshold } from './trivy-report.js'

/** The Trivy release installed when `trivy-version` is not given. */
export const DEFAULT_TRIVY_VERSION = '0.67.2'

export interface Inputs {
  image: string
  context: string
  /** Path as given, or `<context>/Dockerfile`. */
  dockerfile: string
  tags: string[]
  buildArgs: Record<string, string>
  target?: string
  platforms: string[]
  labels: Record<string, string>
  builder: 'auto' | 'buildx' | 'docker'
  cache: boolean
  push: boolean
  lint: boolean
  scan: boolean
  severityThreshold: Threshold
  ignoreUnfixed: boolean
  trivyignore?: string
  trivyVersion: string
  trivyPath?: string
  sarifFile?: string
  maxSize?: number
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/

function parseTags(input: InputReader): string[] {
  const tags = input.list('tags')
  for (const tag of tags) {
    // Full references are checked when they are resolved; plain tags here, before anything runs.
    if (!tag.includes('/') && !tag.includes(':') && !isValidTag(tag)) {
      throw new ConfigurationError(
        `Input '${input.name('tags')}' entry ${quote(tag)} is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
      )
    }
  }
  return tags
}

function parsePlatforms(input: InputReader): string[] {
  const platforms = input.list('platforms')
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) {
      throw new ConfigurationError(
        `Input '${input.name('platforms')}' entry ${quote(platform)} must be os/arch[/variant], e.g. linux/amd64 or linux/arm/v7`,
      )
    }
  }
  return platforms
}

/** A multi-platform image is pushed by buildx, never loaded: it needs buildx and `push`, and has no local size. */
function checkMultiPlatform(
  input: InputReader,
  inputs: Pick<Inputs, 'platforms' | 'builder' | 'push' | 'maxSize'>,
): void {
  const { platforms, builder, push, maxSize } = inputs
  if (platforms.length <= 1) return
  if (builder === 'docker') {
    throw new ConfigurationError(
      `Input '${input.name('platforms')}' lists ${platforms.length} platforms, but '${input.name('builder')}: docker' builds one; use '${input.name('builder')}: buildx'`,
    )
  }
  if (!push) {
    throw new ConfigurationError(
      `A multi-platform image cannot be loaded into the local engine to inspect and scan; set '${input.name('push')}: true' (it is scanned from the registry) or build one platform`,
    )
  }
  if (maxSize !== undefined) {
    throw new ConfigurationError(
      `Input '${input.name('max-size')}' needs a single-platform build: a multi-platform image is not loaded, so its size cannot be read`,
    )
  }
}

function parseTrivyVersion(input: InputReader): string {
  const version = input.string('trivy-version', DEFAULT_TRIVY_VERSION).replace(/^v/, '')
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new ConfigurationError(
      `Input '${input.name('trivy-version')}' must be a release version like ${DEFAULT_TRIVY_VERSION} (got ${quote(input.string('trivy-version', ''))})`,
    )
  }
  return version
}

/**
 * Reads and checks every input (paths are checked by resolvePaths). `names` maps this action's
 * input names to a composing action's, as InputReader does: the messages use the user's names.
 */
export function parseInputs(get: GetInput, names?: Readonly<Record<string, string>>): Inputs {
  const input = new InputReader(get, names)
  const image = normalizeImageName(
    input.required('image', 'the repository name, e.g. my-app'),
    `Input '${input.name('image')}'`,
    input.name('tags'),
  )
  const context = input.string('context', '.')
  const dockerfile = input.optional('dockerfile') ?? `${context.replace(/\/+$/, '')}/Dockerfile`
  const tags = parseTags(input)
  const buildArgs = input.keyValues('build-args')
  const labels = input.keyValues('labels')
  const target = input.optional('target')
  if (target !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    throw new ConfigurationError(
      `Input '${input.name('target')}' must be a stage name (got ${quote(target)})`,
    )
  }
  const platforms = parsePlatforms(input)
  const builder = input.choice('builder', ['auto', 'buildx', 'docker'] as const, 'auto')
  const push = input.boolean('push', false)
  const maxSizeText = input.optional('max-size')
  const maxSize =
    maxSizeText === undefined ? undefined : parseSize(maxSizeText, `Input '${input.name('max-size')}'`)
  checkMultiPlatform(input, { platforms, builder, push, maxSize })
  const trivyVersion = parseTrivyVersion(input)
  const thresholdChoices = [...SEVERITIES, 'none'] as const
  return {
    image,
    context,
    dockerfile,
    tags,
    buildArgs,
    target,
    platforms,
    labels,
    builder,
    cache: input.boolean('cache', true),
    push,
    lint: input.boolean('lint', true),
    scan: input.boolean('scan', true),
    severityThreshold: input.choice('severity-threshold', thresholdChoices, 'HIGH'),
    ignoreUnfixed: input.boolean('ignore-unfixed', true),
    trivyignore: input.optional('trivyignore'),
    trivyVersion,
    trivyPath: input.optional('trivy-path'),
    sarifFile: input.optional('sarif-file'),
    maxSize,
  }
}
