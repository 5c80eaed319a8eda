import { ConfigurationError, quote } from '../lib/errors.js'
import {
  checkEnvironmentAgainstSecrets,
  containerNames,
  familyOf,
  targetContainer,
  type InputName,
} from './task-definition.js'

/** What the container checks read of the options (see EcsDeployOptions). */
export interface ContainerOptions {
  containerName?: string
  image?: string
  imageFromPipeline: boolean
  images: Record<string, string>
  environment: Record<string, string>
  migrateCommand?: string[]
  inputName: InputName
}

/**
 * What the given task definition must hold for these options: the container `image`,
 * `environment` and the migration go to, and no `environment` name that this container takes from
 * its secrets. Used for the file at parse time and for each service's current task definition
 * before anything is registered. Returns the target container, if one is needed.
 */
export function checkContainers(
  definition: Record<string, unknown>,
  options: ContainerOptions,
): string | undefined {
  const name = options.inputName
  const setsImage = options.image !== undefined || options.imageFromPipeline
  const needsTarget =
    setsImage ||
    Object.keys(options.environment).length > 0 ||
    options.migrateCommand !== undefined ||
    options.containerName !== undefined
  if (!needsTarget) return undefined
  const target = targetContainer(definition, options.containerName, name)
  if (setsImage && options.images[target] !== undefined) {
    throw new ConfigurationError(
      `Inputs '${name('image')}' and '${name('images')}' both set container ${quote(target)} of ${familyOf(definition)}: set it in one of them`,
    )
  }
  checkEnvironmentAgainstSecrets(definition, target, options.environment, name)
  return target
}

/** Each container `images` names must be in one of the task definitions being deployed. */
export function checkImageContainers(
  definitions: Record<string, unknown>[],
  images: Record<string, string>,
  name: InputName,
): void {
  for (const container of Object.keys(images)) {
    if (definitions.some((d) => containerNames(d).includes(container))) continue
    const known = [...new Set(definitions.flatMap(containerNames))]
    const where = definitions.map(familyOf).join(', ')
    throw new ConfigurationError(
      `Input '${name('images')}': no container ${quote(container)} in ${where}; its containers are: ${known.join(', ')}`,
    )
  }
}
