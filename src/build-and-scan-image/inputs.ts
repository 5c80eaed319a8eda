import { ConfigurationError, quote } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import { parseTrivyVersion } from '../lib/trivy/binary.js'
import { parseAttestation, parseCacheEntries } from './build-cache.js'
import { parseSize } from './size.js'
import { isValidTag, normalizeImageName } from './tags.js'
import { SEVERITIES, type Threshold } from './trivy-report.js'

/** The Trivy release installed when `trivy-version` is not given (one constant for the suite). */
export { DEFAULT_TRIVY_VERSION } from '../lib/trivy/binary.js'

/** Trivy's scanners this action reads the findings of (`--scanners`). */
export const SCANNERS = ['vuln', 'secret', 'misconfig', 'license'] as const
export type Scanner = (typeof SCANNERS)[number]

/** What the builder is told beyond the image itself: caches, pulls, attestations. */
export interface BuildExtras {
  /** Added to the derived tags, or to `tags` when given. */
  extraTags: string[]
  cacheFrom: string[]
  cacheTo: string[]
  noCache: boolean
  pull: boolean
  /** buildx `--provenance`; undefined: buildx's default, or false for an image bound for ECR. */
  provenance?: string
  /** buildx `--sbom`; undefined as for provenance. */
  sbom?: string
  /** Where to write Trivy's CycloneDX SBOM of the scanned image. */
  sbomFile?: string
  scanners: Scanner[]
}

export interface Inputs extends BuildExtras {
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

function parseTags(input: InputReader, name: 'tags' | 'extra-tags', tags: string[]): string[] {
  for (const tag of tags) {
    // Full references are checked when they are resolved; plain tags here, before anything runs.
    if (!tag.includes('/') && !tag.includes(':') && !isValidTag(tag)) {
      throw new ConfigurationError(
        `Input '${input.name(name)}' entry ${quote(tag)} is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
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

function parseScanners(input: InputReader): Scanner[] {
  const given = input.list('scanners')
  if (given.length === 0) return ['vuln', 'secret']
  const scanners: Scanner[] = []
  for (const entry of given) {
    const scanner = SCANNERS.find((s) => s === entry.toLowerCase())
    if (scanner === undefined) {
      throw new ConfigurationError(
        `Input '${input.name('scanners')}' entry ${quote(entry)} is not a Trivy scanner; use ${SCANNERS.join(', ')}`,
      )
    }
    if (!scanners.includes(scanner)) scanners.push(scanner)
  }
  return scanners
}

/** The inputs that tune the build and the scan beyond the image's own definition. */
function parseExtras(input: InputReader, builder: Inputs['builder'], scan: boolean): BuildExtras {
  const extras: BuildExtras = {
    extraTags: parseTags(input, 'extra-tags', input.list('extra-tags')),
    cacheFrom: parseCacheEntries(input, 'cache-from', input.lines('cache-from')),
    cacheTo: parseCacheEntries(input, 'cache-to', input.lines('cache-to')),
    noCache: input.boolean('no-cache', false),
    pull: input.boolean('pull', false),
    provenance: parseAttestation(input, 'provenance', input.optional('provenance')),
    sbom: parseAttestation(input, 'sbom', input.optional('sbom')),
    sbomFile: input.optional('sbom-file'),
    scanners: parseScanners(input),
  }
  if (builder === 'docker') {
    const given = {
      'cache-from': extras.cacheFrom.length > 0,
      'cache-to': extras.cacheTo.length > 0,
      provenance: extras.provenance !== undefined,
      sbom: extras.sbom !== undefined,
    }
    const buildxOnly = Object.keys(given).filter((name) => given[name as keyof typeof given])
    if (buildxOnly.length > 0) {
      throw new ConfigurationError(
        `Input '${input.name(buildxOnly[0] as string)}' needs buildx, but '${input.name('builder')}' is docker; use '${input.name('builder')}: buildx' or auto`,
      )
    }
  }
  if (extras.sbomFile !== undefined && !scan) {
    throw new ConfigurationError(
      `Input '${input.name('sbom-file')}' writes the SBOM from the scan, but '${input.name('scan')}' is false`,
    )
  }
  return extras
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
  const tags = parseTags(input, 'tags', input.list('tags'))
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
  const trivyVersion = parseTrivyVersion(input.optional('trivy-version'), input.name('trivy-version'))
  const thresholdChoices = [...SEVERITIES, 'none'] as const
  const scan = input.boolean('scan', true)
  return {
    ...parseExtras(input, builder, scan),
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
    scan,
    severityThreshold: input.choice('severity-threshold', thresholdChoices, 'HIGH'),
    ignoreUnfixed: input.boolean('ignore-unfixed', true),
    trivyignore: input.optional('trivyignore'),
    trivyVersion,
    trivyPath: input.optional('trivy-path'),
    sarifFile: input.optional('sarif-file'),
    maxSize,
  }
}
