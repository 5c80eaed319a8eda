/** Escapes a value for a markdown table cell. */
export function cell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value)
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}

/** A markdown table; cells are escaped. */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`
  const rule = `| ${headers.map(() => '---').join(' | ')} |`
  const body = rows.map((row) => `| ${headers.map((_, i) => cell(row[i])).join(' | ')} |`)
  return [head, rule, ...body].join('\n') + '\n'
}

export function heading(text: string, level = 3): string {
  return `${'#'.repeat(level)} ${text}\n\n`
}

/** A collapsible block, for long lists a reader may want to open. */
export function details(summaryText: string, body: string): string {
  return `<details><summary>${cell(summaryText)}</summary>\n\n${body}\n</details>\n`
}

/** Inline code in a table cell, safe for backticks in the value. */
export function code(value: string): string {
  return value.includes('`') ? `\`\` ${value} \`\`` : `\`${value}\``
}
