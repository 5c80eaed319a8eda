import { readdirSync } from 'node:fs'

const LOCK_FILES = ['Pipfile.lock', 'poetry.lock', 'uv.lock']

/** The requirement and lock files at the top of the working directory that the audit reads. */
export function auditFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .filter((name) => /^requirements.*\.txt$/.test(name) || LOCK_FILES.includes(name))
    .sort()
}
