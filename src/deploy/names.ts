import type { GetInput } from '../lib/runner/inputs.js'

/**
 * Which of deploy's inputs each phase reads, by the phase action's own input name: the `names`
 * each phase's parser gets (InputReader), so every message names the input the user wrote.
 * A phase input missing here is one deploy does not offer: it reads as unset, and the phase
 * uses its own default.
 */
export type PhaseNames = Readonly<Record<string, string>>

/** build-and-scan-image; for ECS without `image`, the image is named after `repository`. */
export const BUILD_NAMES = {
  image: 'image',
  context: 'context',
  dockerfile: 'dockerfile',
  tags: 'tags',
  'build-args': 'build-args',
  target: 'build-target',
  lint: 'lint',
  scan: 'scan',
  'severity-threshold': 'severity-threshold',
  'trivy-path': 'trivy-path',
  'sarif-file': 'sarif-file',
  'extra-tags': 'extra-tags',
  secrets: 'secrets',
  'secret-files': 'secret-files',
  'secret-envs': 'secret-envs',
  ssh: 'ssh',
  'cache-from': 'cache-from',
  'cache-to': 'cache-to',
  scanners: 'scanners',
  'no-cache': 'no-cache',
  pull: 'pull',
  'ignore-unfixed': 'ignore-unfixed',
  provenance: 'provenance',
  sbom: 'sbom',
  'sbom-file': 'sbom-file',
  comment: 'comment',
  'comment-key': 'comment-key',
  'github-token': 'github-token',
} as const satisfies PhaseNames

export const PUSH_NAMES = {
  repository: 'repository',
  'aws-region': 'aws-region',
  'create-repository': 'create-repository',
} as const satisfies PhaseNames

/** What the deployment phases share: how long, how often, and whether to roll back. */
const WAIT_NAMES = {
  timeout: 'timeout',
  'poll-interval': 'poll-interval',
  'rollback-on-failure': 'rollback-on-failure',
} as const

export const ECS_NAMES = {
  cluster: 'cluster',
  service: 'service',
  services: 'services',
  images: 'images',
  'aws-region': 'aws-region',
  'task-definition': 'task-definition',
  'container-name': 'container-name',
  environment: 'environment',
  strategy: 'strategy',
  'bake-time': 'bake-time',
  'test-url': 'test-url',
  'test-checks': 'test-checks',
  'migrate-command': 'migrate-command',
  'github-environment': 'github-environment',
  'github-environment-url': 'github-environment-url',
  'github-token': 'github-token',
  ...WAIT_NAMES,
} as const satisfies PhaseNames

export const RENDER_NAMES = {
  'service-id': 'service-id',
  'api-key': 'api-key',
  'deploy-hook-url': 'deploy-hook-url',
  'commit-id': 'commit-id',
  'api-url': 'api-url',
  'cancel-on-timeout': 'cancel-on-timeout',
  'deploy-mode': 'deploy-mode',
  'github-environment': 'github-environment',
  'github-token': 'github-token',
  ...WAIT_NAMES,
} as const satisfies PhaseNames

export const SMOKE_NAMES = {
  url: 'url',
  checks: 'checks',
  timeout: 'smoke-timeout',
} as const satisfies PhaseNames

/**
 * Inputs a build phase reads that are not only the build's: the region (push and deploy use it)
 * and the GitHub token (the pull request comment, and the GitHub deployment). Given with
 * `existing-image`, or with target render and no `image`, they are not a build input given
 * for nothing.
 */
export const SHARED_INPUTS: ReadonlySet<string> = new Set(['aws-region', 'github-token'])

/** The build inputs a user gave: those that mean a build is wanted. */
export function buildInputsGiven(given: (name: string) => boolean, names: readonly string[]): string[] {
  return names.filter((name) => !SHARED_INPUTS.has(name) && given(name))
}

/** Deploy's own inputs, read by deploy itself rather than by a phase. */
export const OWN_INPUTS = ['target', 'existing-image', 'notify-webhook', 'notify-on'] as const

/** Every input deploy reads, own or through a phase (a test holds this against action.yml). */
export const ALL_INPUTS: readonly string[] = [
  ...new Set([
    ...OWN_INPUTS,
    ...[BUILD_NAMES, PUSH_NAMES, ECS_NAMES, RENDER_NAMES, SMOKE_NAMES].flatMap((names) =>
      Object.values(names),
    ),
  ]),
]

/**
 * The step's inputs as one phase sees them: only those its `names` map to (others read as
 * unset, so a phase never picks up an input deploy does not declare). `fallback` holds values
 * deploy works out itself, by the phase's input name, for inputs the user left unset or deploy
 * has none of (smoke-test's `base-url`: deploy's first `url`, or the deployed service's URL).
 */
export function phaseInputs(
  get: GetInput,
  names: PhaseNames,
  fallback: Readonly<Record<string, string | undefined>> = {},
): GetInput {
  const phaseName = new Map(Object.entries(names).map(([phase, own]) => [own, phase]))
  return (name) => {
    const phase = phaseName.get(name)
    if (phase === undefined) return names[name] === undefined ? (fallback[name] ?? '') : ''
    const value = get(name)
    return value.trim() === '' ? (fallback[phase] ?? value) : value
  }
}
