import { ConfigurationError } from '../lib/errors.js'
import { requireSecureUrl } from './endpoint.js'

export interface DeployHook {
  url: URL
  /** The service id in the hook's path (`/deploy/srv-…`). */
  serviceId: string
  /** The hook's secret `key` query parameter. */
  key: string
}

const HOOK_PATH = /\/deploy\/((?:srv|crn)-[a-z0-9]+)\/?$/

/**
 * Parses a deploy hook URL (`https://api.render.com/deploy/srv-…?key=…`). The whole URL is a
 * secret, so no error message here ever quotes it.
 */
export function parseDeployHook(text: string): DeployHook {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigurationError(
      "Input 'deploy-hook-url' must be a URL like https://api.render.com/deploy/srv-…?key=… (the value given is not a URL; it is not shown because it is a secret)",
    )
  }
  requireSecureUrl(url, 'deploy-hook-url')
  const match = HOOK_PATH.exec(url.pathname)
  const key = url.searchParams.get('key')
  if (match === null || key === null || key === '') {
    throw new ConfigurationError(
      "Input 'deploy-hook-url' must look like https://api.render.com/deploy/srv-…?key=… (copy it from the service's Settings → Deploy Hook; the value given is not shown because it is a secret)",
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
