import {
  parseTaskDefinitionJson,
  renderTaskDefinition,
  selectContainer,
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

describe('parseTaskDefinitionJson', () => {
  test('accepts the plain request and the describe-task-definition output with tags', () => {
    expect(parseTaskDefinitionJson(JSON.stringify(described), 'f').definition.family).toBe('web')
    const wrapped = parseTaskDefinitionJson(
      JSON.stringify({ taskDefinition: described, tags: [{ key: 'team', value: 'a' }] }),
      'f',
    )
    expect(wrapped.definition.revision).toBe(7)
    expect(wrapped.tags).toEqual([{ key: 'team', value: 'a' }])
  })

  test.each([
    ['{', /f is not valid JSON/],
    ['[]', /must be a JSON object/],
    ['{"family": "web"}', /has no containerDefinitions/],
    ['{"family": "web", "containerDefinitions": []}', /has no containerDefinitions/],
    ['{"family": "web", "containerDefinitions": [{"image": "x"}]}', /item 1 has no 'name'/],
    ['{"containerDefinitions": [{"name": "x"}]}', /has no 'family'/],
    ['{"family": "w", "containerDefinitions": [{"name": "x"}], "tags": "a"}', /'tags' must be a list/],
  ])('%s is rejected', (text, message) => {
    expect(() => parseTaskDefinitionJson(text, 'f')).toThrow(message)
  })
})

describe('selectContainer', () => {
  test.each<[string | undefined, Record<string, unknown>, string | RegExp]>([
    ['web', described, 'web'],
    [undefined, { family: 'one', containerDefinitions: [{ name: 'only' }] }, 'only'],
    [undefined, described, /'container-name' is required: web has 2 containers \(web, sidecar\)/],
    ['worker', described, /no container 'worker' in web; its containers are: web, sidecar/],
  ])('%s', (name, definition, expected) => {
    if (typeof expected === 'string') expect(selectContainer(definition, name)).toBe(expected)
    else expect(() => selectContainer(definition, name)).toThrow(expected)
  })
})

describe('renderTaskDefinition', () => {
  const source = { definition: described, tags: [{ key: 'team', value: 'a' }] }

  test.each([
    [
      'image and merged environment on the named container',
      { containerName: 'web', image: 'web:2', environment: { B: 'two', C: '3' } },
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
      { containerName: 'web', image: 'web:3', environment: {} },
      { name: 'web', image: 'web:3', environment: described.containerDefinitions[0]?.environment },
    ],
    ['nothing to change keeps the container', { environment: {} }, described.containerDefinitions[0]],
  ])('%s', (_name, changes, firstContainer) => {
    const request = renderTaskDefinition(source, changes)
    expect(request.containerDefinitions?.[0]).toEqual(firstContainer)
    expect(request.containerDefinitions?.[1]).toEqual({ name: 'sidecar', image: 'envoy:1' })
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
      'deregisteredAt',
    ]) {
      expect(request).not.toHaveProperty(field)
    }
    expect(request).toMatchObject({
      family: 'web',
      cpu: '256',
      memory: '512',
      tags: [{ key: 'team', value: 'a' }],
    })
  })

  test('does not modify its input', () => {
    const before = JSON.stringify(source)
    renderTaskDefinition(source, { containerName: 'web', image: 'x', environment: { Z: '1' } })
    expect(JSON.stringify(source)).toBe(before)
  })

  test('an image without a container name is an error when there are several containers', () => {
    expect(() => renderTaskDefinition(source, { image: 'web:2', environment: {} })).toThrow(/container-name/)
  })

  test('no tags, no tags field', () => {
    expect(renderTaskDefinition({ definition: described, tags: [] }, { environment: {} })).not.toHaveProperty(
      'tags',
    )
  })
})

test.each([
  ['arn:aws:ecs:us-east-1:1:task-definition/web:7', 'web:7'],
  ['web:3', 'web:3'],
  [undefined, 'an unknown task definition'],
])('taskDefinitionLabel(%s)', (arn, label) => {
  expect(taskDefinitionLabel(arn)).toBe(label)
})
