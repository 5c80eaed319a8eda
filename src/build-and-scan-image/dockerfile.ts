/** One Dockerfile instruction, with continuation lines joined and heredoc bodies kept aside. */
export interface Instruction {
  /** Upper-case keyword: FROM, RUN, USER, ... */
  keyword: string
  /** Everything after the keyword, continuation lines joined with a space. */
  args: string
  /** 1-based line of the keyword. */
  line: number
  /** 1-based last line (continuations and heredocs included). */
  endLine: number
  /** 0-based stage index, -1 for global ARGs before the first FROM. */
  stage: number
}

export interface Stage {
  index: number
  name?: string
  /** The FROM argument as written, e.g. `python:${PY}-slim`. */
  baseAsWritten: string
  /** The base with ARGs substituted; undefined when a variable has no value. */
  base?: string
  /** The stage this one builds on, when its base names an earlier stage. */
  parent?: number
  line: number
  instructions: Instruction[]
}

export interface Dockerfile {
  instructions: Instruction[]
  stages: Stage[]
  /** ARGs declared before the first FROM, with their defaults (undefined when none). */
  globalArgs: Record<string, string | undefined>
}

const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g

/** Splits a Dockerfile into instructions, honouring the escape directive, comments and heredocs. */
export function parseInstructions(text: string): Omit<Instruction, 'stage'>[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  let escape = '\\'
  // Parser directives are only recognised at the very top, before any instruction or blank line.
  for (const line of lines) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(.+?)\s*$/.exec(line)
    if (!directive) break
    if (directive[1]?.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) {
      escape = directive[2]
    }
  }
  const result: Omit<Instruction, 'stage'>[] = []
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i] ?? ''
    const trimmed = first.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const start = i
    let text = ''
    let current = first
    for (;;) {
      const stripped = current.replace(/\s+$/, '')
      if (stripped.endsWith(escape) && i + 1 < lines.length) {
        text += `${stripped.slice(0, -1)} `
        i += 1
        // Comment lines inside a continuation are dropped, as Docker does.
        while (i < lines.length && /^\s*#/.test(lines[i] ?? '')) i += 1
        current = lines[i] ?? ''
        continue
      }
      text += stripped
      break
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(text)
    if (!match) continue
    const keyword = (match[1] ?? '').toUpperCase()
    const args = (match[2] ?? '').trim()
    // Skip heredoc bodies (RUN <<EOF ... EOF, COPY <<EOF /file ... EOF) so they are not parsed as instructions.
    for (const heredoc of args.matchAll(HEREDOC)) {
      const strip = heredoc[1] === '-'
      const terminator = heredoc[3] ?? ''
      while (i + 1 < lines.length) {
        i += 1
        const body = lines[i] ?? ''
        if ((strip ? body.replace(/^\t+/, '') : body) === terminator) break
      }
    }
    result.push({ keyword, args, line: start + 1, endLine: i + 1 })
  }
  return result
}

/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` from `values`. Returns
 * undefined when a referenced variable has no value and no default.
 */
export function substitute(text: string, values: Record<string, string | undefined>): string | undefined {
  let unresolved = false
  const result = text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      _,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      const name = braced ?? bare ?? ''
      const value = values[name]
      const set = value !== undefined && value !== ''
      if (op === '-') return set ? value : (word ?? '')
      if (op === '+') return set ? (word ?? '') : ''
      if (value === undefined) {
        unresolved = true
        return ''
      }
      return value
    },
  )
  return unresolved ? undefined : result
}

/** `NAME=value` pairs of an ARG or ENV instruction (legacy `ENV NAME value` included). */
export function assignments(keyword: string, args: string): { name: string; value: string | undefined }[] {
  const words = splitWords(args)
  if (keyword === 'ENV' && words.length > 0 && !(words[0] ?? '').includes('=')) {
    // Legacy form: ENV NAME the rest is the value
    const name = words[0] ?? ''
    return [{ name, value: args.slice(args.indexOf(name) + name.length).trim() }]
  }
  return words.map((word) => {
    const eq = word.indexOf('=')
    if (eq < 0) return { name: word, value: undefined }
    return { name: word.slice(0, eq), value: unquote(word.slice(eq + 1)) }
  })
}

/** Splits on whitespace outside quotes. */
export function splitWords(text: string): string[] {
  const words: string[] = []
  let current = ''
  let quoteChar = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? ''
    if (quoteChar) {
      if (ch === '\\' && i + 1 < text.length) {
        current += ch + (text[i + 1] ?? '')
        i += 1
        continue
      }
      if (ch === quoteChar) quoteChar = ''
      current += ch
    } else if (ch === '"' || ch === "'") {
      quoteChar = ch
      current += ch
    } else if (/\s/.test(ch)) {
      if (current) words.push(current)
      current = ''
    } else {
      current += ch
    }
  }
  if (current) words.push(current)
  return words
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
    return value.slice(1, -1)
  }
  return value
}

/**
 * Parses a Dockerfile into stages. Base images are resolved with the global ARG defaults,
 * overridden by the build args the build will pass, as the builder would.
 */
export function parseDockerfile(text: string, buildArgs: Record<string, string> = {}): Dockerfile {
  const globalArgs: Record<string, string | undefined> = {}
  const stages: Stage[] = []
  const instructions: Instruction[] = []
  for (const raw of parseInstructions(text)) {
    if (raw.keyword === 'FROM') {
      const words = splitWords(raw.args).filter((word) => !word.startsWith('--'))
      const baseAsWritten = words[0] ?? ''
      const name = words[1]?.toUpperCase() === 'AS' ? words[2]?.toLowerCase() : undefined
      // Only ARGs declared before the first FROM can be used in FROM; a build arg overrides their default.
      const values = Object.fromEntries(
        Object.entries(globalArgs).map(([arg, fallback]) => [arg, buildArgs[arg] ?? fallback]),
      )
      const base = substitute(baseAsWritten, values)
      const parentByName = stages.find(
        (stage) => stage.name !== undefined && stage.name === base?.toLowerCase(),
      )
      const parentByIndex = /^\d+$/.test(base ?? '') ? stages[Number(base)] : undefined
      const parent = (parentByName ?? parentByIndex)?.index
      stages.push({
        index: stages.length,
        name,
        baseAsWritten,
        base,
        parent,
        line: raw.line,
        instructions: [],
      })
    }
    const stage = stages.length - 1
    const instruction: Instruction = { ...raw, stage }
    instructions.push(instruction)
    if (stage >= 0) stages[stage]?.instructions.push(instruction)
    else if (raw.keyword === 'ARG') {
      for (const { name, value } of assignments('ARG', raw.args)) globalArgs[name] = value
    }
  }
  return { instructions, stages, globalArgs }
}

/** The stage the build produces: the `target` stage, else the last one. */
export function targetStage(dockerfile: Dockerfile, target?: string): Stage | undefined {
  if (target === undefined) return dockerfile.stages[dockerfile.stages.length - 1]
  return dockerfile.stages.find((stage) => stage.name === target.toLowerCase())
}

/** A stage and the stages it builds on, nearest first: what the final image inherits. */
export function stageChain(dockerfile: Dockerfile, stage: Stage): Stage[] {
  const chain: Stage[] = []
  let current: Stage | undefined = stage
  while (current !== undefined && !chain.includes(current)) {
    chain.push(current)
    current = current.parent === undefined ? undefined : dockerfile.stages[current.parent]
  }
  return chain
}
