import type { ActionIO } from './io.js'

/**
 * Masks a secret and the forms it travels in: the value itself, and for credentials the
 * base64 form an Authorization header would carry. Call before the value could reach any log.
 */
export function maskSecret(io: Pick<ActionIO, 'setSecret'>, secret: string | undefined): void {
  if (secret === undefined || secret === '') return
  io.setSecret(secret)
  const b64 = Buffer.from(secret, 'utf8').toString('base64')
  if (b64 !== secret) io.setSecret(b64)
}

/** Replaces every occurrence of the given secrets in a text, for messages built from raw responses. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('***')
  }
  return result
}
