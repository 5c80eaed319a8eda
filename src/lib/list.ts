/** Splits a list input written one item per line or comma-separated; blanks are dropped. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}

/** Splits on newlines only, for items that may themselves contain commas (headers, KEY=VALUE). */
export function parseLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
}

/** Turns streamed output chunks into whole lines for a line-based log; `flush` writes the last, unterminated one. */
export function lineWriter(write: (line: string) => void): { push(chunk: string): void; flush(): void } {
  let pending = ''
  return {
    push(chunk) {
      pending += chunk
      const lines = pending.split(/\r?\n/)
      pending = lines.pop() ?? ''
      for (const line of lines) write(line)
    },
    flush() {
      if (pending !== '') write(pending)
      pending = ''
    },
  }
}
