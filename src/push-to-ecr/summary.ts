import { code, heading, table } from '../lib/runner/summary.js'
import type { TagResult } from './publish.js'
import type { RepositoryOutcome } from './repository.js'

/** The job summary: where the image went, the repository's settings, and what each tag did. */
export function pushSummary(
  registry: string,
  outcome: RepositoryOutcome,
  results: readonly TagResult[],
  digest: string,
  lifecycleSource?: string,
): string {
  const { repository, created } = outcome
  const lifecycle =
    outcome.lifecycle === undefined
      ? 'not managed by this step'
      : `${lifecycleSource ?? ''} (${outcome.lifecycle})`
  const settings = table(
    ['Setting', 'Value'],
    [
      ['Registry', code(registry)],
      ['Repository', `${code(repository.name)} (${created ? 'created' : 'existing'})`],
      ['Tag mutability', repository.tagMutability],
      ['Scan on push', repository.scanOnPush ? 'on' : 'off'],
      ['Encryption', repository.encryption],
      ['Lifecycle policy', lifecycle],
      ['Digest', code(digest)],
    ],
  )
  const tags = table(
    ['Tag', 'Result', 'Image'],
    results.map((r) => [
      code(r.tag),
      r.result === 'replaced' ? `replaced (was ${code(r.previousDigest ?? '')})` : r.result,
      code(r.imageUri),
    ]),
  )
  return `${heading('Push to ECR')}${settings}\n${tags}`
}
