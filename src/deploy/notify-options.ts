import { ConfigurationError } from '../lib/errors.js'
import type { GetInput, InputReader } from '../lib/runner/inputs.js'

export const NOTIFY_ON = ['always', 'failure'] as const

/** Where to say how the run ended: a Slack-style incoming webhook, and when. */
export interface NotifyOptions {
  /** The incoming-webhook URL (a secret: masked before anything runs). */
  webhook?: URL
  on: (typeof NOTIFY_ON)[number]
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** The secrets among deploy's own inputs, to mask before anything is parsed: the webhook URL. */
export function notifySecrets(get: GetInput): string[] {
  const text = get('notify-webhook').trim()
  if (text === '') return []
  const secrets = [text]
  try {
    secrets.push(new URL(text).href)
  } catch {
    // not a URL: masked as written; parsing explains without echoing it
  }
  return [...new Set(secrets)]
}

/**
 * `notify-webhook` and `notify-on`. The URL is never echoed in a message: it is the credential
 * (whoever has it can post to the channel). https only, or http on the loopback interface.
 */
export function parseNotify(input: InputReader): NotifyOptions {
  const on = input.choice('notify-on', NOTIFY_ON, 'always')
  const text = input.optional('notify-webhook')
  if (text === undefined) return { on }
  let webhook: URL
  try {
    webhook = new URL(text)
  } catch {
    throw new ConfigurationError(
      `Input '${input.name('notify-webhook')}' must be an incoming-webhook URL like https://hooks.slack.com/services/… (got a value that is not a URL; not shown, it is a secret)`,
    )
  }
  const secure =
    webhook.protocol === 'https:' || (webhook.protocol === 'http:' && LOOPBACK.has(webhook.hostname))
  if (!secure) {
    throw new ConfigurationError(
      `Input '${input.name('notify-webhook')}' must be an https URL (got a ${webhook.protocol} URL; not shown, it is a secret)`,
    )
  }
  return { webhook, on }
}
