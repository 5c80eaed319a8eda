// `node scripts/release.mjs vX.Y.Z [--notes FILE]`: checks the tag against CHANGELOG.md and
// package.json, and prints the release notes (or writes them to FILE). On a runner it also sets
// the step outputs `version`, `notes` and `major` — the moving tag to point at this release,
// empty when a newer release of that major exists. Exits 1 with one line saying what to fix.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../../test/helpers/run-action.js'
import { planRelease } from './release.js'

export function main(argv: string[]): number {
  const root = repoRoot()
  const [tag = '', ...rest] = argv
  const notesAt = rest.indexOf('--notes')
  const notesFile = notesAt >= 0 ? rest[notesAt + 1] : undefined
  try {
    const tags = execFileSync('git', ['tag', '--list', 'v*'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
    const plan = planRelease({
      tag,
      changelog: readFileSync(join(root, 'CHANGELOG.md'), 'utf8'),
      packageVersion: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
        .version,
      tags: [...tags, tag],
    })
    if (notesFile) writeFileSync(notesFile, `${plan.notes}\n`)
    else console.log(plan.notes)
    if (process.env.GITHUB_OUTPUT) {
      // A multi-line output, as the runner's file command reads it: name<<DELIMITER ... DELIMITER.
      const delimiter = `notes_${randomBytes(16).toString('hex')}`
      appendFileSync(
        process.env.GITHUB_OUTPUT,
        `version=${plan.version}\nmajor=${plan.major ?? ''}\nnotes<<${delimiter}\n${plan.notes}\n${delimiter}\n`,
      )
    }
    console.error(
      plan.major
        ? `${tag}: notes from CHANGELOG.md; ${plan.major} moves to it`
        : `${tag}: notes from CHANGELOG.md; a newer release of v${tag.split('.')[0]?.slice(1)} exists, so the major tag stays`,
    )
    return 0
  } catch (error) {
    console.error(`Release ${tag || '(no tag given)'}: ${(error as Error).message}`)
    return 1
  }
}
