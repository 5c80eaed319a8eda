import { jest } from '@jest/globals'
import { exportVariable } from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultDeps } from '../../../src/setup-django-test/deps.js'
import { parseFileCommands } from '../../helpers/run-action.js'

// The real exportVariable port: @actions/core's, behind a guard for where there is no GITHUB_ENV.
describe('defaultDeps().exportVariable', () => {
  let saved: NodeJS.ProcessEnv
  let writes: string[]
  beforeEach(() => {
    saved = { ...process.env }
    writes = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk))
      return true
    })
  })
  afterEach(() => {
    process.env = saved
    jest.restoreAllMocks()
  })

  it('appends a heredoc entry to GITHUB_ENV that survives newlines in the value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'export-env-'))
    try {
      const file = join(dir, 'env')
      writeFileSync(file, '')
      process.env.GITHUB_ENV = file
      const { exportVariable: exportToLaterSteps } = defaultDeps()
      exportToLaterSteps('DATABASE_URL', 'postgres://u:p@db/app')
      exportToLaterSteps('ODD', 'a\nb')
      expect(parseFileCommands(readFileSync(file, 'utf8'))).toEqual({
        DATABASE_URL: 'postgres://u:p@db/app',
        ODD: 'a\nb',
      })
      expect(writes).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  // The defect the guard exists for: without GITHUB_ENV, @actions/core 3.x falls back to the
  // `::set-env` workflow command, which the runner has long refused, with the value in the log.
  it("guards against @actions/core printing the value outside a runner (its '::set-env' fallback)", () => {
    delete process.env.GITHUB_ENV
    exportVariable('DATABASE_URL', 'postgres://u:secret@db/app')
    expect(writes.join('')).toContain('::set-env name=DATABASE_URL::postgres://u:secret@db/app')

    writes.length = 0
    process.env = { ...saved }
    delete process.env.GITHUB_ENV
    defaultDeps().exportVariable('DATABASE_URL', 'postgres://u:secret@db/app')
    expect(writes).toEqual([])
    expect(process.env.DATABASE_URL).toBe(saved.DATABASE_URL)
  })
})
