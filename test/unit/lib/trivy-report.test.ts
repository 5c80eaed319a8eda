import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { trivyTargets } from '../../../src/lib/trivy/report.js'

// lib/trivy/report.ts reads Trivy's JSON for build-and-scan-image and python-quality alike; their
// own tests hold each action's view of it. Here: the shared reading, against Trivy's golden files.
const here = dirname(fileURLToPath(import.meta.url))
const sharedTrivy = resolve(here, '../../../../shared/fixtures/trivy')
const shared = existsSync(sharedTrivy) ? describe : describe.skip
const golden = (name: string) => JSON.parse(readFileSync(join(sharedTrivy, name), 'utf8')) as unknown

shared("Trivy's golden reports", () => {
  it('reads OS and language results of one image, each with its target', () => {
    const targets = trivyTargets(golden('fluentd-gems.json'))
    expect(targets.map((t) => [t.target, t.vulnerabilities.map((v) => v.id)])).toEqual([
      ['testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz (debian 10.2)', ['CVE-2019-18224']],
      ['Ruby', ['CVE-2020-8165']],
    ])
    expect(targets[0]?.vulnerabilities[0]).toMatchObject({
      pkg: 'libidn2-0',
      installed: '2.0.5-1',
      fixed: '2.0.5-1+deb10u1',
      severity: 'CRITICAL',
      url: 'https://avd.aquasec.com/nvd/cve-2019-18224',
      score: 9.8,
    })
  })

  it('reads a repository scan, no results, and a misconfiguration-only result as no findings', () => {
    expect(trivyTargets(golden('pip.json')).map((t) => t.target)).toEqual(['requirements.txt'])
    expect(trivyTargets(golden('alpine-39-skip.json'))).toEqual([])
    expect(trivyTargets(golden('dockerfile.json'))).toEqual([
      { target: 'Dockerfile', vulnerabilities: [], secrets: [] },
    ])
  })
})

describe('trivyTargets', () => {
  it('reads secrets, passes over entries without an ID, and takes an unknown severity as UNKNOWN', () => {
    const [target = { target: '', secrets: [], vulnerabilities: [] }] = trivyTargets({
      SchemaVersion: 2,
      Results: [
        {
          Target: '/app/.env',
          Secrets: [
            {
              RuleID: 'aws-access-key-id',
              Category: 'AWS',
              Severity: 'critical',
              StartLine: 3,
              Match: '****',
            },
            { Category: 'AWS' },
          ],
          Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'SEVERE', PkgName: '' }, { PkgName: 'x' }],
        },
      ],
    })
    expect(target.secrets).toEqual([
      { id: 'aws-access-key-id', severity: 'CRITICAL', category: 'AWS', line: 3 },
    ])
    expect(target.vulnerabilities).toEqual([expect.objectContaining({ id: 'CVE-1', severity: 'UNKNOWN' })])
    expect(target.vulnerabilities[0]?.pkg).toBeUndefined()
    expect(JSON.stringify(target)).not.toContain('****')
  })

  it.each([
    [[], /not a JSON object/],
    [null, /not a JSON object/],
    [{ SchemaVersion: 1 }, /schema version 1; this action reads version 2/],
  ])('rejects %j', (report, message) => expect(() => trivyTargets(report)).toThrow(message))
})
