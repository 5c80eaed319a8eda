import type { Instruction } from './dockerfile.js'

export interface FailedStep {
  /** The Dockerfile line of the failing instruction, when the output lets us find it. */
  line?: number
  /** The instruction as the builder printed it, e.g. `RUN python3 manage.py check`. */
  step: string
  /** The builder's own reason, e.g. `exit code: 1` or `returned a non-zero code: 2`. */
  reason: string
}

const strip = (line: string) => line.replace(/\r/g, '').trimEnd()

/**
 * Finds the step a failed build stopped at, from its output. BuildKit names it as
 * `> [stage 3/5] RUN ...:` and points at `Dockerfile:12`; the classic builder prints
 * `Step 3/12 : RUN ...` before each step and `The command '...' returned a non-zero code: N`.
 */
export function failedStep(output: string, instructions: readonly Instruction[]): FailedStep | undefined {
  const lines = output.split('\n').map(strip)
  const solveError = [...lines].reverse().find((line) => /^(ERROR|error): /.test(line))
  const buildkitStep = [...lines].reverse().find((line) => /^ > \[[^\]]+\] /.test(line))
  const pointer = [...lines]
    .reverse()
    .map((line) => /^(?:\S*\/)?[^\s/:]*Dockerfile[^\s:]*:(\d+)$/i.exec(line.trim()))
    .find((match) => match !== null)
  if (buildkitStep !== undefined || (solveError !== undefined && pointer)) {
    const step = buildkitStep?.replace(/^ > \[[^\]]+\] /, '').replace(/:$/, '') ?? ''
    const line = pointer ? Number(pointer[1]) : lineOf(step, instructions)
    const instruction = instructions.find((i) => i.line === line)
    return {
      line,
      step: step || (instruction ? `${instruction.keyword} ${instruction.args}` : ''),
      reason: (solveError ?? '').replace(/^(ERROR|error): (failed to (solve|build): )?/, '').trim(),
    }
  }
  const steps = lines.map((line) => /^Step (\d+)\/\d+ : (.*)$/.exec(line)).filter((m) => m !== null)
  const last = steps[steps.length - 1]
  if (last) {
    const index = Number(last[1]) - 1
    const reason =
      [...lines].reverse().find((line) => /returned a non-zero code|^(ERROR|error)|failed to/i.test(line)) ??
      ''
    return { line: instructions[index]?.line, step: last[2] ?? '', reason: reason.trim() }
  }
  return undefined
}

function lineOf(step: string, instructions: readonly Instruction[]): number | undefined {
  const normalized = step.replace(/\s+/g, ' ').trim()
  if (normalized === '') return undefined
  return instructions.find((i) => `${i.keyword} ${i.args}`.replace(/\s+/g, ' ').trim() === normalized)?.line
}
