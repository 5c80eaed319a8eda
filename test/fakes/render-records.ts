import { randomBytes } from 'node:crypto'

/**
 * The logs and events the fake Render records as its deploys move, and the list endpoints that
 * serve them, in the shapes of render-oss/cli's generated client: ListLogs (`GET /logs`,
 * ListLogsParams and Logs200Response in pkg/client/types_gen.go, the `log` schema in
 * pkg/client/logs/logs_gen.go) and ListEvents (`GET /services/{id}/events`, ListEventsParams, items
 * `serviceEventWithCursor` = `{ event }` whose `serviceEvent` and details are in
 * pkg/client/events/events_gen.go, event types in pkg/client/eventtypes/eventtypes_gen.go).
 */

export interface FakeLog {
  id: string
  /** The resource the line belongs to (the service id): the `resource` label. */
  resource: string
  ownerId: string
  message: string
  timestamp: string
  labels: { name: string; value: string }[]
}

export interface FakeEvent {
  id: string
  serviceId: string
  timestamp: string
  type: string
  details: Record<string, unknown>
}

/** The `failureReason` schema (events_gen.go FailureReason): what a failed deploy's events carry. */
export interface FailureReason {
  nonZeroExit?: number
  oomKilled?: { memoryLimit: string }
  timedOutSeconds?: number
  timedOutReason?: string
  unhealthy?: string
  earlyExit?: boolean
  evicted?: boolean
  evictionReason?: string
}

/** The EventType enum of eventtypes_gen.go that the fake emits or accepts as a filter. */
export const EVENT_TYPES = [
  'build_started',
  'build_ended',
  'deploy_started',
  'deploy_ended',
  'pre_deploy_started',
  'pre_deploy_ended',
  'server_failed',
  'image_pull_failed',
  'auto_deploy_disabled',
  'auto_deploy_enabled',
]

/** The log `type` label values Render documents for ListLogs' `type` filter. */
export const LOG_TYPES = ['app', 'request', 'build']
const DIRECTIONS = ['backward', 'forward']
const LIMITS = { min: 1, max: 100, fallback: 20 }

const rid = (prefix: string) => `${prefix}-${randomBytes(10).toString('hex')}`

export class FakeRecords {
  readonly logs: FakeLog[] = []
  readonly events: FakeEvent[] = []

  log(service: { id: string; ownerId: string }, type: string, message: string, instance?: string): void {
    const labels = [
      { name: 'resource', value: service.id },
      { name: 'type', value: type },
      { name: 'level', value: /error|failed|exited/i.test(message) ? 'error' : 'info' },
      ...(instance === undefined ? [] : [{ name: 'instance', value: instance }]),
    ]
    this.logs.push({
      id: randomBytes(16).toString('hex'),
      resource: service.id,
      ownerId: service.ownerId,
      message,
      timestamp: new Date().toISOString(),
      labels,
    })
  }

  event(serviceId: string, type: string, details: Record<string, unknown>): void {
    this.events.push({ id: rid('evt'), serviceId, timestamp: new Date().toISOString(), type, details })
  }
}

type Answer = [status: number, payload: unknown]
const invalid = (message: string): Answer => [400, { id: 'invalid', message }]

function limitOf(query: URLSearchParams): number | string {
  const text = query.get('limit')
  const limit = text === null ? LIMITS.fallback : Number(text)
  return Number.isInteger(limit) && limit >= LIMITS.min && limit <= LIMITS.max
    ? limit
    : `limit must be between ${LIMITS.min} and ${LIMITS.max}`
}

/** startTime/endTime as ListLogs and ListEvents take them (date-time; defaults now-1h and now). */
function rangeOf(query: URLSearchParams): { start: number; end: number } | string {
  const now = Date.now()
  const start = query.get('startTime') === null ? now - 3_600_000 : Date.parse(query.get('startTime') ?? '')
  const end = query.get('endTime') === null ? now : Date.parse(query.get('endTime') ?? '')
  if (Number.isNaN(start)) return 'startTime must be a date-time'
  if (Number.isNaN(end)) return 'endTime must be a date-time'
  return { start, end }
}

/** ListLogs: ownerId and resource required; newest first with `direction=backward` (the default). */
export function listLogs(records: FakeRecords, query: URLSearchParams): Answer {
  const ownerId = query.get('ownerId')
  if (ownerId === null || ownerId === '') return invalid('ownerId is required')
  const resources = query.getAll('resource').flatMap((r) => r.split(','))
  if (resources.length === 0) return invalid('resource is required')
  const range = rangeOf(query)
  if (typeof range === 'string') return invalid(range)
  const direction = query.get('direction') ?? 'backward'
  if (!DIRECTIONS.includes(direction)) return invalid(`direction must be one of ${DIRECTIONS.join(', ')}`)
  const types = query.getAll('type').flatMap((t) => t.split(','))
  const unknown = types.find((t) => !LOG_TYPES.includes(t))
  if (unknown !== undefined) return invalid(`invalid type: ${unknown}`)
  const limit = limitOf(query)
  if (typeof limit === 'string') return invalid(limit)
  const matching = records.logs.filter((log) => {
    const at = Date.parse(log.timestamp)
    const type = log.labels.find((l) => l.name === 'type')?.value ?? ''
    return (
      log.ownerId === ownerId &&
      resources.includes(log.resource) &&
      at >= range.start &&
      at <= range.end &&
      (types.length === 0 || types.includes(type))
    )
  })
  const ordered = direction === 'backward' ? [...matching].reverse() : matching
  const page = ordered.slice(0, limit)
  const last = page.at(-1)?.timestamp
  const hasMore = ordered.length > page.length
  return [
    200,
    {
      hasMore,
      logs: page.map(({ resource: _r, ownerId: _o, ...log }) => log),
      nextStartTime: direction === 'forward' && last ? last : new Date(range.start).toISOString(),
      nextEndTime: direction === 'backward' && last ? last : new Date(range.end).toISOString(),
    },
  ]
}

/** ListEvents: the service's events in the time range, newest first, as `[{ event }]`. */
export function listEvents(records: FakeRecords, serviceId: string, query: URLSearchParams): Answer {
  const range = rangeOf(query)
  if (typeof range === 'string') return invalid(range)
  const types = query.getAll('type').flatMap((t) => t.split(','))
  const unknown = types.find((t) => !EVENT_TYPES.includes(t))
  if (unknown !== undefined) return invalid(`invalid type: ${unknown}`)
  const limit = limitOf(query)
  if (typeof limit === 'string') return invalid(limit)
  const matching = records.events.filter((event) => {
    const at = Date.parse(event.timestamp)
    return (
      event.serviceId === serviceId &&
      at >= range.start &&
      at <= range.end &&
      (types.length === 0 || types.includes(event.type))
    )
  })
  return [
    200,
    [...matching]
      .reverse()
      .slice(0, limit)
      .map((event) => ({ event })),
  ]
}
