import {
  allRolledBack,
  deploymentRecords,
  eventLines,
  failureMessage,
  overallStatus,
  relevantStoppedTasks,
  runSummary,
  stoppedTaskLines,
  timelineRows,
  type RunReport,
  type ServiceResult,
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

const result = (extra: Partial<ServiceResult>): ServiceResult => ({
  service: 'web',
  strategy: 'blue-green',
  taskDefinitionArn: 'arn:td/web:9',
  previousTaskDefinitionArn: 'arn:td/web:8',
  deploymentArn: 'arn:dep/web/1',
  status: 'SUCCESSFUL',
  rolledBack: false,
  changed: true,
  images: { web: 'repo/web:9' },
  timeline: [],
  ...extra,
})
const report = (...services: ServiceResult[]): RunReport => ({ cluster: 'prod', services, endedAt: 0 })

test('runSummary of a rollback: a row per service with the revision it is on, and the reason', () => {
  const markdown = runSummary(
    report(
      result({
        status: 'ROLLBACK_SUCCESSFUL',
        rolledBack: true,
        serviceTaskDefinitionArn: 'arn:td/web:8',
        reason: 'the test gate failed: x | y',
      }),
    ),
  )
  expect(markdown).toContain('### ECS deployment: web (cluster prod)')
  expect(markdown).toContain(
    '| web | blue-green | `web:9` | web: `repo/web:9` | ↩️ ROLLBACK_SUCCESSFUL (rolled back) | `web:8` |',
  )
  expect(markdown).toContain('| Reason (web) | the test gate failed: x \\| y |')
  expect(markdown).not.toContain('| Stage |')
})

test('runSummary of several services: one row each, their stages under their names', () => {
  const markdown = runSummary(
    report(
      result({ timeline: [{ stage: 'SCALE_UP', at: 0 }] }),
      result({
        service: 'worker',
        strategy: 'rolling',
        taskDefinitionArn: 'arn:td/worker:4',
        images: {},
        timeline: [{ stage: 'SUCCESSFUL', at: 0 }],
      }),
    ),
  )
  expect(markdown).toContain('| worker | rolling | `worker:4` | unchanged | ✅ SUCCESSFUL | `worker:4` |')
  expect(markdown).toContain('#### Stages: web')
  expect(markdown).toContain('#### Stages: worker')
})

test('overallStatus and allRolledBack: the worst status; rolled back only when every changed service is', () => {
  expect(overallStatus(report(result({}), result({ service: 'worker' })))).toBe('SUCCESSFUL')
  expect(
    overallStatus(report(result({ status: 'ROLLBACK_SUCCESSFUL' }), result({ status: 'ROLLBACK_FAILED' }))),
  ).toBe('ROLLBACK_FAILED')
  expect(overallStatus(report())).toBe('NOT_STARTED')
  expect(overallStatus({ ...report(result({})), status: 'MIGRATION_FAILED' })).toBe('MIGRATION_FAILED')
  const back = result({ status: 'ROLLBACK_SUCCESSFUL', rolledBack: true })
  const untouched = result({ service: 'beat', status: 'NOT_STARTED', changed: false })
  expect(allRolledBack(report(back, untouched))).toBe(true)
  expect(allRolledBack(report(back, result({ service: 'worker' })))).toBe(false)
  expect(allRolledBack(report(untouched))).toBe(false)
})

test('deploymentRecords: one object per service', () => {
  expect(
    deploymentRecords(
      report(
        result({
          status: 'ROLLBACK_SUCCESSFUL',
          rolledBack: true,
          serviceTaskDefinitionArn: 'arn:td/web:8',
          reason: 'why',
        }),
      ),
    ),
  ).toEqual([
    {
      service: 'web',
      cluster: 'prod',
      strategy: 'blue-green',
      taskDefinitionArn: 'arn:td/web:9',
      previousTaskDefinitionArn: 'arn:td/web:8',
      deploymentArn: 'arn:dep/web/1',
      status: 'ROLLBACK_SUCCESSFUL',
      rolledBack: true,
      serviceTaskDefinitionArn: 'arn:td/web:8',
      reason: 'why',
    },
  ])
})

test('failureMessage: where each service is, and whether a deployment still runs', () => {
  expect(
    failureMessage(
      report(
        result({
          status: 'IN_PROGRESS',
          serviceTaskDefinitionArn: 'arn:td/web:9',
          stillRunning: true,
          reason: 'slow',
        }),
      ),
    ),
  ).toBe(
    "Deployment of web:9 to service 'web' did not succeed (status IN_PROGRESS): the service is on web:9; its deployment arn:dep/web/1 is still running. Why: slow",
  )
  expect(
    failureMessage(
      report(
        result({ status: 'ROLLBACK_SUCCESSFUL', rolledBack: true, serviceTaskDefinitionArn: 'arn:td/web:8' }),
        result({
          service: 'beat',
          status: 'NOT_STARTED',
          changed: false,
          previousTaskDefinitionArn: 'arn:td/beat:2',
          reason: 'it was not updated: denied',
        }),
      ),
    ),
  ).toBe(
    'Deployment of 2 services did not succeed; every service is back on its previous revision. web: ROLLBACK_SUCCESSFUL, back on web:8; beat: NOT_STARTED, on beat:2 (it was not updated: denied)',
  )
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
