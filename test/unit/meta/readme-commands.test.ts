// The README's two commands (run the demo, run the tests) are what CI runs, and they work on a
// machine without sudo: setup.sh asks sudo itself, only when it is not root.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../../helpers/run-action.js'

const root = repoRoot()
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const quickStart = readme.slice(
  readme.indexOf('## Quick start'),
  readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1),
)
const commands = [...quickStart.matchAll(/```sh\n([^`]+)```/g)].map((m) => (m[1] ?? '').trim())
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts

test('the Quick start has the two commands: the demo, then the tests', () => {
  expect(commands).toEqual([
    'npm ci && bash scripts/e2e/setup.sh && npm run demo',
    'npm ci && bash scripts/e2e/setup.sh && npm test',
  ])
})

test('.ci/run runs the README test command as written', () => {
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8').split('\n')
  expect(ci).toContain(commands[1])
})

test('nothing tells a user to type sudo: setup.sh uses it only when not root, and only if it is there', () => {
  const places = [
    'README.md',
    'CONTRIBUTING.md',
    '.ci/run',
    'scripts/demo/preflight.ts',
    'test/helpers/prerequisites.ts',
    ...readdirSync(join(root, '.github', 'workflows')).map((f) => `.github/workflows/${f}`),
  ]
  const told = places.filter((file) =>
    /\bsudo bash scripts\/e2e\/setup\.sh/.test(readFileSync(join(root, file), 'utf8')),
  )
  expect(told).toEqual([])
  const setup = readFileSync(join(root, 'scripts', 'e2e', 'setup.sh'), 'utf8')
  expect(setup).toMatch(/if \[ "\$\(id -u\)" -ne 0 \]; then\n\s+if ! command -v sudo/)
})

test('every setup piece runs what needs root through $SUDO', () => {
  const dir = join(root, 'scripts', 'e2e', 'setup.d')
  // Commands only root may run; each must be prefixed by ${SUDO:-} (empty as root), so none may
  // stand where a command starts (line start, after ; & | ( { ! if then else do while...).
  const ROOT_ONLY =
    'apt-get|pg_createcluster|pg_ctlcluster|runuser -u postgres|mmdebstrap|usermod|groupadd|setfacl|dockerd'
  const bare = new RegExp(`(^|[;&|({]|\\b(?:then|do|else|if|elif|while|until))\\s*(!\\s*)?(${ROOT_ONLY})\\b`)
  const problems: string[] = []
  for (const piece of readdirSync(dir)) {
    readFileSync(join(dir, piece), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const match = bare.exec(line.replace(/(^|\s)#.*$/, ''))
        if (match) problems.push(`${piece}:${index + 1}: ${match[3]}`)
      })
  }
  expect(problems).toEqual([])
  expect(bare.test('apt-get install -y acl')).toBe(true)
  expect(bare.test('if ! setfacl -m u:x:rw /sock; then')).toBe(true)
  expect(bare.test('${SUDO:-} apt-get install -y acl')).toBe(false)
})

test('the commands name only scripts that exist', () => {
  for (const command of commands) {
    for (const [, script = ''] of command.matchAll(/npm run ([\w:-]+)/g))
      expect(Object.keys(scripts)).toContain(script)
    for (const [, file = ''] of command.matchAll(/bash (\S+)/g))
      expect(existsSync(join(root, file))).toBe(true)
  }
})
