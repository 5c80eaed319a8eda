import type { Service } from '@aws-sdk/client-ecs'
import {
  blueGreenGaps,
  checkPrerequisites,
  gatedServices,
} from '../../../src/ecs-blue-green-deploy/prerequisites.js'
import { ConfigurationError, OperationError } from '../../../src/lib/errors.js'

const ready: Service = {
  loadBalancers: [
    {
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web-blue/1',
      advancedConfiguration: {
        alternateTargetGroupArn: 'arn:tg/green',
        productionListenerRule: 'arn:rule/prod',
        testListenerRule: 'arn:rule/test',
        roleArn: 'arn:role',
      },
    },
  ],
}

test.each<[string, Service, boolean, string[]]>([
  ['ready', ready, true, []],
  [
    'no load balancer',
    { loadBalancers: [] },
    false,
    ['a load balancer (or Service Connect): the service has none'],
  ],
  [
    'Service Connect instead',
    { deployments: [{ serviceConnectConfiguration: { enabled: true } }] },
    false,
    [],
  ],
  [
    'a load balancer without advancedConfiguration',
    { loadBalancers: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1' }] },
    false,
    [
      'loadBalancers[0] (targetgroup/web/1) advancedConfiguration.alternateTargetGroupArn (the alternate (green) target group)',
      'loadBalancers[0] (targetgroup/web/1) advancedConfiguration.productionListenerRule (the production listener rule)',
      'loadBalancers[0] (targetgroup/web/1) advancedConfiguration.roleArn (the infrastructure role ECS shifts traffic with)',
    ],
  ],
  [
    'the gate needs the test listener rule',
    {
      loadBalancers: [
        {
          ...ready.loadBalancers?.[0],
          advancedConfiguration: {
            ...ready.loadBalancers?.[0]?.advancedConfiguration,
            testListenerRule: undefined,
          },
        },
      ],
    },
    true,
    [
      'loadBalancers[0] (targetgroup/web-blue/1) advancedConfiguration.testListenerRule (the test listener rule test-url reaches)',
    ],
  ],
])('blueGreenGaps: %s', (_name, service, gate, gaps) => {
  expect(blueGreenGaps(service, gate)).toEqual(gaps)
})

/** Messages name this action's own inputs. */
const own = (input: string) => input

test('checkPrerequisites names the input when the strategy was asked for, the service when it is its own', () => {
  expect(() => checkPrerequisites('worker', { loadBalancers: [] }, 'rolling', true, false, own)).not.toThrow()
  expect(() => checkPrerequisites('web', ready, 'blue-green', false, true, own)).not.toThrow()
  const asked = () => checkPrerequisites('worker', { loadBalancers: [] }, 'linear', true, false, own)
  expect(asked).toThrow(ConfigurationError)
  expect(asked).toThrow(/^Input 'strategy': service 'worker' cannot deploy linear: it needs a load balancer/)
  const current = () => checkPrerequisites('web', { loadBalancers: [] }, 'blue-green', false, false, own)
  expect(current).toThrow(OperationError)
  expect(current).toThrow(/\(blue-green is its current strategy\).*with 'strategy: rolling'$/)
})

test('gatedServices: the gate pauses the services with a test traffic stage', () => {
  expect(gatedServices(['web', 'worker'], ['blue-green', 'rolling'], true, own)).toEqual([true, false])
  expect(gatedServices(['web', 'worker'], ['blue-green', 'rolling'], false, own)).toEqual([false, false])
  expect(() => gatedServices(['web'], ['rolling'], true, own)).toThrow(/service 'web' deploys rolling/)
  expect(() => gatedServices(['a', 'b'], ['rolling', 'rolling'], true, own)).toThrow(
    /all the services deploy rolling/,
  )
})
