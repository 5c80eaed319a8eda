import { ConfigurationError } from '../lib/errors.js'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

/** Whether a URL points at this machine (tests run fake Render servers there). */
export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname)
}

/**
 * Credentials travel in these URLs (the API key as a header, the hook key in the query), so
 * plain http is refused unless the server is on the loopback interface, where tests run their
 * fakes and nothing crosses a network.
 */
export function requireSecureUrl(url: URL, input: string): void {
  if (url.protocol === 'https:') return
  if (url.protocol === 'http:' && isLoopback(url)) return
  throw new ConfigurationError(
    `Input '${input}' must be an https URL (plain http is accepted only for localhost, for tests; got a ${url.protocol.replace(':', '')} URL to ${url.hostname})`,
  )
}
