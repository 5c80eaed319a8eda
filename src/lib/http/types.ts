// The shapes of one HTTP exchange, apart from the clients (client.ts, keep-alive.ts) that both use them.

export interface HttpRequest {
  url: string | URL
  method?: string
  headers?: Record<string, string>
  body?: string
  /** Aborts the request when no complete response arrived within this many milliseconds. */
  timeoutMs: number
  /** Accept any TLS certificate (self-signed staging servers). */
  insecure?: boolean
  /** Bodies past this size are cut (the rest is drained); default 1 MiB. */
  maxBodyBytes?: number
  /**
   * Reuse pooled connections between requests (a load run; keep-alive.ts's connection pool).
   * Default false: one connection per request, so a check's attempt never rides a connection
   * left half-open.
   */
  keepAlive?: boolean
  /** With keepAlive: at most this many connections to the origin (the load's concurrency). */
  maxConnections?: number
}

export interface HttpResponse {
  status: number
  /** Header names lower-cased; repeated headers joined with ', '. */
  headers: Record<string, string>
  body: string
  url: string
}
