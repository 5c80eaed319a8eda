import {
  assignments,
  parseDockerfile,
  stageChain,
  substitute,
  targetStage,
  type Dockerfile,
} from './dockerfile.js'

export type FindingLevel = 'error' | 'warning' | 'notice'

export interface Finding {
  rule: string
  level: FindingLevel
  line: number
  message: string
}

const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|(^|_)(API|ACCESS|PRIVATE)?_?KEYS?($|_)/i
const ROOT_USER = /^(root|0)(:.*)?$/

/**
 * Our policy for a production image, no external linter needed: the image must not run as
 * root, should say how to check its health, must build on a pinned base, and must not bake
 * secrets into its layers or metadata. Multi-stage aware: only what the final image inherits
 * counts for USER and HEALTHCHECK, every stage's base is checked for pinning.
 */
export function lintDockerfile(
  text: string,
  {
    buildArgs = {},
    target,
    secretsInput = 'secrets',
  }: { buildArgs?: Record<string, string>; target?: string; secretsInput?: string } = {},
): Finding[] {
  const dockerfile = parseDockerfile(text, buildArgs)
  const findings: Finding[] = []
  if (dockerfile.stages.length === 0) {
    return [{ rule: 'no-from', level: 'error', line: 1, message: 'The Dockerfile has no FROM instruction' }]
  }
  findings.push(...baseImageFindings(dockerfile))
  findings.push(...finalStageFindings(dockerfile, target))
  findings.push(...instructionFindings(dockerfile))
  findings.push(...buildArgFindings(dockerfile, buildArgs, secretsInput))
  return findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule))
}

function baseImageFindings(dockerfile: Dockerfile): Finding[] {
  const findings: Finding[] = []
  for (const stage of dockerfile.stages) {
    if (stage.parent !== undefined) continue
    const line = stage.line
    if (stage.base === undefined) {
      findings.push({
        rule: 'pinned-base',
        level: 'warning',
        line,
        message: `Base image '${stage.baseAsWritten}' uses a build argument with no default; its pinning cannot be checked`,
      })
      continue
    }
    const base = stage.base
    if (base.toLowerCase() === 'scratch') continue
    const shown = base === stage.baseAsWritten ? `'${base}'` : `'${base}' (from '${stage.baseAsWritten}')`
    const [name, digest] = base.split('@')
    const lastPart = (name ?? '').split('/').pop() ?? ''
    const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined
    if (digest !== undefined) continue
    if (tag === undefined) {
      findings.push({
        rule: 'pinned-base',
        level: 'error',
        line,
        message: `Base image ${shown} has no tag, so it means 'latest' and changes under you; pin a version tag (and ideally a digest)`,
      })
    } else if (tag === 'latest') {
      findings.push({
        rule: 'pinned-base',
        level: 'error',
        line,
        message: `Base image ${shown} uses the 'latest' tag, which changes under you; pin a version tag (and ideally a digest)`,
      })
    } else {
      findings.push({
        rule: 'base-digest',
        level: 'notice',
        line,
        message: `Base image ${shown} is pinned by tag only; add @sha256:… for a reproducible build`,
      })
    }
  }
  return findings
}

function finalStageFindings(dockerfile: Dockerfile, target: string | undefined): Finding[] {
  const final = targetStage(dockerfile, target)
  if (final === undefined) {
    return [
      { rule: 'target', level: 'error', line: 1, message: `The Dockerfile has no stage named '${target}'` },
    ]
  }
  const findings: Finding[] = []
  const chain = stageChain(dockerfile, final)
  // The nearest USER / HEALTHCHECK wins: the final stage's own, else the stage it builds on.
  const inherited = (keyword: string) => {
    for (const stage of chain) {
      const found = stage.instructions.filter((i) => i.keyword === keyword).pop()
      if (found) return found
    }
    return undefined
  }
  const user = inherited('USER')
  const stageName = final.name ? `'${final.name}'` : `${final.index + 1}`
  if (user === undefined) {
    findings.push({
      rule: 'non-root-user',
      level: 'error',
      line: final.line,
      message: `The final stage (${stageName}) never sets USER, so the container runs as root; add a non-root USER`,
    })
  } else {
    const name = (substitute(user.args, {}) ?? user.args).trim()
    if (ROOT_USER.test(name)) {
      findings.push({
        rule: 'non-root-user',
        level: 'error',
        line: user.line,
        message: `The final image runs as '${name}'; switch to a non-root USER`,
      })
    }
  }
  const health = inherited('HEALTHCHECK')
  if (health === undefined || /^NONE\b/i.test(health.args)) {
    findings.push({
      rule: 'healthcheck',
      level: 'warning',
      line: health?.line ?? final.line,
      message: `The final stage (${stageName}) has no HEALTHCHECK, so the engine cannot tell a hung app from a healthy one`,
    })
  }
  return findings
}

/** A secret passed with --build-arg is recorded in the image history of every RUN that sees it. */
function buildArgFindings(
  dockerfile: Dockerfile,
  buildArgs: Record<string, string>,
  secretsInput: string,
): Finding[] {
  const findings: Finding[] = []
  for (const [name, value] of Object.entries(buildArgs)) {
    if (!SECRET_NAME.test(name) || value.trim() === '') continue
    const declared = dockerfile.instructions.find(
      (i) => i.keyword === 'ARG' && assignments('ARG', i.args).some((a) => a.name === name),
    )
    findings.push({
      rule: 'secret-build-arg',
      level: 'warning',
      line: declared?.line ?? 1,
      message: `Build argument ${name} looks like a secret: build args are kept in the image history; pass it in '${secretsInput}' (${name}=…) and read it with RUN --mount=type=secret,id=${name} instead`,
    })
  }
  return findings
}

function instructionFindings(dockerfile: Dockerfile): Finding[] {
  const findings: Finding[] = []
  for (const instruction of dockerfile.instructions) {
    const { keyword, args, line } = instruction
    if (keyword === 'ADD') {
      const sources = args.split(/\s+/).filter((word) => !word.startsWith('--'))
      const url = sources.slice(0, -1).find((word) => /^(https?|git):\/\/|^git@/i.test(word))
      if (url !== undefined) {
        findings.push({
          rule: 'add-url',
          level: 'warning',
          line,
          message: `ADD of a URL (${url}) downloads unverified content at build time; use RUN with a checksum check, or COPY`,
        })
      }
    }
    if (keyword === 'ENV' || keyword === 'ARG') {
      for (const { name, value } of assignments(keyword, args)) {
        if (!SECRET_NAME.test(name) || value === undefined || value.trim() === '') continue
        if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*(:-)?\}?$/.test(value.trim())) continue
        findings.push({
          rule: 'secret-in-env',
          level: 'error',
          line,
          message: `${keyword} ${name} has a literal value: it is stored in the image for anyone who pulls it; pass secrets at run time or with a build secret mount`,
        })
      }
    }
    if (keyword === 'RUN' && /\bapt-get\b[^;&|]*\binstall\b/.test(args)) {
      const cleansLists = /rm\s+-[a-z]*r[a-z]*f?[a-z]*\s+[^;&|]*\/var\/lib\/apt\/lists/.test(args)
      const cacheMount = /--mount=[^\s]*target=\/var\/lib\/apt/.test(args)
      if (!cleansLists && !cacheMount) {
        findings.push({
          rule: 'apt-lists',
          level: 'notice',
          line,
          message:
            'apt-get install without removing /var/lib/apt/lists/* in the same RUN leaves the package lists in the layer',
        })
      }
    }
  }
  return findings
}
