import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toSarif } from '../../../src/build-and-scan-image/sarif.js'
import { summaryMarkdown } from '../../../src/build-and-scan-image/summary.js'
import {
  assess,
  gateFailures,
  parseTrivyReport,
  topFindings,
  type Vulnerability,
} from '../../../src/build-and-scan-image/trivy-report.js'
import { parseTrivyIgnore } from '../../../src/build-and-scan-image/trivyignore.js'

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = resolve(here, '../../..')
const sharedTrivy = resolve(repoRoot, '../shared/fixtures/trivy')
const own = (name: string) => readFileSync(join(here, 'reports', name), 'utf8')
const noIgnore = { ids: new Set<string>(), expired: [] }

describe('Trivy reports of our own', () => {
  const mixed = parseTrivyReport(own('mixed.json'))

  it('reads every vulnerability with its target and score', () => {
    expect(mixed).toHaveLength(7)
    expect(mixed.find((v) => v.id === 'CVE-2024-0006')).toMatchObject({
      pkg: 'Django',
      installed: '4.2.0',
      fixed: '4.2.11',
      severity: 'HIGH',
      target: 'Python',
      score: 8.2,
    })
    expect(mixed.find((v) => v.id === 'CVE-2024-0003')?.score).toBe(7.1)
    expect(mixed.find((v) => v.id === 'TEMP-0000001')?.score).toBeUndefined()
  })

  it.each([
    [true, { CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 0, UNKNOWN: 1 }, 2],
    [false, { CRITICAL: 1, HIGH: 3, MEDIUM: 1, LOW: 1, UNKNOWN: 1 }, 0],
  ])('ignore-unfixed %s', (ignoreUnfixed, counts, unfixedIgnored) => {
    const assessment = assess(mixed, { ignoreUnfixed, ignore: noIgnore })
    expect(assessment.counts).toEqual(counts)
    expect(assessment.unfixedIgnored).toBe(unfixedIgnored)
  })

  it.each([
    ['CRITICAL', 1],
    ['HIGH', 3],
    ['MEDIUM', 4],
    ['LOW', 4],
    ['UNKNOWN', 5],
    ['none', 0],
  ] as const)('gate at %s fails on %i finding(s)', (threshold, failures) => {
    const { counts } = assess(mixed, { ignoreUnfixed: true, ignore: noIgnore })
    expect(gateFailures(counts, threshold)).toBe(failures)
  })

  it('drops IDs from the ignore file', () => {
    const ignore = parseTrivyIgnore('CVE-2024-0001\nCVE-2024-0006 # accepted until the upgrade\n', new Date())
    const assessment = assess(mixed, { ignoreUnfixed: true, ignore })
    expect(assessment.counts.CRITICAL).toBe(0)
    expect(assessment.counts.HIGH).toBe(1)
    expect(assessment.ignored).toBe(2)
  })

  it('orders the top findings by severity, then score', () => {
    const top = topFindings(mixed, 3).map((v) => v.id)
    expect(top).toEqual(['CVE-2024-0001', 'CVE-2024-0006', 'CVE-2024-0002'])
  })

  it('reads a clean report', () => {
    expect(parseTrivyReport(own('clean.json'))).toEqual([])
  })

  it.each([
    ['not json', /not valid JSON/],
    ['[]', /not a JSON object/],
    ['{"SchemaVersion": 1, "Results": []}', /schema version 1/],
  ])('rejects %s', (text, message) => expect(() => parseTrivyReport(text)).toThrow(message))
})

describe('.trivyignore', () => {
  const today = new Date('2026-03-10T12:00:00Z')
  it('reads IDs, comments and expiry dates', () => {
    const rules = parseTrivyIgnore(
      [
        '# accepted risks',
        'CVE-2024-0001',
        '  CVE-2024-0002   # no fix upstream',
        'CVE-2024-0003 exp:2026-12-31',
        'CVE-2024-0004 exp:2026-03-01',
        '',
      ].join('\n'),
      today,
    )
    expect([...rules.ids]).toEqual(['CVE-2024-0001', 'CVE-2024-0002', 'CVE-2024-0003'])
    expect(rules.expired).toEqual([{ id: 'CVE-2024-0004', expires: '2026-03-01', line: 5 }])
  })
  it('expires an entry once its date has begun, as Trivy does', () => {
    expect(parseTrivyIgnore('CVE-1 exp:2026-03-10', today).ids.size).toBe(0)
    expect(parseTrivyIgnore('CVE-1 exp:2026-03-11', today).ids.size).toBe(1)
  })
})

describe('SARIF', () => {
  const findings = assess(parseTrivyReport(own('mixed.json')), {
    ignoreUnfixed: false,
    ignore: noIgnore,
  }).findings
  const sarif = toSarif(findings, {
    image: 'shop:main',
    location: { uri: 'app/Dockerfile', line: 9 },
    trivyVersion: '0.67.2',
  }) as {
    version: string
    runs: {
      tool: {
        driver: {
          rules: {
            id: string
            defaultConfiguration: { level: string }
            properties: Record<string, unknown>
          }[]
        }
      }
      results: { ruleId: string; level: string; ruleIndex: number; locations: unknown[] }[]
    }[]
  }
  const run = sarif.runs[0]!
  const level = (id: string) => run.results.find((r) => r.ruleId === id)?.level
  const rule = (id: string) => run.tool.driver.rules.find((r) => r.id === id)

  it('maps severities to levels', () => {
    expect(sarif.version).toBe('2.1.0')
    expect(level('CVE-2024-0001')).toBe('error')
    expect(level('CVE-2024-0002')).toBe('error')
    expect(level('CVE-2024-0004')).toBe('warning')
    expect(level('CVE-2024-0005')).toBe('note')
    expect(level('TEMP-0000001')).toBe('note')
  })

  it('carries security-severity from CVSS, or a severity-based score', () => {
    expect(rule('CVE-2024-0001')?.properties['security-severity']).toBe('9.8')
    expect(rule('TEMP-0000001')?.properties['security-severity']).toBe('0.0')
  })

  it('points each result at the Dockerfile and its rule', () => {
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId)
      expect(JSON.stringify(result.locations)).toContain('"uri":"app/Dockerfile"')
    }
    expect(run.results).toHaveLength(7)
  })
})

describe('summary', () => {
  it('shows counts and the top 10 with links', () => {
    const many: Vulnerability[] = Array.from({ length: 12 }, (_, i) => ({
      id: `CVE-2025-${1000 + i}`,
      pkg: `pkg${i}`,
      installed: '1.0',
      fixed: i % 2 ? '1.1' : undefined,
      severity: i < 2 ? 'CRITICAL' : 'MEDIUM',
      target: 't',
      url: `https://avd.aquasec.com/nvd/cve-2025-${1000 + i}`,
    }))
    const assessment = assess(many, { ignoreUnfixed: false, ignore: noIgnore })
    const md = summaryMarkdown({
      image: 'shop',
      references: ['shop:main'],
      builder: 'docker',
      size: 248_000_000,
      scan: { assessment, threshold: 'HIGH', passed: false },
    })
    expect(md).toContain('| CRITICAL | HIGH | MEDIUM | LOW | UNKNOWN |')
    expect(md).toContain('| 2 | 0 | 10 | 0 | 0 |')
    expect(md).toContain('Top 10 of 12')
    expect(md).toContain('[CVE-2025-1000](https://avd.aquasec.com/nvd/cve-2025-1000)')
    expect(md).toContain('1.0 → no fix')
    expect(md).toContain('1.0 → 1.1')
    expect(md).toContain('248.0MB')
  })
})

const shared = existsSync(sharedTrivy) ? describe : describe.skip

shared('real Trivy reports (Trivy golden files)', () => {
  const read = (name: string) => parseTrivyReport(readFileSync(join(sharedTrivy, name), 'utf8'))

  it.each([
    ['alpine-310.json', false, { CRITICAL: 0, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0 }],
    ['alpine-39.json', false, { CRITICAL: 2, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0 }],
    ['debian-buster.json', false, { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 1, UNKNOWN: 0 }],
    ['debian-buster.json', true, { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }],
    ['fluentd-gems.json', false, { CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }],
    ['pip.json', false, { CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 0, UNKNOWN: 0 }],
    ['ubi-7-comprehensive.json', true, { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }],
    ['alpine-39-skip.json', false, { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }],
    ['sl-micro-rancher5.4.json', false, { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }],
    ['dockerfile.json', false, { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }],
  ])('%s (ignore-unfixed %s)', (name, ignoreUnfixed, counts) => {
    expect(assess(read(name), { ignoreUnfixed, ignore: noIgnore }).counts).toEqual(counts)
  })

  it("counts what Trivy's own --ignore-unfixed output keeps for debian-buster, and marks the rest unfixed", () => {
    const all = read('debian-buster.json')
    const { findings, unfixedIgnored } = assess(all, { ignoreUnfixed: true, ignore: noIgnore })
    const trivys = read('debian-buster-ignore-unfixed.json')
    const counted = findings.filter((v) => !v.unfixed)
    expect(counted.map((v) => `${v.id} ${v.pkg}`)).toEqual(trivys.map((v) => `${v.id} ${v.pkg}`))
    // Nothing vanishes: the unfixed ones are still findings, marked, for the SARIF file and summary.
    expect(findings).toHaveLength(all.length)
    expect(unfixedIgnored).toBe(all.length - trivys.length)
    expect(findings.filter((v) => v.unfixed).every((v) => v.fixed === undefined)).toBe(true)
  })

  it("matches Trivy's own SARIF levels and security-severity for alpine-310", () => {
    const theirs = JSON.parse(readFileSync(join(sharedTrivy, 'alpine-310.sarif'), 'utf8')) as {
      runs: {
        tool: {
          driver: {
            rules: {
              id: string
              properties: Record<string, unknown>
              defaultConfiguration: { level: string }
            }[]
          }
        }
      }[]
    }
    const ours = toSarif(read('alpine-310.json'), {
      image: 'alpine',
      location: { uri: 'Dockerfile', line: 1 },
    }) as typeof theirs
    const view = (log: typeof theirs) =>
      Object.fromEntries(
        log.runs[0]!.tool.driver.rules.map((r) => [
          r.id,
          [r.defaultConfiguration.level, r.properties['security-severity']],
        ]),
      )
    expect(view(ours)).toEqual(view(theirs))
  })

  it('gates the real alpine-39 report at HIGH on its two CRITICAL musl findings', () => {
    const { counts } = assess(read('alpine-39.json'), { ignoreUnfixed: true, ignore: noIgnore })
    expect(gateFailures(counts, 'HIGH')).toBe(2)
    const ignore = parseTrivyIgnore('CVE-2019-14697 # musl, fixed in the next base image\n', new Date())
    expect(gateFailures(assess(read('alpine-39.json'), { ignoreUnfixed: true, ignore }).counts, 'HIGH')).toBe(
      0,
    )
  })
})
