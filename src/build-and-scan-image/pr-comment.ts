import { readFileSync } from 'node:fs'
import { ConfigurationError } from '../lib/errors.js'
import { apiUrlFrom, githubClient } from '../lib/github/client.js'
import { commentMarker, postCommentAndReport } from '../lib/github/comment.js'
import { commentKeyNote, parseCommentKey } from '../lib/github/comment-key.js'
import { gitContextFrom } from '../lib/github/context.js'
import { InputReader, type GetInput } from '../lib/runner/inputs.js'
import type { ActionIO } from '../lib/runner/io.js'
import type { BuildAndScanImageResult } from './result.js'
import { SEVERITIES, topFindings, type Vulnerability } from './trivy-report.js'

// The scan's findings as a pull request comment, the way setup-django-test comments its tests
// (lib/github/comment.ts): one comment per workflow job, found again by its hidden marker and
// updated in place; a token that may not write leaves a notice, never a failed step. A matrix
// of images shares the job: `comment-key` gives each leg its own comment (lib/github/comment-key.ts).

export interface ImageCommentOptions {
  /** Whether to comment: the event has a pull request, `comment` asks for it, a token is given. */
  post: boolean
  token?: string
  apiUrl: string
  target?: { owner: string; repo: string; issueNumber: number }
  /** Names the workflow job in the marker. */
  jobKey: string
  /** comment-key: names the comment among the job's others (a matrix leg's); '' for the job's one. */
  commentKey: string
}

const PR_EVENTS = ['pull_request', 'pull_request_target']
const TOP = 10

/**
 * `comment` (false by default: the findings also go to code scanning as SARIF; auto: on
 * pull_request and pull_request_target events; true: on any event whose payload names a pull
 * request) and `github-token`. Nothing is requested without a pull request.
 */
export function parseImageCommentOptions(
  get: GetInput,
  env: NodeJS.ProcessEnv,
  names?: Readonly<Record<string, string>>,
): ImageCommentOptions {
  const input = new InputReader(get, names)
  const comment = input.choice('comment', ['auto', 'true', 'false'] as const, 'false')
  const token = input.optional('github-token')
  const commentKey = parseCommentKey(input.optional('comment-key'), input.name('comment-key'))
  if (comment === 'true' && token === undefined)
    throw new ConfigurationError(
      `Input '${input.name('comment')}' is true, but '${input.name('github-token')}' is empty: pass a token (the default is the job's GITHUB_TOKEN)`,
    )
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const wanted = comment === 'true' || (comment === 'auto' && PR_EVENTS.includes(eventName))
  const number = wanted ? pullRequestNumber(env) : undefined
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const target = number !== undefined && owner && repo ? { owner, repo, issueNumber: number } : undefined
  return {
    post: target !== undefined && token !== undefined,
    token,
    apiUrl: apiUrlFrom(env),
    target,
    jobKey: `${env.GITHUB_WORKFLOW ?? ''}/${env.GITHUB_JOB ?? ''}`,
    commentKey,
  }
}

function pullRequestNumber(env: NodeJS.ProcessEnv): number | undefined {
  let payload: unknown
  try {
    payload = env.GITHUB_EVENT_PATH
      ? (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as unknown)
      : {}
  } catch {
    return undefined
  }
  return gitContextFrom({ eventName: 'pull_request', payload }).pullRequest
}

/** The comment's markdown: the counts by severity, the verdict and the top findings with their fixed versions. */
export function imageCommentBody(result: BuildAndScanImageResult, commentKey = ''): string {
  const scan = result.scan
  const reference = result.references[0] ?? result.image
  const title = `Image scan${commentKeyNote(commentKey)}: \`${reference}\``
  if (!scan) return `### ${title}\n\nNot scanned${result.failure ? `: ${result.failure}` : ''}.\n`
  const { counts, findings } = scan.assessment
  const verdict = scan.passed ? '✅' : '❌'
  const lines = [
    `### ${verdict} ${title}`,
    '',
    `| ${SEVERITIES.join(' | ')} |`,
    `|${SEVERITIES.map(() => '---:').join('|')}|`,
    `| ${SEVERITIES.map((s) => counts[s]).join(' | ')} |`,
    '',
    scan.threshold === 'none'
      ? 'Reported only (`severity-threshold: none`).'
      : `Threshold: ${scan.threshold} and above ${scan.passed ? 'none found' : 'found'}.`,
  ]
  if (findings.length > 0) {
    lines.push('', `**Top ${Math.min(TOP, findings.length)} of ${findings.length} findings**`, '')
    lines.push('| Severity | Vulnerability | Package | Installed | Fixed in |', '|---|---|---|---|---|')
    for (const v of topFindings(findings, TOP)) lines.push(findingRow(v))
  }
  if (result.failure) lines.push('', `**Failed:** ${result.failure}`)
  return `${lines.join('\n')}\n`
}

function findingRow(v: Vulnerability): string {
  const id = v.url ? `[${v.id}](${v.url})` : v.id
  const cell = (text: string) => text.replace(/\|/g, '\\|')
  return `| ${v.severity} | ${id} | ${cell(v.pkg)} | ${cell(v.installed)} | ${v.fixed ? cell(v.fixed) : 'no fix yet'} |`
}

/** Posts or updates the comment; returns its URL, or undefined (with a notice or warning) when it was not posted. */
export async function commentImageFindings(
  io: Pick<ActionIO, 'setSecret' | 'info' | 'debug' | 'warning' | 'notice'>,
  options: ImageCommentOptions,
  result: BuildAndScanImageResult,
  client: typeof githubClient = githubClient,
): Promise<string | undefined> {
  if (!options.post || !options.target || options.token === undefined) return undefined
  const octokit = await client(io, { token: options.token, apiUrl: options.apiUrl })
  const marker = commentMarker(`build-and-scan-image ${options.jobKey}`, options.commentKey)
  const body = imageCommentBody(result, options.commentKey)
  return postCommentAndReport(io, octokit, options.target, marker, body)
}
