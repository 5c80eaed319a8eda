export type Builder = 'buildx' | 'docker'

export interface BuildPlan {
  builder: Builder
  dockerfile: string
  context: string
  /** Full references: name:tag. */
  references: readonly string[]
  labels: Record<string, string>
  buildArgs: Record<string, string>
  target?: string
  platforms: readonly string[]
  /** Where the builder writes the image ID. */
  iidFile: string
  /** buildx only: where it writes the build's metadata (digest, ...). */
  metadataFile?: string
  /** buildx only: the GitHub Actions cache scope, when the cache is on and available. */
  ghaCacheScope?: string
  /** buildx only: push from the builder (multi-platform builds cannot be loaded). */
  pushFromBuilder?: boolean
  /** docker only: build with the engine's BuildKit (DOCKER_BUILDKIT=1), e.g. for secrets. */
  buildkit?: boolean
  /** `--secret` / `--ssh` arguments: ids, variable names and paths, never values. */
  secretArgv?: readonly string[]
  /** buildx only: cache entries as buildx takes them (the gha scope already applied). */
  cacheFrom?: readonly string[]
  cacheTo?: readonly string[]
  noCache?: boolean
  pull?: boolean
  /** buildx only: `--provenance` / `--sbom` values; undefined leaves buildx's default. */
  provenance?: string
  sbom?: string
  /** The commit's time (seconds), for BuildKit's reproducible timestamps. */
  sourceDateEpoch?: number
}

/** The BuildKit-only and buildx-only arguments, in the order the build command takes them. */
function builderArgv(plan: BuildPlan): string[] {
  const argv: string[] = []
  const buildkit = plan.builder === 'buildx' || plan.buildkit === true
  if (buildkit && plan.sourceDateEpoch !== undefined && plan.buildArgs.SOURCE_DATE_EPOCH === undefined) {
    // BuildKit v0.11+ dates the image config and history by this build arg (moby/buildkit#2918);
    // it reaches RUN steps only through an `ARG SOURCE_DATE_EPOCH`, so it does not bust the cache.
    argv.push('--build-arg', `SOURCE_DATE_EPOCH=${plan.sourceDateEpoch}`)
  }
  if (buildkit) argv.push(...(plan.secretArgv ?? []))
  if (plan.noCache) argv.push('--no-cache')
  if (plan.pull) argv.push('--pull')
  if (plan.builder !== 'buildx') return argv
  for (const entry of plan.cacheFrom ?? []) argv.push('--cache-from', entry)
  for (const entry of plan.cacheTo ?? []) argv.push('--cache-to', entry)
  if (plan.provenance !== undefined) argv.push(`--provenance=${plan.provenance}`)
  if (plan.sbom !== undefined) argv.push(`--sbom=${plan.sbom}`)
  return argv
}

/**
 * The argv for the build. `buildx` loads a single-platform image into the engine so it can be
 * inspected and scanned before anything is pushed; a multi-platform build cannot be loaded and
 * is pushed by the builder instead. `docker` is the classic `docker build` with the same tags,
 * labels, build args and target.
 */
export function buildArgv(plan: BuildPlan): string[] {
  // The classic builder keeps the containers of failed steps unless told otherwise.
  const argv =
    plan.builder === 'buildx'
      ? ['buildx', 'build', '--progress=plain']
      : plan.buildkit
        ? ['build', '--progress=plain']
        : ['build', '--force-rm']
  argv.push('--file', plan.dockerfile)
  for (const reference of plan.references) argv.push('--tag', reference)
  for (const [key, value] of Object.entries(plan.labels)) argv.push('--label', `${key}=${value}`)
  for (const [key, value] of Object.entries(plan.buildArgs)) argv.push('--build-arg', `${key}=${value}`)
  if (plan.target !== undefined) argv.push('--target', plan.target)
  if (plan.platforms.length > 0) argv.push('--platform', plan.platforms.join(','))
  argv.push(...builderArgv(plan))
  argv.push('--iidfile', plan.iidFile)
  if (plan.builder === 'buildx') {
    if (plan.metadataFile !== undefined) argv.push('--metadata-file', plan.metadataFile)
    if (plan.ghaCacheScope !== undefined) {
      argv.push('--cache-from', `type=gha,scope=${plan.ghaCacheScope}`)
      argv.push('--cache-to', `type=gha,mode=max,scope=${plan.ghaCacheScope}`)
    }
    argv.push(plan.pushFromBuilder ? '--push' : '--load')
  }
  argv.push(plan.context)
  return argv
}

/**
 * Whether the runner gives this job the GitHub Actions cache service that buildx's `type=gha`
 * cache talks to: a runtime token and a cache URL (the v1 or the v2 service).
 */
export function hasGhaCacheService(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL))
}

/** A cache scope per image, so two images built in one repository do not evict each other. */
export function cacheScope(image: string): string {
  return image.replace(/[^a-z0-9._-]+/g, '-')
}
