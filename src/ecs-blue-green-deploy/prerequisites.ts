import type { Service } from '@aws-sdk/client-ecs'
import { ConfigurationError, OperationError } from '../lib/errors.js'
import type { Strategy } from './strategy.js'
import type { InputName } from './task-definition.js'

const ADVANCED_FIELDS = [
  ['alternateTargetGroupArn', 'the alternate (green) target group'],
  ['productionListenerRule', 'the production listener rule'],
  ['roleArn', 'the infrastructure role ECS shifts traffic with'],
] as const

/**
 * What a service lacks for a blue/green, canary or linear deployment (ECS refuses UpdateService
 * without it): each load balancer's `advancedConfiguration` with the alternate target group, the
 * production listener rule and the role, plus the test listener rule when the test gate sends
 * traffic through it; or, without a load balancer, Service Connect.
 */
export function blueGreenGaps(service: Service, gate: boolean): string[] {
  const balancers = service.loadBalancers ?? []
  if (balancers.length === 0) {
    const serviceConnect = (service.deployments ?? []).some((d) => d.serviceConnectConfiguration?.enabled)
    return serviceConnect ? [] : ['a load balancer (or Service Connect): the service has none']
  }
  return balancers.flatMap((lb, i) => {
    const advanced = lb.advancedConfiguration ?? {}
    const name = lb.targetGroupArn?.split(':').pop() ?? lb.loadBalancerName ?? `load balancer ${i + 1}`
    const fields = [
      ...ADVANCED_FIELDS,
      ...(gate ? ([['testListenerRule', 'the test listener rule test-url reaches']] as const) : []),
    ]
    return fields
      .filter(([field]) => !advanced[field])
      .map(([field, what]) => `loadBalancers[${i}] (${name}) advancedConfiguration.${field} (${what})`)
  })
}

const HAS_TEST_TRAFFIC = (s: Strategy) => s !== 'rolling'

/**
 * Checks, before anything is registered, that the service can be deployed the way it will be:
 * the strategy's load balancer set-up, and a test traffic stage for the gate. `explicit` says
 * whether the `strategy` input chose the strategy (an error about it then names the input).
 */
export function checkPrerequisites(
  name: string,
  service: Service,
  strategy: Strategy,
  explicit: boolean,
  gate: boolean,
  inputName: InputName,
): void {
  if (strategy === 'rolling') return
  const gaps = blueGreenGaps(service, gate)
  if (gaps.length === 0) return
  const why = `service '${name}' cannot deploy ${strategy}: it needs ${gaps.join('; ')}`
  const fix =
    'Configure them on the service (see "Blue/green deployments" in the ECS developer guide), or deploy it rolling'
  if (explicit) throw new ConfigurationError(`Input '${inputName('strategy')}': ${why}. ${fix}`)
  throw new OperationError(
    `The ${why} (${strategy} is its current strategy). ${fix} with '${inputName('strategy')}: rolling'`,
  )
}

/**
 * Which services the gate pauses: those deployed with a test traffic stage. A single service
 * deployed rolling with `test-url` is an error, as is a gate none of the services can take.
 */
export function gatedServices(
  names: readonly string[],
  strategies: readonly Strategy[],
  gate: boolean,
  inputName: InputName,
): boolean[] {
  if (!gate) return names.map(() => false)
  const gated = strategies.map(HAS_TEST_TRAFFIC)
  if (!gated.some(Boolean)) {
    const which = names.length === 1 ? `service '${names[0]}' deploys` : 'all the services deploy'
    throw new ConfigurationError(
      `Input '${inputName('test-url')}' needs a blue-green, canary or linear deployment: ${which} rolling, which has no test traffic stage to pause at; set '${inputName('strategy')}'`,
    )
  }
  return gated
}
