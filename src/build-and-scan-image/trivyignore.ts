export interface IgnoreRules {
  /** IDs in force. */
  ids: Set<string>
  /** Entries whose `exp:` date has passed: no longer ignored, worth telling the user. */
  expired: { id: string; expires: string; line: number }[]
}

/**
 * Parses a `.trivyignore` file as Trivy does: one ID per line, `#` comments (whole-line or
 * after the ID), and an optional `exp:YYYY-MM-DD` after the ID after which the entry no longer
 * applies.
 */
export function parseTrivyIgnore(text: string, today: Date): IgnoreRules {
  const ids = new Set<string>()
  const expired: IgnoreRules['expired'] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim()
    if (line === '') return
    const [id = '', ...rest] = line.split(/\s+/)
    const exp = rest.map((word) => /^exp:(\d{4}-\d{2}-\d{2})$/.exec(word)).find((m) => m !== null)
    if (exp) {
      const expires = exp[1] ?? ''
      // As in Trivy: the entry stops applying once the expiry date (midnight UTC) has passed.
      if (Date.parse(`${expires}T00:00:00Z`) < today.getTime()) {
        expired.push({ id, expires, line: index + 1 })
        return
      }
    }
    ids.add(id)
  })
  return { ids, expired }
}
