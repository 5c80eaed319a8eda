import { ConfigurationError, quote } from '../errors.js'

/**
 * Splits a command line into words the way a POSIX shell would tokenise it, without any of the
 * shell's expansions: single quotes keep everything literally, double quotes keep spaces and honour
 * `\"`, `\\`, `\$` and `` \` ``, a backslash outside quotes escapes the next character. `$(...)`, `;`,
 * `|`, `*` are plain characters: the words become an argument array (a container's command, a
 * test runner's arguments) and nothing runs them through a shell.
 */
export function splitCommandLine(text: string, source: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quoteChar: "'" | '"' | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i)
    if (quoteChar === "'") {
      if (c === "'") quoteChar = undefined
      else word += c
      continue
    }
    if (quoteChar === '"') {
      if (c === '"') quoteChar = undefined
      else if (c === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text.charAt(i + 1))) {
        i += 1
        if (text.charAt(i) !== '\n') word += text.charAt(i)
      } else word += c
      continue
    }
    if (c === "'" || c === '"') {
      quoteChar = c
      inWord = true
    } else if (c === '\\') {
      i += 1
      if (i >= text.length)
        throw new ConfigurationError(`${source} ends with a lone backslash (got ${quote(text)})`)
      if (text.charAt(i) !== '\n') {
        word += text.charAt(i)
        inWord = true
      }
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quoteChar !== undefined) {
    throw new ConfigurationError(`${source} has an unclosed ${quoteChar} quote (got ${quote(text)})`)
  }
  if (inWord) words.push(word)
  return words
}
