import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { components } from '@octokit/openapi-types'
import {
  ApiError,
  badCredentials,
  jsonBody,
  notAccessible,
  notFound,
  page,
  secondaryRateLimit,
  send,
  serverError,
  tokenOf,
  validationFailed,
  type Answer,
} from './github-wire.js'

/**
 * A local fake of the parts of GitHub's REST API the suite calls, over real HTTP: issue
 * comments (list with Link pagination, create, update), pull requests, deployments and their
 * statuses. Paths, bodies and status codes follow github/rest-api-description as
 * @octokit/openapi-types types it (`issue-comment`, `deployment`, `deployment-status`: the
 * objects below are typed with them, so the typecheck holds the fake to GitHub's schema), and
 * test/integration/fakes-github.test.ts drives it with the real Octokit (@actions/github's
 * getOctokit with the retry and throttling plugins). Tokens have a permission per area, like a
 * GITHUB_TOKEN's `permissions:` block; a read-only one gets GitHub's 403 on a write.
 */

export type IssueComment = components['schemas']['issue-comment']
export type Deployment = components['schemas']['deployment']
export type DeploymentStatus = components['schemas']['deployment-status']
type User = components['schemas']['simple-user']

export type Access = 'read' | 'write'
export interface TokenPermissions {
  /** issues + pull-requests (comments on a pull request are issue comments). */
  pullRequests: Access
  deployments: Access
}

export interface FakeGitHubOptions {
  /** Token to permissions; default one write-all token (`fake.token`) and a read-only one (`fake.readToken`). */
  tokens?: Record<string, TokenPermissions>
  /** `/api/v3` to answer as GitHub Enterprise Server does; '' (github.com) by default. */
  prefix?: string
  /** Repositories that exist (owner/name); default octo-org/web. */
  repositories?: string[]
}

export interface PullRequest {
  number: number
  base: { ref: string; sha: string }
  head: { ref: string; sha: string }
}

export interface RecordedRequest {
  method: string
  path: string
  query: URLSearchParams
  token?: string
  body: string
}

interface Fault {
  match: RegExp
  count: number
  /** The answer, or null for none at all (the connection stays open until the fake closes). */
  answer: () => Answer | null
}

const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'] as const

const BOT: User = user('github-actions[bot]', 41898282)

function user(login: string, id: number): User {
  const api = `https://api.github.com/users/${encodeURIComponent(login)}`
  return {
    login,
    id,
    node_id: `MDM6Qm90${id}`,
    avatar_url: `https://avatars.githubusercontent.com/in/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/apps/${login.replace(/\[bot\]$/, '')}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'Bot',
    site_admin: false,
  }
}

export class FakeGitHub {
  readonly token = 'ghs_fakeWriteToken0123456789abcdef'
  readonly readToken = 'ghs_fakeReadToken0123456789abcdef0'
  readonly requests: RecordedRequest[] = []
  readonly pulls = new Map<string, PullRequest>()
  /** Comments by `owner/name#number`. */
  readonly comments = new Map<string, IssueComment[]>()
  readonly deployments: Deployment[] = []
  readonly statuses = new Map<number, DeploymentStatus[]>()
  private readonly tokens: Record<string, TokenPermissions>
  private readonly repositories: Set<string>
  private readonly prefix: string
  private readonly faults: Fault[] = []
  private server: http.Server | undefined
  private origin = ''
  private nextId = 1000

  constructor(options: FakeGitHubOptions = {}) {
    this.tokens = options.tokens ?? {
      [this.token]: { pullRequests: 'write', deployments: 'write' },
      [this.readToken]: { pullRequests: 'read', deployments: 'read' },
    }
    this.prefix = options.prefix ?? ''
    this.repositories = new Set(options.repositories ?? ['octo-org/web'])
  }

  /** The API base URL, as GITHUB_API_URL holds it. */
  get apiUrl(): string {
    return `${this.origin}${this.prefix}`
  }

  addPull(repository: string, pull: PullRequest): void {
    this.pulls.set(`${repository}#${pull.number}`, pull)
  }

  /** Puts a comment on an issue or pull request as another user (a reviewer's, another job's). */
  seedComment(repository: string, number: number, body: string, login = 'octocat'): IssueComment {
    return this.storeComment(repository, number, body, user(login, 583231))
  }

  commentsOn(repository: string, number: number): IssueComment[] {
    return this.comments.get(`${repository}#${number}`) ?? []
  }

  /** The next `count` requests whose `METHOD /path` matches get a secondary rate limit (403, Retry-After). */
  rateLimit(match: RegExp, count: number, retryAfterSeconds = 1): void {
    this.faults.push({ match, count, answer: () => secondaryRateLimit(retryAfterSeconds) })
  }

  /** The next `count` matching requests get a 502, as GitHub's front end sometimes answers. */
  failServer(match: RegExp, count: number): void {
    this.faults.push({ match, count, answer: serverError })
  }

  /** The next `count` matching requests get no answer at all: the connection is accepted and left hanging. */
  hang(match: RegExp, count: number): void {
    this.faults.push({ match, count, answer: () => null })
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (chunk: string) => (body += chunk))
      req.on('end', () => {
        const answer = this.answer(req, body)
        if (answer !== null) send(res, answer)
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  private answer(req: http.IncomingMessage, text: string): Answer | null {
    const url = new URL(req.url ?? '/', this.origin)
    const method = req.method ?? 'GET'
    const token = tokenOf(req)
    this.requests.push({ method, path: url.pathname, query: url.searchParams, token, body: text })
    const fault = this.faults.find((f) => f.count > 0 && f.match.test(`${method} ${url.pathname}`))
    if (fault) {
      fault.count -= 1
      return fault.answer()
    }
    const permissions = token !== undefined ? this.tokens[token] : undefined
    if (!permissions) return badCredentials()
    if (!url.pathname.startsWith(`${this.prefix}/`)) return notFound()
    try {
      return this.route(method, url, url.pathname.slice(this.prefix.length), permissions, text)
    } catch (error) {
      if (error instanceof ApiError) return error.answer
      throw error
    }
  }

  private route(method: string, url: URL, path: string, can: TokenPermissions, text: string): Answer {
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path)
    if (!match) return notFound()
    const repository = `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}`
    if (!this.repositories.has(repository)) return notFound()
    const rest = match[3] ?? ''
    const write = method !== 'GET'
    const need = (area: keyof TokenPermissions, docs: string) => {
      if (write && can[area] !== 'write') throw new ApiError(notAccessible(docs))
    }
    let m: RegExpExecArray | null
    if ((m = /^\/pulls\/(\d+)$/.exec(rest)) && method === 'GET') {
      const pull = this.pulls.get(`${repository}#${m[1]}`)
      return pull ? { status: 200, body: { ...pull, state: 'open' } } : notFound()
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const number = Number(m[1])
      if (!this.pulls.has(`${repository}#${number}`)) return notFound()
      if (method === 'GET') return page(this.commentsOn(repository, number), url)
      if (method !== 'POST') return notFound()
      need('pullRequests', 'https://docs.github.com/rest/issues/comments#create-an-issue-comment')
      const body = commentBody(jsonBody(text))
      return { status: 201, body: this.storeComment(repository, number, body, BOT) }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const comment = [...this.comments.entries()]
        .filter(([key]) => key.startsWith(`${repository}#`))
        .flatMap(([, list]) => list)
        .find((c) => c.id === Number(m?.[1]))
      if (!comment) return notFound()
      if (method === 'GET') return { status: 200, body: comment }
      if (method !== 'PATCH') return notFound()
      need('pullRequests', 'https://docs.github.com/rest/issues/comments#update-an-issue-comment')
      comment.body = commentBody(jsonBody(text))
      comment.updated_at = new Date().toISOString()
      return { status: 200, body: comment }
    }
    if (rest === '/deployments') {
      if (method === 'GET') return page(this.listDeployments(repository, url.searchParams), url)
      if (method !== 'POST') return notFound()
      need('deployments', 'https://docs.github.com/rest/deployments/deployments#create-a-deployment')
      return { status: 201, body: this.createDeployment(repository, jsonBody(text)) }
    }
    if ((m = /^\/deployments\/(\d+)\/statuses$/.exec(rest))) {
      const deployment = this.deployments.find(
        (d) => d.id === Number(m?.[1]) && d.repository_url.endsWith(`/repos/${repository}`),
      )
      if (!deployment) return notFound()
      if (method === 'GET') return page([...(this.statuses.get(Number(deployment.id)) ?? [])].reverse(), url)
      if (method !== 'POST') return notFound()
      need('deployments', 'https://docs.github.com/rest/deployments/statuses#create-a-deployment-status')
      return { status: 201, body: this.createStatus(deployment, jsonBody(text)) }
    }
    return notFound()
  }

  private storeComment(repository: string, number: number, body: string, author: User): IssueComment {
    const id = this.nextId++
    const at = new Date().toISOString()
    const kind = this.pulls.has(`${repository}#${number}`) ? 'pull' : 'issues'
    const comment: IssueComment = {
      id,
      node_id: `IC_fake${id}`,
      url: `${this.apiUrl}/repos/${repository}/issues/comments/${id}`,
      html_url: `https://github.com/${repository}/${kind}/${number}#issuecomment-${id}`,
      body,
      user: author,
      created_at: at,
      updated_at: at,
      issue_url: `${this.apiUrl}/repos/${repository}/issues/${number}`,
      author_association: 'NONE',
    }
    const key = `${repository}#${number}`
    this.comments.set(key, [...(this.comments.get(key) ?? []), comment])
    return comment
  }

  private listDeployments(repository: string, query: URLSearchParams): Deployment[] {
    return this.deployments
      .filter((d) => d.repository_url.endsWith(`/repos/${repository}`))
      .filter((d) => !query.get('environment') || d.environment === query.get('environment'))
      .filter((d) => !query.get('sha') || d.sha === query.get('sha'))
      .filter((d) => !query.get('ref') || d.ref === query.get('ref'))
      .reverse()
  }

  private createDeployment(repository: string, body: Record<string, unknown>): Deployment {
    const ref = body.ref
    if (typeof ref !== 'string' || ref === '')
      throw new ApiError(validationFailed([{ resource: 'Deployment', code: 'missing_field', field: 'ref' }]))
    // Only commits are known to the fake: a branch or tag name would need its refs.
    if (!/^[0-9a-f]{7,40}$/.test(ref))
      throw new ApiError({
        status: 422,
        body: {
          message: `No ref found for: ${ref}`,
          documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
          status: '422',
        },
      })
    const id = this.nextId++
    const environment = typeof body.environment === 'string' ? body.environment : 'production'
    const at = new Date().toISOString()
    const api = `${this.apiUrl}/repos/${repository}`
    const deployment: Deployment = {
      url: `${api}/deployments/${id}`,
      id,
      node_id: `DE_fake${id}`,
      sha: ref.length === 40 ? ref : ref.padEnd(40, '0'),
      ref,
      task: typeof body.task === 'string' ? body.task : 'deploy',
      payload: (body.payload as Record<string, unknown> | undefined) ?? {},
      original_environment: environment,
      environment,
      description: typeof body.description === 'string' ? body.description : null,
      creator: BOT,
      created_at: at,
      updated_at: at,
      statuses_url: `${api}/deployments/${id}/statuses`,
      repository_url: api,
      transient_environment: body.transient_environment === true,
      production_environment:
        typeof body.production_environment === 'boolean'
          ? body.production_environment
          : environment === 'production',
    }
    this.deployments.push(deployment)
    this.statuses.set(id, [])
    return deployment
  }

  private createStatus(deployment: Deployment, body: Record<string, unknown>): DeploymentStatus {
    const state = body.state
    if (typeof state !== 'string' || !(STATES as readonly string[]).includes(state))
      throw new ApiError(
        validationFailed([{ resource: 'DeploymentStatus', code: 'invalid', field: 'state' }]),
      )
    const description = typeof body.description === 'string' ? body.description : ''
    if (description.length > 140)
      throw new ApiError(
        validationFailed([
          {
            resource: 'DeploymentStatus',
            code: 'custom',
            field: 'description',
            message: 'description is too long (maximum is 140 characters)',
          },
        ]),
      )
    const status = this.appendStatus(deployment, state as DeploymentStatus['state'], {
      description,
      log_url: typeof body.log_url === 'string' ? body.log_url : '',
      environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
    })
    // auto_inactive (default true): prior non-transient, non-production deployments of the same
    // environment whose last state was success get an inactive status (GitHub's REST docs).
    if (state === 'success' && body.auto_inactive !== false) {
      for (const prior of this.deployments) {
        if (prior === deployment || prior.environment !== deployment.environment) continue
        if (prior.transient_environment || prior.production_environment) continue
        if (this.statuses.get(Number(prior.id))?.at(-1)?.state === 'success')
          this.appendStatus(prior, 'inactive', {})
      }
    }
    return status
  }

  private appendStatus(
    deployment: Deployment,
    state: DeploymentStatus['state'],
    fields: { description?: string; log_url?: string; environment_url?: string },
  ): DeploymentStatus {
    const id = this.nextId++
    const at = new Date().toISOString()
    const status: DeploymentStatus = {
      url: `${deployment.url}/statuses/${id}`,
      id,
      node_id: `DES_fake${id}`,
      state,
      creator: BOT,
      description: fields.description ?? '',
      environment: deployment.environment,
      target_url: fields.log_url ?? '',
      log_url: fields.log_url ?? '',
      environment_url: fields.environment_url ?? '',
      created_at: at,
      updated_at: at,
      deployment_url: deployment.url,
      repository_url: deployment.repository_url,
    }
    this.statuses.get(Number(deployment.id))?.push(status)
    return status
  }
}

/** GitHub's limit on a comment's body (issue comments: 65536 characters). */
export const MAX_COMMENT_BODY = 65536

function commentBody(body: Record<string, unknown>): string {
  const text = body.body
  if (typeof text !== 'string' || text === '')
    throw new ApiError(validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]))
  if (text.length > MAX_COMMENT_BODY)
    throw new ApiError(
      validationFailed([
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ]),
    )
  return text
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return new FakeGitHub(options).start()
}
