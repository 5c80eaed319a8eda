import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { changelogSection, majorTagToMove, parseTag, planRelease } from '../../../scripts/release/release.js'
import { repoRoot } from '../../helpers/run-action.js'

const CHANGELOG = `# Changelog

## [Unreleased]

### Added
- Something not released yet.

## [1.3.0] - 2026-03-01

### Added
- \`python-quality\`.

### Fixed
- A fix.

## [1.2.10] - 2026-02-01

- Older.

[Unreleased]: https://github.com/acme/devops-actions/compare/v1.3.0...HEAD
[1.3.0]: https://github.com/acme/devops-actions/compare/v1.2.10...v1.3.0
`

describe('parseTag', () => {
  test.each([
    ['v1.2.3', { major: 1, minor: 2, patch: 3 }],
    ['v10.0.11', { major: 10, minor: 0, patch: 11 }],
    ['1.2.3', undefined],
    ['v1.2', undefined],
    ['v1.2.3-rc.1', undefined],
    ['v01.2.3', undefined],
    ['v1', undefined],
  ])('%s', (tag, expected) => {
    expect(parseTag(tag)).toEqual(expected)
  })
})

describe('changelogSection', () => {
  test("is the version's section up to the next heading", () => {
    expect(changelogSection(CHANGELOG, '1.3.0')).toBe('### Added\n- `python-quality`.\n\n### Fixed\n- A fix.')
  })

  test('the last section ends at the link references', () => {
    expect(changelogSection(CHANGELOG, '1.2.10')).toBe('- Older.')
  })

  test('does not take 1.2.1 for 1.2.10, nor a dot for any character', () => {
    expect(() => changelogSection(CHANGELOG, '1.2.1')).toThrow(
      "CHANGELOG.md has no section for 1.2.1: add '## [1.2.1] - YYYY-MM-DD' (move the Unreleased entries into it)",
    )
    expect(() => changelogSection(CHANGELOG.replace('1.3.0] -', '1x3x0] -'), '1.3.0')).toThrow(
      /no section for 1\.3\.0/,
    )
  })

  test('an empty section is an error', () => {
    expect(() => changelogSection('## [2.0.0] - 2026-04-01\n\n## [1.0.0]\n- x', '2.0.0')).toThrow(
      "CHANGELOG.md's section for 2.0.0 is empty",
    )
  })
})

describe('majorTagToMove', () => {
  test('the newest release of its major moves it', () => {
    expect(majorTagToMove('v1.3.0', ['v1.2.10', 'v1.3.0', 'v0.9.0', 'v2.0.0'])).toBe('v1')
  })

  test('a backport older than the newest of its major leaves it where it is', () => {
    expect(majorTagToMove('v1.2.11', ['v1.2.10', 'v1.3.0', 'v1.2.11'])).toBeUndefined()
  })

  test('compares numbers, not strings (v1.10.0 is newer than v1.9.0)', () => {
    expect(majorTagToMove('v1.10.0', ['v1.9.0', 'v1.10.0'])).toBe('v1')
    expect(majorTagToMove('v1.9.1', ['v1.9.1', 'v1.10.0'])).toBeUndefined()
  })

  test('ignores other tags (the moving tags themselves, pre-releases)', () => {
    expect(majorTagToMove('v1.0.0', ['v1', 'v1.1.0-rc.1', 'latest', 'v1.0.0'])).toBe('v1')
  })
})

describe('planRelease', () => {
  const plan = (tag: string, packageVersion = tag.slice(1)) =>
    planRelease({ tag, changelog: CHANGELOG, packageVersion, tags: ['v1.2.10', tag] })

  test('notes, version and the major tag', () => {
    expect(plan('v1.3.0')).toEqual({
      version: '1.3.0',
      notes: '### Added\n- `python-quality`.\n\n### Fixed\n- A fix.',
      major: 'v1',
    })
  })

  test('refuses a tag that is not vX.Y.Z, a version package.json does not have, and a missing section', () => {
    expect(() => plan('v1.3')).toThrow("'v1.3' is not a release tag like v1.2.3")
    expect(() => plan('v1.3.0', '1.2.10')).toThrow(
      'package.json says version 1.2.10, the tag v1.3.0: make them agree',
    )
    expect(() => plan('v1.4.0')).toThrow(/no section for 1\.4\.0/)
  })
})

test("the repository's CHANGELOG.md keeps an Unreleased section above the releases", () => {
  const text = readFileSync(join(repoRoot(), 'CHANGELOG.md'), 'utf8')
  const headings = text.split('\n').filter((line) => line.startsWith('## '))
  expect(headings[0]).toBe('## [Unreleased]')
  for (const heading of headings.slice(1))
    expect(heading).toMatch(/^## \[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}$/)
  expect(changelogSection(text, 'Unreleased')).not.toBe('')
})
