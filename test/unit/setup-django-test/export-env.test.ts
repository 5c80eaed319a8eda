import { jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportToLaterSteps } from '../../../src/setup-django-test/export-env.js'
import { parseFileCommands } from '../../helpers/run-action.js'

describe('exportToLaterSteps', () => {
  let saved: NodeJS.ProcessEnv
  beforeEach(() => {
    saved = { ...process.env }
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
      exportToLaterSteps(process.env, 'DATABASE_URL', 'postgres://u:p@db/app')
      exportToLaterSteps(process.env, 'ODD', 'a\nb')
      expect(parseFileCommands(readFileSync(file, 'utf8'))).toEqual({
        DATABASE_URL: 'postgres://u:p@db/app',
        ODD: 'a\nb',
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('does nothing outside a runner, and prints nothing (no ::set-env with the value)', () => {
    delete process.env.GITHUB_ENV
    const writes: string[] = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk))
      return true
    })
    exportToLaterSteps(process.env, 'DATABASE_URL', 'postgres://u:secret@db/app')
    expect(writes).toEqual([])
    expect(process.env.DATABASE_URL).toBe(saved.DATABASE_URL)
  })
})
