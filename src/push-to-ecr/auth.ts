import type { ActionIO } from '../lib/runner/io.js'
import { OperationError } from '../lib/errors.js'
import { maskSecret } from '../lib/runner/secrets.js'
import type { AuthorizationData } from './ecr.js'

export interface RegistryLogin {
  /** The registry host docker logs in to and tags against, without scheme. */
  registry: string
  username: string
  password: string
}

/**
 * Decodes an ECR authorization token (base64 of `AWS:<password>`) and masks it first: the token,
 * the password and the password's base64 are registered as secrets before anything returns, so
 * no later log line, error or docker message can show them.
 */
export function decodeAuthorization(io: Pick<ActionIO, 'setSecret'>, data: AuthorizationData): RegistryLogin {
  maskSecret(io, data.token)
  const decoded = Buffer.from(data.token, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const password = colon === -1 ? '' : decoded.slice(colon + 1)
  maskSecret(io, password)
  if (colon <= 0 || password === '') {
    throw new OperationError('ecr:GetAuthorizationToken returned a token that is not user:password')
  }
  return { registry: registryHost(data.proxyEndpoint), username: decoded.slice(0, colon), password }
}

/** `https://123.dkr.ecr.eu-west-1.amazonaws.com/` → `123.dkr.ecr.eu-west-1.amazonaws.com`. */
export function registryHost(endpoint: string): string {
  return endpoint.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '')
}
