import type { ActionIO } from '../runner/io.js'
import type { Octokit } from './client.js'
import { describeFailure, githubFailure, type GitHubFailure } from './errors.js'

/** Where a comment goes: an issue or pull request of a repository. */
export interface CommentTarget {
  owner: string
  repo: string
  issueNumber: number
}

export type CommentOutcome =
  { posted: true; url: string; action: 'created' | 'updated' } | { posted: false; failure: GitHubFailure }

/** GitHub's limit on an issue comment's body (a 422 beyond it). */
export const MAX_COMMENT_LENGTH = 65536

/**
 * The hidden line a comment is found again by: an HTML comment, invisible in the rendered
 * pull request. `key` names the action and the workflow job; `commentKey` (the comment-key
 * input, lib/github/comment-key.ts) one comment among others of the same job, e.g. a matrix
 * leg's. Without it the marker is the one comments had before comment-key existed, so they are
 * still found. Characters that could end the HTML comment are replaced. A marker is never part
 * of another: each ends with ` -->`, which no key can hold.
 */
export function commentMarker(key: string, commentKey = ''): string {
  const named = commentKey === '' ? key : `${key} comment-key=${commentKey}`
  return `<!-- devops-actions:${named.replace(/-->|[<>\n\r]/g, '_')} -->`
}

/** The marker, then the body, cut to GitHub's limit with a line saying so. */
export function markedBody(marker: string, body: string): string {
  const full = `${marker}\n${body}`
  if (full.length <= MAX_COMMENT_LENGTH) return full
  const note = '\n\n… (cut to GitHub’s comment size limit; the job summary has everything)'
  return full.slice(0, MAX_COMMENT_LENGTH - note.length) + note
}

/**
 * Creates the comment, or updates the one carrying the marker (the same job's earlier run):
 * one comment per job however often it runs. Every page of comments is read (Link headers,
 * through Octokit's paginate), since a busy pull request has more than one page.
 */
export async function upsertComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
  body: string,
): Promise<{ url: string; action: 'created' | 'updated' }> {
  const text = markedBody(marker, body)
  const base = { owner: target.owner, repo: target.repo }
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...base,
    issue_number: target.issueNumber,
    per_page: 100,
  })
  const earlier = comments.find((c) => c.body?.includes(marker))
  if (earlier) {
    const { data } = await octokit.rest.issues.updateComment({ ...base, comment_id: earlier.id, body: text })
    return { url: data.html_url, action: 'updated' }
  }
  const { data } = await octokit.rest.issues.createComment({
    ...base,
    issue_number: target.issueNumber,
    body: text,
  })
  return { url: data.html_url, action: 'created' }
}

/** upsertComment, with a failure returned (not thrown): a comment is never worth failing a step for. */
export async function postComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
  body: string,
): Promise<CommentOutcome> {
  try {
    return { posted: true, ...(await upsertComment(octokit, target, marker, body)) }
  } catch (error) {
    return { posted: false, failure: githubFailure(error) }
  }
}

/**
 * The notice for a comment that could not be posted. A token that may not write (a fork's pull
 * request gets a read-only GITHUB_TOKEN whatever the workflow asks) is expected there: the
 * results are in the summary, and a workflow_run workflow, which runs in the base repository
 * with its permissions, can post the comment file.
 */
export function commentNotPosted(failure: GitHubFailure, commentFile?: string): string {
  const why = describeFailure(failure)
  const file = commentFile ? ` (its text is in ${commentFile}, the comment-file output)` : ''
  const hint =
    failure.kind === 'denied'
      ? "The token may not write to the pull request: a fork's pull request gets a read-only token, and a workflow needs `permissions: pull-requests: write`. The results are in the job summary; to comment on pull requests from forks, upload the comment file as an artifact and post it from a workflow_run workflow (examples/pr-comment-workflow-run.yml in devops-actions)."
      : 'The results are in the job summary.'
  return `The pull request comment could not be posted${file}: GitHub answered ${why}. ${hint}`
}

/**
 * postComment, then says how it went: the URL in the log, or the notice (a token that may not
 * write) or warning (anything else) of commentNotPosted. Returns the comment's URL when posted.
 */
export async function postCommentAndReport(
  io: Pick<ActionIO, 'info' | 'notice' | 'warning'>,
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
  body: string,
  commentFile?: string,
): Promise<string | undefined> {
  const outcome = await postComment(octokit, target, marker, body)
  if (outcome.posted) {
    io.info(`Pull request comment ${outcome.action}: ${outcome.url}`)
    return outcome.url
  }
  const message = commentNotPosted(outcome.failure, commentFile)
  if (outcome.failure.kind === 'denied') io.notice(message)
  else io.warning(message)
  return undefined
}
