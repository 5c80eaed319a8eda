import { ConfigurationError } from '../lib/errors.js'
import { requireSecureUrl } from './endpoint.js'
import { RenderApiError, renderSaid } from './render-errors.js'
import { sendWithRetry, type ApiPorts } from './render-http.js'

export interface DeployHook {
  url: URL
  /** The service id in the hook's path (`/deploy/srv-…`). */
  serviceId: string
  /** The hook's secret `key` query parameter. */
  key: string
}

const HOOK_PATH = /\/deploy\/((?:srv|crn)-[a-z0-9]+)\/?$/

/**
 * Parses a deploy hook URL (`https://api.render.com/deploy/srv-…?key=…`); `input` is the name the
 * user gave it. The whole URL is a secret, so no error message here ever quotes it.
 */
export function parseDeployHook(text: string, input: string): DeployHook {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigurationError(
      `Input '${input}' must be a URL like https://api.render.com/deploy/srv-…?key=… (the value given is not a URL; it is not shown because it is a secret)`,
    )
  }
  requireSecureUrl(url, input)
  const match = HOOK_PATH.exec(url.pathname)
  const key = url.searchParams.get('key')
  if (match === null || key === null || key === '') {
    throw new ConfigurationError(
      `Input '${input}' must look like https://api.render.com/deploy/srv-…?key=… (copy it from the service's Settings → Deploy Hook; the value given is not shown because it is a secret)`,
    )
  }
  return { url, serviceId: match[1] ?? '', key }
}

/** The URL to call: the hook, plus `imgURL` for an image-backed service's new image. */
export function hookRequestUrl(hook: DeployHook, imageUrl: string | undefined): URL {
  const url = new URL(hook.url.href)
  if (imageUrl !== undefined) url.searchParams.set('imgURL', imageUrl)
  return url
}

/**
 * Calls a deploy hook (a POST, as Render's docs show with curl -X POST). Returns the deploy id when
 * Render includes one (`{"deploy":{"id":"dep-…"}}`), else undefined. Nothing here prints the URL.
 */
export async function callDeployHook(
  ports: ApiPorts,
  url: URL,
  options: { deadline: number; secrets: readonly string[] },
): Promise<string | undefined> {
  const what = 'calling the deploy hook'
  const response = await sendWithRetry(
    ports,
    {
      url,
      method: 'POST',
      headers: { Accept: 'application/json', 'User-Agent': 'devops-actions/render-deploy' },
    },
    { idempotent: false, deadline: options.deadline, what, secrets: options.secrets },
  )
  if (response.status >= 200 && response.status < 300) {
    try {
      const parsed = JSON.parse(response.body) as { deploy?: { id?: unknown } }
      return typeof parsed.deploy?.id === 'string' ? parsed.deploy.id : undefined
    } catch {
      return undefined
    }
  }
  const said = renderSaid(response.body, options.secrets)
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    throw new RenderApiError(
      response.status,
      `Render rejected the deploy hook (HTTP ${response.status}): 'deploy-hook-url' is not a current hook of the service (it may have been regenerated); copy it again from the service's Settings → Deploy Hook.${said}`,
    )
  }
  throw new RenderApiError(response.status, `Render answered HTTP ${response.status} while ${what}.${said}`)
}
