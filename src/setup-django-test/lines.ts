/** Turns streamed output chunks into whole lines for a line-based log. */
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
