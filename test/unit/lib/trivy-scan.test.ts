import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { trivyArgv } from '../../../src/build-and-scan-image/scan.js'
import type { Exec } from '../../../src/lib/process/exec.js'
import { runTrivyScan, trivyScanArgv } from '../../../src/lib/trivy/scan.js'
import { trivyFsArgv } from '../../../src/python-quality/audit.js'

// The two scans share their flags through lib/trivy/scan.ts; what differs stays with each action.
// python-quality's run.test.ts holds the filesystem audit's argv; the image scan's is held here.
describe('the Trivy argv', () => {
  const shared = ['--format', 'json', '--output', '/r.json', '--cache-dir', '/c', '--quiet']

  it('scans an image with the scanners given, listing every package only for an SBOM', () => {
    const run = {
      image: 'shop@sha256:ab',
      reportFile: '/r.json',
      cacheDir: '/c',
      scanners: ['vuln', 'secret'],
    }
    expect(trivyArgv(run)).toEqual(['image', '--scanners', 'vuln,secret', ...shared, 'shop@sha256:ab'])
    expect(trivyArgv({ ...run, listAllPackages: true })).toEqual([
      'image',
      '--scanners',
      'vuln,secret',
      ...shared,
      '--list-all-pkgs',
      'shop@sha256:ab',
    ])
  })

  it('audits the folder for vulnerabilities with the same shared flags', () => {
    expect(trivyFsArgv(['poetry.lock'], '/r.json', '/c')).toEqual([
      'fs',
      '--scanners',
      'vuln',
      ...shared,
      '.',
    ])
  })

  it('never asks Trivy to filter: no severity, ignore-unfixed or exit-code flag (the actions gate)', () => {
    const argv = trivyScanArgv({
      command: 'fs',
      target: '.',
      scanners: ['vuln'],
      reportFile: '/r',
      cacheDir: '/c',
    })
    expect(argv.filter((flag) => /^--(severity|ignore-unfixed|exit-code|skip-db-update)/.test(flag))).toEqual(
      [],
    )
  })
})

describe('runTrivyScan', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'trivy-scan-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const scan = () => ({
    command: 'fs' as const,
    target: '.',
    scanners: ['vuln'],
    reportFile: join(dir, 'r.json'),
    cacheDir: dir,
  })

  it('returns the report Trivy wrote, run in the folder given', async () => {
    const seen: (string | undefined)[] = []
    const exec: Exec = async (_command, args, options) => {
      seen.push(options?.cwd)
      writeFileSync(args[args.indexOf('--output') + 1] ?? '', '{"SchemaVersion":2}')
      return { exitCode: 0, stdout: '', stderr: '', stderrTail: '' }
    }
    await expect(runTrivyScan(exec, 'trivy', scan(), { what: 'audit x', cwd: dir })).resolves.toBe(
      '{"SchemaVersion":2}',
    )
    expect(seen).toEqual([dir])
  })

  it('says what it could not do, with the last line Trivy printed, or that no report came', async () => {
    const failing: Exec = async () => ({
      exitCode: 1,
      stdout: '',
      stderr: 'INFO x\nFATAL no db',
      stderrTail: '',
    })
    await expect(runTrivyScan(failing, 'trivy', scan(), { what: 'scan shop:1' })).rejects.toThrow(
      'Trivy could not scan shop:1 (exit code 1): FATAL no db',
    )
    const silent: Exec = async () => ({ exitCode: 0, stdout: '', stderr: '', stderrTail: '' })
    await expect(runTrivyScan(silent, 'trivy', scan(), { what: 'scan shop:1' })).rejects.toThrow(
      `Trivy exited 0 but wrote no report at ${join(dir, 'r.json')}`,
    )
  })
})
