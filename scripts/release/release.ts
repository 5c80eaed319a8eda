// What the release workflow (.github/workflows/release.yml) decides before it publishes anything:
// the notes of a version (its CHANGELOG.md section, Keep a Changelog style) and whether its tag is
// the newest of its major, so that `vX` moves to it (a v1.4.1 backport cut after v1.5.0 must not
// pull v1 back).

export interface Version {
  major: number
  minor: number
  patch: number
}

/** `v1.2.3` → its numbers; anything else (v1.2, v1.2.3-rc.1, 1.2.3) → undefined. */
export function parseTag(tag: string): Version | undefined {
  const m = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(tag)
  if (!m) return undefined
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) }
}

const compare = (a: Version, b: Version) => a.major - b.major || a.minor - b.minor || a.patch - b.patch

/**
 * The body of `## [1.2.3] - 2026-01-31` up to the next `## ` heading, trimmed. Throws naming the
 * heading it looked for when the section is missing or empty: a release without notes is a
 * release nobody can read.
 */
export function changelogSection(changelog: string, version: string): string {
  const lines = changelog.split(/\r?\n/)
  const escaped = version.replace(/\./g, '\\.')
  const heading = new RegExp(`^## \\[?v?${escaped}\\]?(\\s|$)`)
  const start = lines.findIndex((line) => heading.test(line))
  if (start < 0) {
    throw new Error(
      `CHANGELOG.md has no section for ${version}: add '## [${version}] - YYYY-MM-DD' (move the Unreleased entries into it)`,
    )
  }
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((line) => /^## /.test(line) || /^\[[^\]]+\]:\s/.test(line))
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim()
  if (body === '') throw new Error(`CHANGELOG.md's section for ${version} is empty`)
  return body
}

/** `v1` when `tag` is the newest vX.Y.Z of its major among `tags` (it included), else undefined. */
export function majorTagToMove(tag: string, tags: string[]): string | undefined {
  const version = parseTag(tag)
  if (!version) throw new Error(`'${tag}' is not a release tag like v1.2.3`)
  const newer = tags
    .map(parseTag)
    .filter((v): v is Version => v !== undefined && v.major === version.major)
    .some((v) => compare(v, version) > 0)
  return newer ? undefined : `v${version.major}`
}

export interface ReleasePlan {
  version: string
  notes: string
  /** The moving major tag to point at this release, or undefined when a newer release of it exists. */
  major: string | undefined
}

/** Checks a tag against the changelog and package.json, and plans the release. */
export function planRelease(input: {
  tag: string
  changelog: string
  packageVersion: string
  tags: string[]
}): ReleasePlan {
  const { tag, changelog, packageVersion, tags } = input
  if (!parseTag(tag)) throw new Error(`'${tag}' is not a release tag like v1.2.3`)
  const version = tag.slice(1)
  if (packageVersion !== version) {
    throw new Error(`package.json says version ${packageVersion}, the tag ${tag}: make them agree`)
  }
  return { version, notes: changelogSection(changelog, version), major: majorTagToMove(tag, tags) }
}
