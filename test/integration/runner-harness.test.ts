// The model runner (test/helpers/run-step.ts) held against actions/runner's rules, on small
// actions written here: what each step type gets in its environment, inputs and their defaults,
// pre/main/post with post-if and STATE_*, composite steps and outputs, stand-ins, masking.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalCacheStore, runStep } from '../helpers/run-step.js'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'harness-test-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** A node script that reports what it was started with: its environment and working folder. */
const REPORT = `
import { appendFileSync } from 'node:fs'
const pick = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(INPUT_|STATE_|ACTIONS_|GITHUB_|RUNNER_|CI$|FROM_|JOB_)/.test(k)))
const stage = process.argv[2] ?? 'main'
appendFileSync(process.env.GITHUB_OUTPUT, 'env<<EOF\\n' + JSON.stringify({ env: pick, cwd: process.cwd() }) + '\\nEOF\\n')
appendFileSync(process.env.GITHUB_STATE, 'from-' + stage + '=' + stage + '\\n')
console.log('REPORT ' + stage + ' ' + JSON.stringify(pick))
if (stage !== 'pre' && stage !== 'post' && process.env.INPUT_FAIL === 'true') { console.log('::error::asked to fail'); process.exit(2) }
`

function action(name: string, yml: string, files: Record<string, string> = {}): string {
  const dir = join(root, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'action.yml'), yml)
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  return dir
}

const reported = (stdout: string, stage: string): Record<string, string> =>
  JSON.parse(
    stdout
      .split('\n')
      .find((l) => l.startsWith(`REPORT ${stage} `))
      ?.slice(`REPORT ${stage} `.length) ?? '{}',
  )

const nodeAction = () =>
  action(
    'node-action',
    `name: node
description: d
inputs:
  my input: { description: a space in the name }
  kebab-name: { description: a hyphen, default: kebab }
  repo: { description: an expression default, default: '\${{ github.repository }}' }
  version: { description: a YAML float, default: 3.10 }
  needed: { description: required without default, required: true }
  fail: { description: exit 2, default: 'false' }
runs:
  using: node24
  pre: pre.mjs
  main: main.mjs
  post: post.mjs
  post-if: success()
`,
    {
      'pre.mjs': REPORT.replace("process.argv[2] ?? 'main'", "'pre'"),
      'main.mjs': REPORT,
      'post.mjs': REPORT.replace("process.argv[2] ?? 'main'", "'post'"),
    },
  )

describe('a node action step (NodeScriptActionHandler)', () => {
  it('gets every input as INPUT_<NAME>: spaces as _, hyphens kept, defaults evaluated, required not enforced', async () => {
    const run = await runStep(
      nodeAction(),
      { 'my input': 'spaced', bogus: 'x' },
      { github: { repository: 'acme/shop' } },
    )
    expect(run.exitCode).toBe(0)
    const env = reported(run.stdout, 'main')
    expect(env).toMatchObject({
      INPUT_MY_INPUT: 'spaced',
      'INPUT_KEBAB-NAME': 'kebab',
      INPUT_REPO: 'acme/shop',
      INPUT_VERSION: '3.1',
      INPUT_NEEDED: '',
      INPUT_BOGUS: 'x',
    })
    expect(run.warnings).toEqual([
      "Unexpected input(s) 'bogus', valid inputs are ['my input', 'kebab-name', 'repo', 'version', 'needed', 'fail']",
    ])
  })

  it('gets the runtime credentials, the cache service when the runner has one, and OIDC only with id-token', async () => {
    const plain = reported((await runStep(nodeAction(), {})).stdout, 'main')
    expect(plain.ACTIONS_RUNTIME_TOKEN).toMatch(/^runtime-/)
    expect(plain.ACTIONS_RUNTIME_URL).toBeDefined()
    expect(Object.keys(plain).filter((k) => /^ACTIONS_.*(RESULTS|CACHE|ID_TOKEN)/.test(k))).toEqual([])
    const store = new LocalCacheStore()
    try {
      const full = reported(
        (await runStep(nodeAction(), {}, { cacheStore: store, idToken: true })).stdout,
        'main',
      )
      expect(full).toMatchObject({
        ACTIONS_RUNTIME_TOKEN: store.token,
        ACTIONS_RESULTS_URL: store.resultsUrl,
        ACTIONS_CACHE_SERVICE_V2: 'True',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: store.token,
        ACTIONS_ID_TOKEN_REQUEST_URL: expect.any(String),
      })
    } finally {
      store.close()
    }
  })

  it('runs in the workspace with the GITHUB_* and RUNNER_* of its contexts, and never GITHUB_TOKEN', async () => {
    const workspace = mkdtempSync(join(root, 'ws-'))
    const run = await runStep(
      nodeAction(),
      {},
      { cwd: workspace, github: { ref: 'refs/tags/v1.2.0' }, env: { JOB_LEVEL: 'j' } },
    )
    const env = reported(run.stdout, 'main')
    expect(JSON.parse(run.outputs.env ?? '{}').cwd).toBe(workspace)
    expect(env).toMatchObject({
      GITHUB_WORKSPACE: workspace,
      GITHUB_REF: 'refs/tags/v1.2.0',
      GITHUB_REF_NAME: 'v1.2.0',
      GITHUB_REF_TYPE: 'tag',
      GITHUB_ACTION_REPOSITORY: 'devops-actions/devops-actions',
      GITHUB_ACTION_REF: 'v1',
      RUNNER_OS: 'Linux',
      CI: 'true',
      JOB_LEVEL: 'j',
    })
    expect(env.GITHUB_TOKEN).toBeUndefined()
    expect(env.GITHUB_ACTION_PATH).toBeUndefined()
  })

  it("evaluates the step's with: in the job's contexts (job.services, github, env)", async () => {
    const run = await runStep(
      nodeAction(),
      {
        'my input':
          "${{ job.services.postgres.ports['5432'] }}/${{ github.event_name }}/${{ env.JOB_LEVEL }}",
      },
      { job: { services: { postgres: { ports: { '5432': '49153' } } } }, env: { JOB_LEVEL: 'j' } },
    )
    expect(reported(run.stdout, 'main').INPUT_MY_INPUT).toBe('49153/push/j')
  })

  it('refuses a job env that sets what the runner owns', async () => {
    await expect(runStep(nodeAction(), {}, { env: { GITHUB_REF: 'refs/heads/x' } })).rejects.toThrow(
      "GITHUB_REF is set by the runner (from its contexts or its connection), not by a job's env",
    )
    await expect(runStep(nodeAction(), {}, { env: { ACTIONS_RUNTIME_TOKEN: 't' } })).rejects.toThrow(
      'ACTIONS_RUNTIME_TOKEN',
    )
  })

  it('runs pre, main and post, each seeing the state the earlier stages saved', async () => {
    const run = await runStep(nodeAction(), {})
    expect(run.pre?.conclusion).toBe('success')
    expect(reported(run.pre?.stdout ?? '', 'pre').STATE_from_pre).toBeUndefined()
    expect(reported(run.stdout, 'main')).toMatchObject({ 'STATE_from-pre': 'pre' })
    expect(reported(run.post?.stdout ?? '', 'post')).toMatchObject({
      'STATE_from-pre': 'pre',
      'STATE_from-main': 'main',
    })
    expect(run.state).toEqual({ 'from-main': 'main' })
    expect(run.steps.map((s) => s.stage)).toEqual(['pre', 'main', 'post'])
  })

  it('skips a post whose post-if is success() after the main step failed, and reports the exit code', async () => {
    const run = await runStep(nodeAction(), { fail: 'true' })
    expect(run.exitCode).toBe(2)
    expect(run.conclusion).toBe('failure')
    expect(run.errors).toEqual(['asked to fail'])
    expect(run.post?.conclusion).toBe('skipped')
    expect(run.steps.map((s) => s.stage)).toEqual(['pre', 'main'])
  })

  it('does not run pre for a local action (uses: ./...), and says so', async () => {
    const run = await runStep(nodeAction(), {}, { uses: './node-action' })
    expect(run.pre).toBeUndefined()
    expect(run.warnings).toContain("`pre` execution is not supported for local action from './node-action'")
    expect(run.outputs.env).toBeDefined()
  })
})

const CACHE = 'actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae # v5.0.5'

const compositeAction = () =>
  action(
    'composite-action',
    `name: composite
description: d
inputs:
  greeting: { description: g, default: hello }
  fail: { description: make a step fail, default: 'false' }
  secret: { description: masked, default: '' }
outputs:
  said: { description: from a step, value: '\${{ steps.say.outputs.said }}' }
  state: { description: a step outcome, value: '\${{ steps.maybe.outcome }}/\${{ steps.maybe.conclusion }}' }
runs:
  using: composite
  steps:
    - id: say
      shell: bash
      run: |
        echo "said=\${{ inputs.greeting }} from $FROM_STEP" >> "$GITHUB_OUTPUT"
        echo "EXPORTED=by-say" >> "$GITHUB_ENV"
        mkdir -p "$RUNNER_TEMP/bin" cache-dir && echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"
        date +%s%N > cache-dir/stamp
        node "$GITHUB_ACTION_PATH/report.mjs" run
      env:
        FROM_STEP: \${{ inputs.greeting }}-step
    - id: node-step
      if: inputs.greeting != ''
      uses: ./node-action
      with:
        my input: \${{ steps.say.outputs.said }}
    - id: maybe
      if: inputs.fail == 'true'
      shell: bash
      continue-on-error: true
      run: exit 4
    - id: hard
      if: inputs.fail == 'true'
      shell: bash
      run: |
        echo "before the mask: \${{ inputs.secret }}"
        echo "::add-mask::\${{ inputs.secret }}"
        echo "::error::leaking \${{ inputs.secret }}"
        exit 3
    - id: after
      shell: bash
      run: echo "ran after=$EXPORTED path=$PATH"
    - id: on-failure
      if: failure()
      shell: bash
      run: echo "failure seen"
    - id: always
      if: always()
      uses: ${CACHE}
      with:
        path: \${{ github.workspace }}/cache-dir
        key: k-\${{ inputs.greeting }}
`,
    { 'report.mjs': REPORT },
  )

describe('a composite action (CompositeActionHandler, ScriptHandler)', () => {
  let store: LocalCacheStore
  beforeEach(() => {
    store = new LocalCacheStore()
  })
  afterEach(() => store.close())

  it('gives run: steps only their env: (no INPUT_*, no runtime token, no cache service), and node steps all of it', async () => {
    compositeAction()
    nodeAction()
    const run = await runStep(
      join(root, 'composite-action'),
      {},
      { cwd: root, cacheStore: store, idToken: true },
    )
    expect(run.exitCode).toBe(0)
    const script = reported(run.steps.find((s) => s.id === 'say')?.stdout ?? '', 'run')
    expect(
      Object.keys(script).filter((k) => /^(INPUT_|ACTIONS_RUNTIME|ACTIONS_RESULTS|ACTIONS_CACHE)/.test(k)),
    ).toEqual([])
    expect(script).toMatchObject({
      FROM_STEP: 'hello-step',
      GITHUB_ACTION_PATH: join(root, 'composite-action'),
      // ScriptHandler gives OIDC to run: steps too (actions/runner#1287).
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: store.token,
    })
    const node = reported(run.steps.find((s) => s.id === 'node-step')?.stdout ?? '', 'main')
    expect(node).toMatchObject({
      INPUT_MY_INPUT: 'hello from hello-step',
      ACTIONS_RUNTIME_TOKEN: store.token,
      ACTIONS_RESULTS_URL: store.resultsUrl,
    })
    const cache = run.steps.find((s) => s.id === 'always' && s.stage === 'main')
    expect(cache?.env).toMatchObject({ INPUT_KEY: 'k-hello', ACTIONS_RUNTIME_TOKEN: store.token })
    expect(run.outputs).toEqual({ said: 'hello from hello-step', state: 'skipped/skipped' })
  })

  it('carries GITHUB_ENV and GITHUB_PATH to later steps, evaluates if: without ${{ }}, skips after a failure', async () => {
    compositeAction()
    nodeAction()
    const run = await runStep(
      join(root, 'composite-action'),
      { fail: 'true', secret: 's3cr3t-value' },
      { cwd: root, cacheStore: store },
    )
    expect(run.conclusion).toBe('failure')
    expect(run.exitCode).toBe(3)
    const byId = Object.fromEntries(run.steps.filter((s) => s.stage === 'main').map((s) => [s.id, s]))
    expect(byId.maybe).toMatchObject({ outcome: 'failure', exitCode: 4 })
    expect(run.outputs.state).toBe('failure/success')
    expect(byId.hard?.conclusion).toBe('failure')
    expect(byId.after?.conclusion).toBe('skipped')
    expect(byId['on-failure']?.stdout).toBe('failure seen\n')
    expect(byId.always?.conclusion).toBe('success')
    expect(run.errors).toEqual([
      'Process completed with exit code 4.',
      'leaking ***',
      'Process completed with exit code 3.',
    ])
    // The runner masks what comes after ::add-mask::, not what was printed before it.
    expect(run.log).toContain('before the mask: s3cr3t-value\n::error::leaking ***')
    expect(run.log).not.toContain('::add-mask::')
    expect(run.log).toContain('##[error]Process completed with exit code 3.')
    // The posts of node-action and actions/cache (both post-if: success()) do not run after the failure.
    expect(run.steps.filter((s) => s.stage === 'post').map((s) => [s.name, s.conclusion])).toEqual([
      ['Post actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae', 'skipped'],
      ['Post ./node-action', 'skipped'],
    ])
    expect(store.calls).toEqual(['restore k-hello -> miss'])
  })

  it('exports GITHUB_ENV to the later steps and prepends GITHUB_PATH', async () => {
    compositeAction()
    nodeAction()
    const run = await runStep(join(root, 'composite-action'), {}, { cwd: root, cacheStore: store })
    const after = run.steps.find((s) => s.id === 'after')
    expect(after?.stdout).toMatch(/^ran after=by-say path=[^:]*\/bin:/)
    expect(run.jobEnv.EXPORTED).toBe('by-say')
  })

  it('runs actions/cache: restore in main, save in its post, then an exact hit the second time', async () => {
    compositeAction()
    nodeAction()
    const first = await runStep(join(root, 'composite-action'), {}, { cwd: root, cacheStore: store })
    expect(first.post?.conclusion).toBe('success')
    const saved = readFileSync(join(root, 'cache-dir', 'stamp'), 'utf8')
    expect(store.calls).toEqual(['restore k-hello -> miss', 'save k-hello'])
    const second = await runStep(join(root, 'composite-action'), {}, { cwd: root, cacheStore: store })
    expect(second.steps.find((s) => s.id === 'always' && s.stage === 'main')?.outputs).toEqual({
      'cache-hit': 'true',
    })
    expect(second.post?.stdout).toContain('Cache hit occurred on the primary key k-hello, not saving cache.')
    // The second run's first step wrote a new stamp; the restore put the saved folder back.
    expect(readFileSync(join(root, 'cache-dir', 'stamp'), 'utf8')).toBe(saved)
    expect(store.calls).toEqual(['restore k-hello -> miss', 'save k-hello', 'restore k-hello -> k-hello'])
  })

  it('refuses a stand-in whose pin is not the version it models', async () => {
    const dir = action(
      'stale-pin',
      `name: s
description: d
runs:
  using: composite
  steps:
    - uses: actions/cache@0123456789012345678901234567890123456789 # v9
      with: { path: x, key: y }
`,
    )
    const run = await runStep(dir, {}, { cwd: root })
    expect(run.errors[0]).toMatch(
      /^The stand-in for actions\/cache models v5\.0\.5 \(27d5ce7f[0-9a-f]+\), but the step uses @0123456789/,
    )
  })
})

describe('the setup-python stand-in', () => {
  const setupPython = () =>
    action(
      'python-action',
      `name: p
description: d
inputs:
  version: { description: v, default: '' }
  file: { description: f, default: '' }
outputs:
  version: { description: v, value: '\${{ steps.py.outputs.python-version }}' }
runs:
  using: composite
  steps:
    - id: py
      uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0
      with: { python-version: '\${{ inputs.version }}', python-version-file: '\${{ inputs.file }}' }
    - shell: bash
      run: python3 -c 'import sys; print(sys.executable)'
`,
    )

  it('puts the matching interpreter of the tool cache first on PATH for the next steps', async () => {
    const run = await runStep(setupPython(), { version: '3.x' }, { cwd: root, pythons: ['/usr/bin/python3'] })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.version).toMatch(/^3\.\d+\.\d+$/)
    expect(run.steps.filter((s) => s.stage === 'main').at(-1)?.stdout).toMatch(
      new RegExp(`/Python/${run.outputs.version?.replace(/\./g, '\\.')}/x64/bin/python3\\n$`),
    )
    expect(run.jobEnv.pythonLocation).toMatch(/\/x64$/)
  })

  it('reads .python-version itself when given neither input, and fails for a version it does not have', async () => {
    const workspace = mkdtempSync(join(root, 'py-'))
    writeFileSync(join(workspace, '.python-version'), '2.7\n')
    const run = await runStep(setupPython(), {}, { cwd: workspace, pythons: ['/usr/bin/python3'] })
    expect(run.stdout).toContain(
      "[warning]Neither 'python-version' nor 'python-version-file' inputs were supplied.",
    )
    expect(run.errors).toEqual([
      "The version '2.7' with architecture 'x64' was not found for this operating system.\nThe list of all available versions can be found here: https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json",
    ])
    expect(readFileSync(join(workspace, '.python-version'), 'utf8')).toBe('2.7\n')
  })
})
