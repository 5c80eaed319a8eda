import { readFileSync } from 'node:fs'
import { ConfigurationError } from '../lib/errors.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import { isEcrImage } from './build-cache.js'
import { parseBuildSecrets, type BuildSecrets } from './build-secrets.js'
import type { BuildAndScanImageParseContext } from './deps.js'
import { parseDockerfile, targetStage } from './dockerfile.js'
import { parseInputs, type Inputs } from './inputs.js'
import { resolvePaths, type Paths } from './paths.js'
import { parseImageCommentOptions, type ImageCommentOptions } from './pr-comment.js'
import { imageReferences } from './tags.js'

/** Everything a build and scan runs from: the inputs, checked, and the paths they name, resolved. */
export interface BuildAndScanImageOptions extends Inputs {
  paths: Paths
  /** Build secrets and SSH agents for BuildKit; their values are masked by maskBuildSecrets first. */
  secrets: BuildSecrets
  /** The image goes to Amazon ECR (its name, or the composing action says so): attestations default off. */
  ecrBound: boolean
  /** The pull request comment of the findings (`comment`, `github-token`). */
  comment: ImageCommentOptions
  /** This action's input names as the user wrote them, when a composing action renamed them. */
  names?: Readonly<Record<string, string>>
}

/** An input's name as the user knows it, for messages written while the build runs. */
export function inputName(options: Pick<BuildAndScanImageOptions, 'names'>, name: string): string {
  return new InputReader(() => '', options.names).name(name)
}

/**
 * Reads and checks every input, the paths they name and the Dockerfile's `target` stage, before
 * anything runs. `names` maps this action's input names to a composing action's (InputReader).
 */
export function parseBuildAndScanImageOptions(
  get: GetInput,
  context: BuildAndScanImageParseContext,
  names?: Readonly<Record<string, string>>,
): BuildAndScanImageOptions {
  const input = new InputReader(get, names)
  const inputs = parseInputs(get, names)
  // Full references among the tags are checked here too, not only when the build starts.
  imageReferences(
    inputs.image,
    inputs.tags,
    [],
    input.name('tags'),
    inputs.extraTags,
    input.name('extra-tags'),
  )
  const paths = resolvePaths(inputs, context, input)
  if (inputs.target !== undefined) {
    const dockerfile = parseDockerfile(readFileSync(paths.dockerfile, 'utf8'), inputs.buildArgs)
    if (targetStage(dockerfile, inputs.target) === undefined) {
      throw new ConfigurationError(
        `Input '${input.name('target')}' names stage '${inputs.target}', which ${paths.dockerfileShown} does not define`,
      )
    }
  }
  const secrets = parseBuildSecrets(input, paths.workspace, context.env)
  const ecrBound = context.pushesToEcr === true || isEcrImage(inputs.image)
  const comment = parseImageCommentOptions(get, context.env, names)
  return { ...inputs, paths, secrets, ecrBound, comment, ...(names === undefined ? {} : { names }) }
}
