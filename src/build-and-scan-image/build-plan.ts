import { buildxDriver } from '../lib/docker/builder.js'
import { OperationError } from '../lib/errors.js'
import { cacheScope, hasGhaCacheService, type Builder } from './build-args.js'
import { scopedEntry } from './build-cache.js'
import { hasSecrets } from './build-secrets.js'
import { inputName } from './options.js'
import type { BuildRun } from './run-context.js'

/** Which builder runs, and whether the docker builder uses the engine's BuildKit. */
export interface BuilderChoice {
  builder: Builder
  /** docker builder with DOCKER_BUILDKIT=1: secrets or ssh are given, or the job asked for it. */
  buildkit: boolean
}

/**
 * buildx when it is installed (or asked for), else `docker build`; the docker builder uses
 * BuildKit (`DOCKER_BUILDKIT=1`) when build secrets or ssh need it or the job's environment sets
 * DOCKER_BUILDKIT=1, and the classic builder otherwise.
 */
export function chooseBuilder(run: BuildRun, buildxInstalled: boolean): BuilderChoice {
  const { options } = run
  const needsBuildkit = hasSecrets(options.secrets) || run.ports.env.DOCKER_BUILDKIT === '1'
  if (options.builder === 'buildx' && !buildxInstalled) {
    const input = inputName(options, 'builder')
    throw new OperationError(
      `${input} is 'buildx' but 'docker buildx version' fails: install buildx (docker/setup-buildx-action) or use '${input}: auto'`,
    )
  }
  if (options.builder === 'buildx' || (options.builder === 'auto' && buildxInstalled)) {
    return { builder: 'buildx', buildkit: true }
  }
  return { builder: 'docker', buildkit: needsBuildkit }
}

/** The process environment of the build: the step's, the secret values, and the builder switch. */
export function buildEnv(
  env: NodeJS.ProcessEnv,
  choice: BuilderChoice,
  buildxInstalled: boolean,
  secretEnv: Record<string, string>,
): NodeJS.ProcessEnv {
  if (choice.builder === 'buildx') return { ...env, ...secretEnv }
  if (choice.buildkit) return { ...env, ...secretEnv, DOCKER_BUILDKIT: '1' }
  // Without buildx the newer CLI refuses DOCKER_BUILDKIT=1; the classic builder is what is there.
  return buildxInstalled ? env : { ...env, DOCKER_BUILDKIT: '0' }
}

/** The cache entries: the user's (gha ones scoped per image), else the GitHub Actions cache when it can work. */
export async function cacheEntries(
  run: BuildRun,
  builder: Builder,
): Promise<{ from: string[]; to: string[] }> {
  const { io, env, exec } = run.ports
  const { options } = run
  const scope = cacheScope(options.image)
  const given = options.cacheFrom.length + options.cacheTo.length > 0
  if (builder !== 'buildx') {
    if (given) {
      io.warning(
        `'${inputName(options, 'cache-from')}' / '${inputName(options, 'cache-to')}' need buildx, which this runner does not have (docker/setup-buildx-action); building without them`,
      )
    }
    return { from: [], to: [] }
  }
  if (given) {
    return {
      from: options.cacheFrom.map((entry) => scopedEntry(entry, scope)),
      to: options.cacheTo.map((entry) => scopedEntry(entry, scope)),
    }
  }
  if (!options.cache || !hasGhaCacheService(env)) return { from: [], to: [] }
  if ((await buildxDriver(exec)) === 'docker') {
    io.notice(
      'The GitHub Actions build cache needs a buildx builder with the docker-container driver (docker/setup-buildx-action); building without it',
    )
    return { from: [], to: [] }
  }
  return { from: [`type=gha,scope=${scope}`], to: [`type=gha,mode=max,scope=${scope}`] }
}

/**
 * buildx's provenance and SBOM attestations: as asked, else off for an image bound for Amazon
 * ECR (the attestation manifests in the index trouble ECR and its consumers:
 * docker/build-push-action#826), else buildx's own default.
 */
export function attestations(run: BuildRun, builder: Builder): { provenance?: string; sbom?: string } {
  const { options } = run
  if (builder !== 'buildx') {
    for (const name of ['provenance', 'sbom'] as const) {
      const value = options[name]
      if (value !== undefined && value !== 'false') {
        run.ports.io.warning(
          `'${inputName(options, name)}' needs buildx, which this runner does not have; not attached`,
        )
      }
    }
    return {}
  }
  const fallback = options.ecrBound ? 'false' : undefined
  return { provenance: options.provenance ?? fallback, sbom: options.sbom ?? fallback }
}

const BUILDKIT_REFUSED =
  /BuildKit is enabled but the buildx component is missing|buildkit not supported by daemon/i

/** When the docker client or engine refuses BuildKit, the error says what needed it and what to do. */
export function buildkitRefusal(run: BuildRun, output: string): OperationError | undefined {
  if (!BUILDKIT_REFUSED.test(output)) return undefined
  const { options } = run
  const what = hasSecrets(options.secrets)
    ? `Build secrets and ssh ('${['secrets', 'secret-files', 'secret-envs', 'ssh'].map((n) => inputName(options, n)).join("', '")}')`
    : 'DOCKER_BUILDKIT=1'
  return new OperationError(
    `${what} need BuildKit, and this Docker client refuses it without the buildx plugin: install buildx (docker/setup-buildx-action), or use a Docker client that builds with the engine's BuildKit`,
  )
}
