import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportToLaterSteps } from '../../../src/setup-django-test/export-env.js'
import { parseFileCommands } from '../../helpers/run-action.js'

describe('exportToLaterSteps', () => {
  it('appends a heredoc entry to GITHUB_ENV that survives newlines in the value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'export-env-'))
    try {
      const file = join(dir, 'env')
      writeFileSync(file, '')
      exportToLaterSteps({ GITHUB_ENV: file }, 'DATABASE_URL', 'postgres://u:p@db/app')
      exportToLaterSteps({ GITHUB_ENV: file }, 'ODD', 'a\nb')
      expect(parseFileCommands(readFileSync(file, 'utf8'))).toEqual({
        DATABASE_URL: 'postgres://u:p@db/app',
        ODD: 'a\nb',
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('does nothing outside a runner', () => {
    expect(() => exportToLaterSteps({}, 'X', 'y')).not.toThrow()
  })
})
