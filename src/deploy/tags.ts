/** The tag of each `name:tag` reference (`latest` when it names none), without repeats. */
export function tagsOf(references: readonly string[]): string[] {
  const tags = references.map((reference) => {
    const slash = reference.lastIndexOf('/')
    const colon = reference.lastIndexOf(':')
    return colon > slash ? reference.slice(colon + 1) : 'latest'
  })
  return [...new Set(tags)]
}

/** The commit's tag among the derived ones, e.g. `sha-abc1234`. */
export const COMMIT_TAG = /^sha-[0-9a-f]{7}$/

/**
 * The tags to push to ECR. The user's tags as given; else, of the tags derived from the git
 * context, only the commit's `sha-<7>`: a branch or `latest` tag moves from one deploy to the
 * next, which the IMMUTABLE repositories push-to-ecr creates refuse (all of them, when there is
 * no commit tag).
 */
export function ecrTags(references: readonly string[], userGaveTags: boolean): string[] {
  const tags = tagsOf(references)
  if (userGaveTags) return tags
  const commit = tags.filter((tag) => COMMIT_TAG.test(tag))
  return commit.length > 0 ? commit : tags
}
