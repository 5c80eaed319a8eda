import { dirname, join } from 'node:path'
import { errorMessage } from '../lib/errors.js'
import { commentMarker, markedBody, postCommentAndReport } from '../lib/github/comment.js'
import { readBaseCoverage, writeOwnCoverage } from './base-coverage.js'
import {
  changedLineCoverage,
  formatPercent,
  lineDataFromCoverageJson,
  lineRanges,
  type ChangedLineCoverage,
} from './changed-lines.js'
import type { SetupDjangoTestPorts } from './deps.js'
import { changedLinesSince } from './git-diff.js'
import type { SetupDjangoTestOptions } from './options.js'
import { commentBody } from './pr-comment.js'
import type { Verdict } from './report-phase.js'
import type { TestRunResult } from './test-phase.js'

/** What the step did for the pull request (and for pull requests to come). */
export interface PullRequestReport {
  changedLines?: ChangedLineCoverage
  commentUrl?: string
  /** The comment's markdown, written whenever a comment was due (also when it could not be posted). */
  commentFile?: string
  /** This commit's coverage was written for the composite's save step. */
  coverageSave: boolean
  /** The changed lines are below changed-lines-threshold. */
  failure?: string
  /** Markdown for the job summary. */
  summary: string
}

export type PullRequestPorts = Pick<
  SetupDjangoTestPorts,
  'io' | 'exec' | 'fs' | 'workspace' | 'githubClient' | 'makeReportsDir'
>

/**
 * After the verdict: this commit's coverage for later pull requests, then for a pull request the
 * coverage of its changed lines, their threshold, and the comment. Nothing is requested of
 * GitHub when the event has no pull request or `comment` is false; a comment that cannot be
 * posted is a notice, never the step's failure.
 */
export async function pullRequestPhase(
  ports: PullRequestPorts,
  options: SetupDjangoTestOptions,
  outcome: TestRunResult | undefined,
  verdict: Verdict,
): Promise<PullRequestReport> {
  const pr = options.pullRequest
  const coverageSave = writeOwnCoverage(ports.fs, pr.baseCoverage, outcome?.coverage)
  const event = pr.pullRequest
  if (!event) return { coverageSave, summary: '' }
  return ports.io.group('Pull request', async () => {
    const measured = await measureChangedLines(ports, options, outcome, event.baseSha)
    const failure = thresholdFailure(options, measured.changed)
    const base = readBaseCoverage(ports.fs, pr.baseCoverage, event.baseSha)
    const headSha = event.headSha ?? pr.baseCoverage.sha
    const body = commentBody({
      totals: outcome?.tests?.totals,
      failedCases: (outcome?.tests?.cases ?? []).filter(
        (c) => c.outcome === 'failed' || c.outcome === 'error',
      ),
      coverage: outcome?.coverage,
      base,
      baseSha: event.baseSha,
      changed: measured.changed,
      changedReason: measured.reason,
      changedThreshold: pr.changedLinesThreshold,
      failure: [verdict.failure, failure].filter(Boolean).join('; ') || undefined,
      blobUrl: headSha ? `${pr.serverUrl}/${event.owner}/${event.repo}/blob/${headSha}` : undefined,
      runUrl: pr.runUrl,
      commentKey: pr.commentKey,
    })
    const commentFile = join(outcome ? dirname(outcome.junitPath) : ports.makeReportsDir(), 'pr-comment.md')
    const marker = commentMarker(`setup-django-test ${pr.jobKey}`, pr.commentKey)
    // With its marker: a workflow_run workflow posting the file updates the same comment.
    ports.fs.writeText(commentFile, markedBody(marker, body))
    const commentUrl = await comment(ports, options, marker, body, commentFile)
    return {
      changedLines: measured.changed,
      commentUrl,
      commentFile,
      coverageSave,
      failure,
      summary: summarySection(measured.changed, measured.reason, commentUrl),
    }
  })
}

async function measureChangedLines(
  ports: PullRequestPorts,
  options: SetupDjangoTestOptions,
  outcome: TestRunResult | undefined,
  baseSha: string | undefined,
): Promise<{ changed?: ChangedLineCoverage; reason?: string }> {
  if (!options.coverage) return { reason: 'coverage is off' }
  if (!baseSha) return { reason: 'the event names no base commit' }
  const json = outcome?.coverage
    ? ports.fs.readText(join(dirname(outcome.junitPath), 'coverage.json'))
    : undefined
  if (json === undefined) return { reason: 'no coverage data: the tests did not run to the end' }
  const diff = await changedLinesSince({ exec: ports.exec, io: ports.io, root: ports.workspace }, baseSha)
  if (!diff.ok) {
    ports.io.warning(`Changed-line coverage is unknown: ${diff.reason}`)
    return { reason: diff.reason }
  }
  try {
    const changed = changedLineCoverage(
      diff.changed,
      lineDataFromCoverageJson(json, options.project.dir, ports.workspace),
    )
    ports.io.info(
      changed.percent === undefined
        ? 'Changed lines: none is a statement coverage.py measures'
        : `Changed lines: ${formatPercent(changed.percent)}% (${changed.covered} of ${changed.statements} statements run)`,
    )
    return { changed }
  } catch (error) {
    return { reason: `the coverage data could not be read: ${errorMessage(error)}` }
  }
}

function thresholdFailure(
  options: SetupDjangoTestOptions,
  changed: ChangedLineCoverage | undefined,
): string | undefined {
  const threshold = options.pullRequest.changedLinesThreshold
  if (threshold <= 0 || changed?.percent === undefined || changed.percent >= threshold) return undefined
  const where = changed.uncovered.map((f) => `${f.file}:${lineRanges(f.lines)}`).join('; ')
  return `Changed-line coverage ${formatPercent(changed.percent)}% is below ${options.pullRequest.thresholdInput} ${threshold}%: not run: ${where}`
}

async function comment(
  ports: PullRequestPorts,
  options: SetupDjangoTestOptions,
  marker: string,
  body: string,
  commentFile: string,
): Promise<string | undefined> {
  const pr = options.pullRequest
  const event = pr.pullRequest
  if (!event || !pr.postComment || pr.token === undefined) {
    ports.io.info(
      `Pull request comment: not posted (comment: ${pr.comment}${pr.token === undefined ? ', no github-token' : ''})`,
    )
    return undefined
  }
  const octokit = await ports.githubClient(ports.io, { token: pr.token, apiUrl: pr.apiUrl })
  const target = { owner: event.owner, repo: event.repo, issueNumber: event.number }
  return postCommentAndReport(ports.io, octokit, target, marker, body, commentFile)
}

function summarySection(
  changed: ChangedLineCoverage | undefined,
  reason: string | undefined,
  url: string | undefined,
): string {
  const lines = ['', '### Pull request', '']
  if (!changed) lines.push(`Changed-line coverage: unknown (${reason ?? 'not measured'})`)
  else if (changed.percent === undefined)
    lines.push('Changed-line coverage: no changed line is a measured statement')
  else {
    lines.push(
      `Changed-line coverage: **${formatPercent(changed.percent)}%** (${changed.covered} of ${changed.statements} changed statements run)`,
    )
    if (changed.uncovered.length > 0) {
      lines.push('', '| File | Changed lines not run |', '|---|---|')
      for (const file of changed.uncovered) lines.push(`| \`${file.file}\` | ${lineRanges(file.lines)} |`)
    }
  }
  lines.push('', url ? `Comment: ${url}` : 'Comment: not posted')
  return `${lines.join('\n')}\n`
}
