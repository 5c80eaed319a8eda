import { ConfigurationError } from '../lib/errors.js'
import type { ActionIO } from '../lib/runner/io.js'
import type { RenderDeployOptions } from './options.js'
import type { RenderApi, RenderService } from './render-api.js'

/** What the deploy needs to know about its service, read once before triggering. */
export interface ServiceFacts {
  name?: string
  /** web_service, private_service, background_worker, cron_job or static_site. */
  type?: string
  /** The public http(s) URL; undefined for private services, workers and cron jobs. */
  publicUrl?: string
  /** A private service's address inside Render's network (`host:port`), never a public URL. */
  internalAddress?: string
  ownerId?: string
  dashboardUrl?: string
  autoDeploy: boolean
  branch?: string
}

// The service types whose serviceDetails.url is a public http URL (render-oss/cli's
// pkg/client/types_gen.go: WebServiceDetails.Url and StaticSiteDetails.Url; a private service's Url
// is its internal host:port, and BackgroundWorkerDetails / CronJobDetails have none).
export const PUBLIC_TYPES: ReadonlySet<string> = new Set(['web_service', 'static_site'])

/** The service's facts from a RetrieveService answer. */
export function serviceFacts(service: RenderService): ServiceFacts {
  const url = service.serviceDetails?.url ?? undefined
  const isHttp = url !== undefined && /^https?:\/\/[^/\s]+/i.test(url)
  const publicType = service.type === undefined || PUBLIC_TYPES.has(service.type)
  return {
    name: service.name,
    type: service.type,
    publicUrl: isHttp && publicType ? url : undefined,
    internalAddress: service.type === 'private_service' && url ? url : undefined,
    ownerId: service.ownerId,
    dashboardUrl: service.dashboardUrl,
    autoDeploy: service.autoDeploy === 'yes',
    branch: service.branch,
  }
}

/** Why this service cannot take these options, before anything is triggered; undefined when it can. */
export function refuseForService(options: RenderDeployOptions, facts: ServiceFacts): string | undefined {
  if (facts.type !== 'cron_job') return undefined
  // CreateDeployJSONBody.CommitId and CancelDeploy: "Not supported for cron jobs" (render-oss/cli's
  // pkg/client/types_gen.go and client_gen.go).
  if (options.commitId !== undefined)
    return `Input '${options.inputNames.commitId}' cannot be used for ${options.serviceId}, a cron job: Render deploys a cron job's branch head only (got ${options.commitId})`
  if (options.cancelOnTimeout)
    return `Input '${options.inputNames.cancelOnTimeout}' cannot be used for ${options.serviceId}, a cron job: Render cannot cancel a cron job's deploy`
  return undefined
}

/** Looks the service up, prints what it is, and refuses options it cannot take. */
export async function lookUpService(
  api: RenderApi,
  options: RenderDeployOptions,
  io: Pick<ActionIO, 'info' | 'warning'>,
  deadline: number,
): Promise<ServiceFacts> {
  const service = await api.getService(options.serviceId, deadline)
  const facts = serviceFacts(service)
  const where = facts.publicUrl
    ? ` at ${facts.publicUrl}`
    : facts.internalAddress
      ? ` (private: reachable only inside Render's network at ${facts.internalAddress}, so no service-url)`
      : facts.type === 'background_worker' || facts.type === 'cron_job'
        ? ' (no URL: it serves no HTTP)'
        : ''
  io.info(
    `Service ${service.name ?? options.serviceId} (${options.serviceId}${facts.type ? `, ${facts.type}` : ''})${where}`,
  )
  const refusal = refuseForService(options, facts)
  if (refusal !== undefined) throw new ConfigurationError(refusal)
  if (service.suspended === 'suspended')
    io.warning(
      `Service ${options.serviceId} is suspended: Render does not deploy a suspended service until it is resumed`,
    )
  return facts
}
