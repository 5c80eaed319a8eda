import {
  eventLines,
  relevantStoppedTasks,
  runSummary,
  stoppedTaskLines,
  timelineRows,
} from '../../../src/ecs-blue-green-deploy/report.js'

test('timelineRows: offsets from the first stage and how long each lasted', () => {
  expect(
    timelineRows(
      [
        { stage: 'PENDING', at: 1000 },
        { stage: 'SCALE_UP', at: 6000 },
        { stage: 'SUCCESSFUL', at: 96_000 },
      ],
      97_000,
    ),
  ).toEqual([
    ['PENDING', '+0ms', '5.0s'],
    ['SCALE_UP', '+5.0s', '1m 30s'],
    ['SUCCESSFUL', '+1m 35s', '—'],
  ])
})

test('eventLines: the latest ten, oldest first', () => {
  const events = Array.from({ length: 12 }, (_, i) => ({
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 12 - i)),
    message: `event ${12 - i}`,
  }))
  const lines = eventLines(events)
  expect(lines).toHaveLength(10)
  expect(lines[0]).toBe('2026-01-01T00:03:00.000Z event 3')
  expect(lines[9]).toBe('2026-01-01T00:12:00.000Z event 12')
})

test('stoppedTaskLines: task id, revision, reason and container exits', () => {
  expect(
    stoppedTaskLines([
      {
        taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/abc123',
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:9',
        stoppedReason: 'Essential container in task exited',
        containers: [
          { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
          { name: 'proxy' },
        ],
      },
      { taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/def456' },
    ]),
  ).toEqual([
    'abc123 [web:9] Essential container in task exited; web: exit 137 (OutOfMemoryError: Container killed due to memory usage)',
    'def456 [an unknown task definition] no stop reason',
  ])
})

test('runSummary of a rollback names the revision the service is on and the reason', () => {
  const markdown = runSummary({
    cluster: 'prod',
    service: 'web',
    strategy: 'blue-green',
    taskDefinitionArn: 'arn:td/web:9',
    image: 'repo/web:9',
    status: 'ROLLBACK_SUCCESSFUL',
    rolledBack: true,
    serviceTaskDefinition: 'arn:td/web:8',
    timeline: [],
    endedAt: 0,
    reason: 'the test gate failed: x | y',
  })
  expect(markdown).toContain('| Status | ↩️ ROLLBACK_SUCCESSFUL (rolled back) |')
  expect(markdown).toContain('| Service now on | `web:8` |')
  expect(markdown).toContain('| Reason | the test gate failed: x \\| y |')
  expect(markdown).not.toContain('| Stage |')
})

test("relevantStoppedTasks: the new revision's tasks first, newest first, else the others", () => {
  const task = (id: string, td: string, minute: number) => ({
    taskArn: id,
    taskDefinitionArn: td,
    stoppedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
  })
  const tasks = [task('old', 'web:1', 9), task('new-a', 'web:2', 1), task('new-b', 'web:2', 5)]
  expect(relevantStoppedTasks(tasks, 'web:2').map((t) => t.taskArn)).toEqual(['new-b', 'new-a'])
  expect(relevantStoppedTasks(tasks, 'web:3').map((t) => t.taskArn)).toEqual(['old', 'new-b', 'new-a'])
  expect(relevantStoppedTasks(tasks, 'web:3', 1).map((t) => t.taskArn)).toEqual(['old'])
})
