// Dependabot watches npm and every place a third-party action is pinned that it can read: the
// workflows ("/" means .github/workflows) and each action directory's action.yml, which it finds
// only in the directories it is given. Every update is grouped and waits out a cooldown.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../../helpers/run-action.js'

const root = repoRoot()

interface Update {
  'package-ecosystem': string
  directory?: string
  directories?: string[]
  cooldown?: Record<string, unknown>
  groups?: Record<string, unknown>
}
const config = parse(readFileSync(join(root, '.github', 'dependabot.yml'), 'utf8')) as {
  version: number
  updates: Update[]
}
const ecosystem = (name: string) => config.updates.filter((u) => u['package-ecosystem'] === name)

test('github-actions covers the workflows and every action directory', () => {
  const actionDirs = readdirSync(join(root, 'actions'))
    .filter((name) => existsSync(join(root, 'actions', name, 'action.yml')))
    .map((name) => `/actions/${name}`)
  const [actions, ...more] = ecosystem('github-actions')
  expect(more).toEqual([])
  expect([...(actions?.directories ?? [])].sort()).toEqual(['/', ...actionDirs].sort())
})

test('npm covers the root package', () => {
  expect(ecosystem('npm').map((u) => u.directory)).toEqual(['/'])
})

test.each(config.updates.map((u) => [u['package-ecosystem'], u] as const))(
  '%s updates are grouped and wait out a cooldown',
  (name, update) => {
    expect(config.version).toBe(2)
    expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0)
    expect(update.cooldown?.['default-days']).toEqual(expect.any(Number))
    // Dependabot ignores the semver-* days for ecosystems without SemVer, GitHub Actions among them.
    if (name === 'github-actions') {
      expect(Object.keys(update.cooldown ?? {}).filter((k) => k.startsWith('semver-'))).toEqual([])
    }
  },
)
