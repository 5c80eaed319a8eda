import type { GitContext } from '../lib/github/context.js'

/**
 * The OCI annotations every image should carry, so a running container can be traced back to
 * its source and commit: source, revision, created, version, title and url. Labels the user
 * gives win over these.
 */
export function ociLabels(
  context: GitContext,
  version: string,
  created: Date,
  user: Record<string, string>,
): Record<string, string> {
  const labels: Record<string, string> = {}
  const set = (key: string, value: string | undefined) => {
    if (value) labels[`org.opencontainers.image.${key}`] = value
  }
  const url = context.repository ? `${context.serverUrl}/${context.repository}` : undefined
  set('source', url)
  set('revision', context.headSha ?? context.sha)
  set('created', created.toISOString())
  set('version', version)
  set('title', context.repository.split('/').pop())
  set('url', url)
  return { ...labels, ...user }
}
