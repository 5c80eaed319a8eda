import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { findExecutable, resolveTrivyPath } from '../../../src/lib/trivy/binary.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trivy-binary-'))
  for (const sub of ['ws', 'a', 'b']) mkdirSync(join(dir, sub))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const script = (path: string, mode: number) => writeFileSync(path, '#!/bin/sh\n', { mode })
const env = () => ({ PATH: [join(dir, 'a'), join(dir, 'b')].join(delimiter) })

describe('findExecutable', () => {
  it('takes an executable file relative to the workspace, then a command on PATH', () => {
    script(join(dir, 'ws', 'trivy'), 0o755)
    script(join(dir, 'b', 'trivy'), 0o755)
    expect(findExecutable('trivy', join(dir, 'ws'), env())).toEqual({ found: join(dir, 'ws', 'trivy') })
    rmSync(join(dir, 'ws', 'trivy'))
    expect(findExecutable('trivy', join(dir, 'ws'), env())).toEqual({ found: join(dir, 'b', 'trivy') })
  })

  it('never finds a directory, on PATH passes over one and a file it may not run, as execvp does', () => {
    mkdirSync(join(dir, 'ws', 'trivy'))
    mkdirSync(join(dir, 'a', 'trivy'))
    script(join(dir, 'b', 'trivy'), 0o755)
    expect(findExecutable('trivy', join(dir, 'ws'), env())).toEqual({ found: join(dir, 'b', 'trivy') })
    rmSync(join(dir, 'a', 'trivy'), { recursive: true })
    script(join(dir, 'a', 'trivy'), 0o644)
    expect(findExecutable('trivy', join(dir, 'ws'), env())).toEqual({ found: join(dir, 'b', 'trivy') })
  })

  it('looks a path with a slash up only under the workspace', () => {
    script(join(dir, 'a', 'trivy'), 0o755)
    expect(findExecutable('bin/trivy', join(dir, 'ws'), env())).toEqual({ missing: true })
  })
})

describe('resolveTrivyPath', () => {
  const resolve = (given: string) => () => resolveTrivyPath(given, join(dir, 'ws'), env(), 'scan-trivy-path')

  it('returns the binary', () => {
    script(join(dir, 'ws', 'trivy'), 0o700)
    expect(resolve('trivy')()).toBe(join(dir, 'ws', 'trivy'))
  })

  it('names the input, and what it found, for a directory, a file it may not run, or nothing', () => {
    mkdirSync(join(dir, 'ws', 'trivy'))
    expect(resolve('trivy')).toThrow(
      "Input 'scan-trivy-path' names 'trivy', which is a directory; expected the Trivy executable (a file relative to the workspace, or a command on PATH)",
    )
    script(join(dir, 'ws', 'run-trivy'), 0o640)
    expect(resolve('run-trivy')).toThrow(
      "Input 'scan-trivy-path' names 'run-trivy', a file the runner may not execute (mode 640); make it executable (chmod +x) or point 'scan-trivy-path' at the Trivy binary",
    )
    script(join(dir, 'b', 'on-path'), 0o600)
    expect(resolve('on-path')).toThrow(/names 'on-path', a file the runner may not execute \(mode 600\)/)
    expect(resolve('none')).toThrow(
      "Input 'scan-trivy-path' names 'none', which is neither a file (relative to the workspace) nor a command on PATH",
    )
  })
})
