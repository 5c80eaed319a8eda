import { parseArgs, parseSteps, UsageError } from '../../../scripts/fakes/serve.js'

describe('parseArgs', () => {
  test('the fake, its options and the flags', () => {
    expect(parseArgs(['ecs', '--cluster', 'selftest', '--detach', '--behaviour', 'fail'])).toEqual({
      fake: 'ecs',
      options: { cluster: 'selftest', detach: true, behaviour: 'fail' },
    })
    expect(parseArgs(['--port', '4566', 'render'])).toEqual({ fake: 'render', options: { port: '4566' } })
  })

  test.each([
    [[], "Name the fake to start: ecr, ecs or render (got '')"],
    [['s3'], "Name the fake to start: ecr, ecs or render (got 's3')"],
    [['ecs', 'render'], "Unexpected argument 'render'"],
    [['ecs', '--cluster'], '--cluster needs a value'],
    [['ecs', '--cluster', '--detach'], '--cluster needs a value'],
    [['ecs', '--registry', 'x'], 'The ecs fake has no option --registry'],
    [['render', '--behaviour', 'fail'], 'The render fake has no option --behaviour'],
    [['ecs', '--behaviour', 'flaky'], "--behaviour must be succeed, fail or hang (got 'flaky')"],
    [['ecs', '--stage-ms', '1s'], "--stage-ms must be a whole number (got '1s')"],
    [['ecr', '--port', 'http'], "--port must be a whole number (got 'http')"],
    [['render', '--steps', 'live'], "--steps takes STATUS:MS pairs like live:300 (got 'live')"],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message))
  })

  test('--help needs no fake', () => {
    expect(parseArgs(['--help']).fake).toBe('help')
  })
})

test('parseSteps reads STATUS:MS pairs in order', () => {
  expect(parseSteps('build_in_progress:0, build_failed:300')).toEqual([
    ['build_in_progress', 0],
    ['build_failed', 300],
  ])
})
