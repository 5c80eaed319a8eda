import { RegisterTaskDefinitionRequest$, TaskDefinition$ } from '@aws-sdk/client-ecs'
import {
  checkEnvironmentAgainstSecrets,
  DESCRIBE_ONLY_FIELDS,
  parseTaskDefinitionFile,
  renderTaskDefinition,
  targetContainer,
  taskDefinitionLabel,
} from '../../../src/ecs-blue-green-deploy/task-definition.js'

const described = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:7',
  family: 'web',
  revision: 7,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'ecs.capability.execution-role-awslogs' }],
  compatibilities: ['EC2', 'FARGATE'],
  registeredAt: '2026-01-01T00:00:00Z',
  registeredBy: 'arn:aws:iam::1:role/x',
  deregisteredAt: '2026-01-02T00:00:00Z',
  deleteRequestedAt: '2026-01-03T00:00:00Z',
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'web',
      image: 'web:1',
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    },
    { name: 'sidecar', image: 'envoy:1' },
  ],
}
const noImages = { images: {}, environment: {} }
/** Messages name this action's own inputs. */
const own = (input: string) => input

describe('parseTaskDefinitionFile', () => {
  test('accepts the plain request and the describe-task-definition output with tags', () => {
    expect(parseTaskDefinitionFile(JSON.stringify(described), 'f').definition.family).toBe('web')
    const wrapped = parseTaskDefinitionFile(
      JSON.stringify({ taskDefinition: described, tags: [{ key: 'team', value: 'a' }] }),
      'f',
    )
    expect(wrapped.definition.revision).toBe(7)
    expect(wrapped.tags).toEqual([{ key: 'team', value: 'a' }])
  })

  test('reads YAML as amazon-ecs-deploy-task-definition does, dropping keys left empty', () => {
    const yaml = [
      'family: web',
      'taskRoleArn:',
      'containerDefinitions:',
      '  - name: web',
      '    image: web:1',
      '    environment:',
      '      - {name: A, value: "1"}',
      '    healthCheck:',
      '      command: [CMD-SHELL, curl -f http://localhost/ || exit 1]',
      '      retries:',
    ].join('\n')
    expect(parseTaskDefinitionFile(yaml, 'f').definition).toEqual({
      family: 'web',
      containerDefinitions: [
        {
          name: 'web',
          image: 'web:1',
          environment: [{ name: 'A', value: '1' }],
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] },
        },
      ],
    })
  })

  test.each([
    ['{', /f is not valid JSON or YAML/],
    ['family: [', /f is not valid JSON or YAML/],
    [
      'family: web\nfamily: api\ncontainerDefinitions: [{name: x}]',
      /not valid JSON or YAML: Map keys must be unique/,
    ],
    ['[]', /must be an object/],
    ['{"family": "web"}', /has no containerDefinitions/],
    ['{"family": "web", "containerDefinitions": []}', /has no containerDefinitions/],
    ['{"family": "web", "containerDefinitions": [{"image": "x"}]}', /item 1 has no 'name'/],
    ['{"containerDefinitions": [{"name": "x"}]}', /has no 'family'/],
    ['{"family": "w", "containerDefinitions": [{"name": "x"}], "tags": "a"}', /'tags' must be a list/],
  ])('%s is rejected', (text, message) => {
    expect(() => parseTaskDefinitionFile(text, 'f')).toThrow(message)
  })
})

describe('targetContainer', () => {
  const two = (a: Record<string, unknown>, b: Record<string, unknown>) => ({
    family: 'web',
    containerDefinitions: [
      { name: 'web', ...a },
      { name: 'proxy', ...b },
    ],
  })
  test.each<[string | undefined, Record<string, unknown>, string | RegExp]>([
    ['web', described, 'web'],
    [undefined, { family: 'one', containerDefinitions: [{ name: 'only' }] }, 'only'],
    [undefined, two({}, { essential: false }), 'web'],
    [undefined, two({ essential: false }, { essential: true }), 'proxy'],
    [
      undefined,
      described,
      /'container-name' is required: web has 2 containers \(web, sidecar\) and 2 of them essential/,
    ],
    [undefined, two({ essential: false }, { essential: false }), /and none of them essential/],
    ['worker', described, /no container 'worker' in web; its containers are: web, sidecar/],
  ])('%s', (name, definition, expected) => {
    if (typeof expected === 'string') expect(targetContainer(definition, name, own)).toBe(expected)
    else expect(() => targetContainer(definition, name, own)).toThrow(expected)
  })
})

test('checkEnvironmentAgainstSecrets refuses a name the container takes from its secrets', () => {
  const definition = {
    family: 'web',
    containerDefinitions: [
      { name: 'web', secrets: [{ name: 'DATABASE_URL', valueFrom: 'arn:ssm' }] },
      { name: 'proxy', secrets: [{ name: 'TOKEN', valueFrom: 'arn:ssm' }] },
    ],
  }
  expect(() =>
    checkEnvironmentAgainstSecrets(definition, 'web', { TOKEN: 'x', DEBUG: '0' }, own),
  ).not.toThrow()
  expect(() => checkEnvironmentAgainstSecrets(definition, 'web', { DATABASE_URL: 'x' }, own)).toThrow(
    "Input 'environment' sets DATABASE_URL, which container 'web' of web takes from its secrets",
  )
})

// The reference for what DescribeTaskDefinition returns and RegisterTaskDefinition takes: the
// service model the AWS SDK is generated from (its structure schemas list each shape's members).
const DESCRIBED_MEMBERS = TaskDefinition$[4]
const REGISTER_MEMBERS = RegisterTaskDefinitionRequest$[4]

test("DESCRIBE_ONLY_FIELDS are exactly the described members RegisterTaskDefinition's model lacks", () => {
  const describeOnly = DESCRIBED_MEMBERS.filter((member) => !REGISTER_MEMBERS.includes(member))
  expect([...DESCRIBE_ONLY_FIELDS].sort()).toEqual(describeOnly.sort())
  // The fixture carries every one of them, as a file saved from describe-task-definition does.
  expect(describeOnly.filter((member) => !(member in described))).toEqual([])
})

describe('renderTaskDefinition', () => {
  const source = { definition: described, tags: [{ key: 'team', value: 'a' }] }

  test.each([
    [
      'image and merged environment on the named container',
      { container: 'web', image: 'web:2', images: {}, environment: { B: 'two', C: '3' } },
      {
        name: 'web',
        image: 'web:2',
        environment: [
          { name: 'A', value: '1' },
          { name: 'B', value: 'two' },
          { name: 'C', value: '3' },
        ],
      },
    ],
    [
      'image only keeps the environment as it was',
      { container: 'web', image: 'web:3', ...noImages },
      { name: 'web', image: 'web:3', environment: described.containerDefinitions[0]?.environment },
    ],
    ['nothing to change keeps the container', noImages, described.containerDefinitions[0]],
  ])('%s', (_name, changes, firstContainer) => {
    const request = renderTaskDefinition(source, changes)
    expect(request.containerDefinitions?.[0]).toEqual(firstContainer)
    expect(request.containerDefinitions?.[1]).toEqual({ name: 'sidecar', image: 'envoy:1' })
    // Nothing RegisterTaskDefinition does not take, by the SDK's own model of its request.
    expect(Object.keys(request).filter((key) => !REGISTER_MEMBERS.includes(key))).toEqual([])
    expect(request).toMatchObject({
      family: 'web',
      cpu: '256',
      memory: '512',
      tags: [{ key: 'team', value: 'a' }],
    })
  })

  test('does not modify its input', () => {
    const before = JSON.stringify(source)
    renderTaskDefinition(source, {
      container: 'web',
      image: 'x',
      images: { sidecar: 'y' },
      environment: { Z: '1' },
    })
    expect(JSON.stringify(source)).toBe(before)
  })

  test('images set the containers they name; names not in this task definition are skipped', () => {
    const request = renderTaskDefinition(source, {
      container: 'web',
      image: 'web:2',
      images: { sidecar: 'envoy:2', 'log-router': 'fluent-bit:3' },
      environment: {},
    })
    expect(request.containerDefinitions?.map((c) => [c.name, c.image])).toEqual([
      ['web', 'web:2'],
      ['sidecar', 'envoy:2'],
    ])
  })

  test('no tags, no tags field', () => {
    expect(renderTaskDefinition({ definition: described, tags: [] }, noImages)).not.toHaveProperty('tags')
  })
})

test.each([
  ['arn:aws:ecs:us-east-1:1:task-definition/web:7', 'web:7'],
  ['web:3', 'web:3'],
  [undefined, 'an unknown task definition'],
])('taskDefinitionLabel(%s)', (arn, label) => {
  expect(taskDefinitionLabel(arn)).toBe(label)
})
