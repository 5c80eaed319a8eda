import { migrationOutcome, migrationTaskRequest } from '../../../src/ecs-blue-green-deploy/migration.js'

const plan = {
  cluster: 'prod',
  taskDefinitionArn: 'arn:td/web:8',
  containerName: 'web',
  command: ['python', 'manage.py', 'migrate'],
}
const network = {
  awsvpcConfiguration: { subnets: ['s-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' as const },
}

test.each([
  [
    'Fargate launch type with platform version',
    { launchType: 'FARGATE' as const, platformVersion: '1.4.0', networkConfiguration: network },
    { launchType: 'FARGATE', platformVersion: '1.4.0', networkConfiguration: network },
  ],
  [
    'capacity providers win over launch type',
    {
      launchType: 'FARGATE' as const,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      platformVersion: 'LATEST',
    },
    { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] },
  ],
  ['EC2 bridge network', { launchType: 'EC2' as const }, { launchType: 'EC2' }],
])('%s', (_name, service, placement) => {
  const request = migrationTaskRequest(service, plan)
  expect(request).toEqual({
    cluster: 'prod',
    taskDefinition: 'arn:td/web:8',
    count: 1,
    startedBy: 'ecs-blue-green-deploy',
    overrides: { containerOverrides: [{ name: 'web', command: ['python', 'manage.py', 'migrate'] }] },
    ...placement,
  })
})

test.each([
  ['exit 0', { containers: [{ name: 'web', exitCode: 0 }] }, { ok: true, exitCode: 0 }],
  [
    'exit 1 with reasons',
    {
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'web', exitCode: 1, reason: 'boom' }],
    },
    { ok: false, exitCode: 1, reason: 'Essential container in task exited; boom' },
  ],
  [
    'never started',
    { stoppedReason: 'CannotPullContainerError: not found', containers: [{ name: 'web' }] },
    { ok: false, exitCode: undefined, reason: 'CannotPullContainerError: not found' },
  ],
  [
    'other container only',
    { containers: [{ name: 'proxy', exitCode: 0 }] },
    { ok: false, reason: 'no reason given' },
  ],
])('%s', (_name, task, expected) => {
  expect(migrationOutcome(task, 'web')).toMatchObject(expected)
})
