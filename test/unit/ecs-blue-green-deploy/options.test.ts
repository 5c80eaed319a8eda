import { parseEcsDeployOptions } from '../../../src/ecs-blue-green-deploy/options.js'
import { inputsOf } from '../../helpers/io.js'

const files: Record<string, string> = {
  'td.json': JSON.stringify({
    family: 'web',
    containerDefinitions: [{ name: 'web', image: 'a' }, { name: 'b' }],
  }),
  'secrets.json': JSON.stringify({
    family: 'web',
    containerDefinitions: [
      { name: 'web', image: 'a', secrets: [{ name: 'DATABASE_URL', valueFrom: 'arn:ssm' }] },
    ],
  }),
}
const readFile = (path: string) => {
  const text = files[path]
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`)
  return text
}
const env = { AWS_REGION: 'us-east-1' }
const parse = (values: Record<string, string>) =>
  parseEcsDeployOptions(inputsOf({ service: 'web', ...values }), { readFile, env })

test('defaults', async () => {
  const inputs = await parse({})
  expect(inputs).toMatchObject({
    cluster: 'default',
    services: ['web'],
    region: 'us-east-1',
    imageFromPipeline: false,
    testChecks: [],
    wait: true,
    timeoutMs: 30 * 60_000,
    rollbackOnFailure: true,
    forceNewDeployment: false,
    environment: {},
    images: {},
  })
  // Each service keeps its own strategy and bake time, and the poll adapts.
  expect(inputs.strategy).toBeUndefined()
  expect(inputs.bakeTimeMinutes).toBeUndefined()
  expect(inputs.pollIntervalMs).toBeUndefined()
  expect(inputs.taskDefinition).toBeUndefined()
  expect(inputs.migrateCommand).toBeUndefined()
  expect((await parse({ 'poll-interval': 'auto' })).pollIntervalMs).toBeUndefined()
})

test('everything set', async () => {
  const inputs = await parse({
    cluster: 'prod',
    'aws-region': 'eu-west-1',
    'task-definition': 'td.json',
    'container-name': 'web',
    image: 'repo/web:1',
    images: 'b=repo/sidecar:2',
    environment: 'A=1\nB=x=y',
    strategy: 'CANARY',
    'bake-time': '0',
    'test-url': 'https://test.example.com/app',
    'test-checks': '- url: /health/\n  expect-status: 200',
    'migrate-command': 'python manage.py migrate --noinput',
    wait: 'true',
    timeout: '10m',
    'poll-interval': '2s',
    'rollback-on-failure': 'false',
    'force-new-deployment': 'true',
  })
  expect(inputs).toMatchObject({
    cluster: 'prod',
    region: 'eu-west-1',
    containerName: 'web',
    image: 'repo/web:1',
    images: { b: 'repo/sidecar:2' },
    environment: { A: '1', B: 'x=y' },
    strategy: 'canary',
    bakeTimeMinutes: 0,
    migrateCommand: ['python', 'manage.py', 'migrate', '--noinput'],
    wait: true,
    timeoutMs: 600_000,
    pollIntervalMs: 2000,
    rollbackOnFailure: false,
    forceNewDeployment: true,
  })
  expect(inputs.taskDefinition?.definition.family).toBe('web')
  expect(inputs.testChecks.map((c) => c.url.href)).toEqual(['https://test.example.com/app/health/'])
})

test('wait: false without a gate', async () => {
  expect((await parse({ wait: 'false' })).wait).toBe(false)
})

test('services: newlines or commas, in order', async () => {
  const inputs = await parseEcsDeployOptions(inputsOf({ services: 'web\nworker, beat\n' }), { readFile, env })
  expect(inputs.services).toEqual(['web', 'worker', 'beat'])
})

test('a YAML task definition file', async () => {
  files['td.yml'] = 'family: web\ncontainerDefinitions:\n  - name: web\n    image: a\n'
  const inputs = await parse({ 'task-definition': 'td.yml', image: 'i' })
  expect(inputs.taskDefinition?.definition).toEqual({
    family: 'web',
    containerDefinitions: [{ name: 'web', image: 'a' }],
  })
})

test('test-url alone gates on a GET of the test URL', async () => {
  const inputs = await parse({ 'test-url': 'http://green.internal:8080/' })
  expect(inputs.testChecks).toHaveLength(1)
  expect(inputs.testChecks[0]?.url.href).toBe('http://green.internal:8080/')
})

test.each<[string, Record<string, string>, RegExp]>([
  [
    'service missing',
    { service: '' },
    /Input 'service' is required: the name or ARN of the ECS service to deploy \(or 'services' for several\)/,
  ],
  ['service and services', { services: 'worker' }, /Inputs 'service' and 'services' cannot be used together/],
  ['a service twice', { service: '', services: 'web, worker, web' }, /Input 'services' names 'web' twice/],
  [
    'an images entry without an image',
    { images: 'proxy=' },
    /Input 'images' must be container=image lines \(got 'proxy='\)/,
  ],
  [
    'an images entry without a container',
    { images: '=nginx:1' },
    /Input 'images' must be container=image lines/,
  ],
  ['an images line that is no pair', { images: 'nginx:1' }, /Input 'images' must be container=image lines/],
  ['a container twice in images', { images: 'a=x\na=y' }, /Input 'images' sets container 'a' twice/],
  [
    'image and images for one container',
    { 'container-name': 'web', image: 'i', images: 'web=j' },
    /Inputs 'image' and 'images' both set container 'web'/,
  ],
  [
    'images naming a container not in the file',
    { 'task-definition': 'td.json', 'container-name': 'web', images: 'c=x' },
    /Input 'images': no container 'c' in web; its containers are: web, b/,
  ],
  [
    'task-definition with several services',
    { service: '', services: 'web,worker', 'task-definition': 'td.json' },
    /Input 'task-definition' takes one service's task definition/,
  ],
  [
    'environment naming a secret of the file',
    { 'task-definition': 'secrets.json', environment: 'DATABASE_URL=x' },
    /Input 'environment' sets DATABASE_URL, which container 'web' of web takes from its secrets/,
  ],
  [
    'unknown strategy',
    { strategy: 'big-bang' },
    /Input 'strategy' must be one of blue-green, rolling, canary, linear \(got 'big-bang'\)/,
  ],
  ['bake time not a duration', { 'bake-time': 'five' }, /Input 'bake-time' must be a duration/],
  ['bake time in seconds', { 'bake-time': '90s' }, /whole minutes from 0 to 1440/],
  ['bake time too long', { 'bake-time': '25h' }, /whole minutes from 0 to 1440/],
  ['test-checks without test-url', { 'test-checks': '- url: /x' }, /'test-checks' needs 'test-url'/],
  [
    'test-checks not YAML',
    { 'test-url': 'http://x', 'test-checks': '- url: [' },
    /Input 'test-checks' is not valid YAML or JSON/,
  ],
  [
    'test-checks not a list',
    { 'test-url': 'http://x', 'test-checks': 'url: /x' },
    /must be a list of checks/,
  ],
  ['test-url not a URL', { 'test-url': 'green' }, /'test-url' must be an absolute http\(s\) URL/],
  [
    'gate with rolling',
    { 'test-url': 'http://x', strategy: 'rolling' },
    /needs strategy blue-green, canary or linear/,
  ],
  ['poll-interval zero', { 'poll-interval': '0' }, /Input 'poll-interval' must be a positive duration/],
  ['gate without waiting', { 'test-url': 'http://x', wait: 'false' }, /'test-url' needs wait: true/],
  ['timeout zero', { timeout: '0' }, /Input 'timeout' must be a positive duration/],
  ['poll-interval junk', { 'poll-interval': 'often' }, /Input 'poll-interval' must be a positive duration/],
  ['wait yes', { wait: 'yes' }, /Input 'wait' must be true or false/],
  [
    'environment not KEY=VALUE',
    { environment: 'JUST_A_NAME' },
    /Input 'environment' must be KEY=VALUE lines/,
  ],
  ['migrate-command unclosed', { 'migrate-command': 'echo "x' }, /unclosed " quote/],
  ['missing file', { 'task-definition': 'nope.json' }, /cannot read 'nope.json': ENOENT/],
  [
    'container not in file',
    { 'task-definition': 'td.json', 'container-name': 'x', image: 'i' },
    /no container 'x' in web/,
  ],
  [
    'several containers in file, no name',
    { 'task-definition': 'td.json', image: 'i' },
    /'container-name' is required/,
  ],
])('%s', async (_name, values, message) => {
  await expect(parse(values)).rejects.toThrow(message)
})

test('the region: aws-region, else AWS_REGION, else an error naming the input', async () => {
  expect((await parse({ 'aws-region': 'eu-west-1' })).region).toBe('eu-west-1')
  await expect(parseEcsDeployOptions(inputsOf({ service: 'web' }), { readFile, env: {} })).rejects.toThrow(
    /^No AWS region: set input 'aws-region', or AWS_REGION/,
  )
})

describe('parsed for an image from the pipeline', () => {
  const fromPipeline = (values: Record<string, string>) =>
    parseEcsDeployOptions(inputsOf({ service: 'web', ...values }), {
      readFile,
      env,
      imageFromPipeline: true,
    })

  test('the image input is not read, and the options are checked as if an image were set', async () => {
    const options = await fromPipeline({
      image: 'ignored:1',
      'task-definition': 'td.json',
      'container-name': 'web',
    })
    expect(options).toMatchObject({ imageFromPipeline: true, containerName: 'web' })
    expect(options.image).toBeUndefined()
    // Two containers and no container-name: which one gets the pipeline's image must be said now.
    await expect(fromPipeline({ 'task-definition': 'td.json' })).rejects.toThrow(
      /'container-name' is required/,
    )
    await expect(parse({ 'task-definition': 'td.json' })).resolves.toMatchObject({ imageFromPipeline: false })
    await expect(fromPipeline({ 'container-name': 'web', images: 'web=other:1' })).rejects.toThrow(
      /Inputs 'image' and 'images' both set container 'web'/,
    )
  })
})

test("a composing action's names: inputs are read under them and its messages use them", async () => {
  const names = { timeout: 'deploy-timeout', 'aws-region': 'region', service: 'ecs-service' }
  const get = inputsOf({ 'ecs-service': 'web', 'deploy-timeout': '5m', region: 'eu-west-1' })
  const options = await parseEcsDeployOptions(get, { readFile, env: {} }, names)
  expect(options).toMatchObject({ services: ['web'], timeoutMs: 300_000, region: 'eu-west-1' })
  expect(options.inputName('timeout')).toBe('deploy-timeout')
  expect(options.inputName('cluster')).toBe('cluster')
  await expect(
    parseEcsDeployOptions(
      inputsOf({ 'ecs-service': 'web', 'deploy-timeout': 'soon' }),
      { readFile, env },
      names,
    ),
  ).rejects.toThrow("Input 'deploy-timeout' must be a positive duration")
  await expect(parseEcsDeployOptions(inputsOf({}), { readFile, env }, names)).rejects.toThrow(
    "Input 'ecs-service' is required",
  )
  await expect(
    parseEcsDeployOptions(inputsOf({ 'ecs-service': 'web', region: 'Mars' }), { readFile, env }, names),
  ).rejects.toThrow("Input 'region' must be an AWS region")
})
