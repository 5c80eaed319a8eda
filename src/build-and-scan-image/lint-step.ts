import { OperationError } from '../lib/errors.js'
import { lintDockerfile, type Finding } from './lint.js'
import { inputName } from './options.js'
import type { BuildRun } from './run-context.js'

/**
 * The Dockerfile policy: every finding an annotation at its line, a count in the log, and the
 * build stopped before it starts when a rule is broken.
 */
export async function lintStep(run: BuildRun): Promise<void> {
  const { io } = run.ports
  const { options } = run
  const file = options.paths.dockerfileShown
  const findings = await io.group('Lint Dockerfile', async () => {
    const found = lintDockerfile(run.dockerfileText, {
      buildArgs: options.buildArgs,
      target: options.target,
      secretsInput: inputName(options, 'secrets'),
    })
    for (const finding of found) {
      io[finding.level](finding.message, {
        file,
        startLine: finding.line,
        title: `Dockerfile policy: ${finding.rule}`,
      })
    }
    const count = (level: string) => found.filter((f) => f.level === level).length
    io.info(
      `${file}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('notice')} notice(s)`,
    )
    return found
  })
  run.facts.lint = { file, findings }
  const errors = findings.filter((f) => f.level === 'error')
  if (errors.length > 0) {
    const first = errors[0] as Finding
    throw new OperationError(
      `${file} breaks ${errors.length} policy rule(s), first at line ${first.line}: ${first.message}`,
    )
  }
}
