// `npm run demo`: the suite's main job (examples/django-ecs.yml) end to end on this machine, with
// the committed bundles run exactly as the runner runs them. See scripts/demo/pipeline.ts.
import type { ActionRun } from '../../test/helpers/run-action.js'
import { runPipeline, type PhaseResult } from './pipeline.js'
import { INSTALL_HINT, preflight } from './preflight.js'

const PHASES = [
  'setup-django-test',
  'build-and-scan-image',
  'push-to-ecr',
  'ecs-blue-green-deploy',
  'smoke-test',
]

/** The step's log as the Actions UI shows it: groups as headings, masks and state commands hidden. */
function visibleLog(run: ActionRun): string {
  return run.stdout
    .split('\n')
    .filter((line) => !/^::(add-mask|save-state|endgroup)::/.test(line))
    .map((line) =>
      line
        .replace(/^::group::/, '▶ ')
        .replace(/^::(error|warning|notice)[^:]*::/, (_, level: string) => `${level.toUpperCase()}: `),
    )
    .join('\n')
    .trimEnd()
}

function report({ phase, run, note }: PhaseResult): void {
  if (run === undefined) return
  const verdict = run.exitCode === 0 ? 'passed' : 'FAILED'
  console.log(
    `\n════ ${PHASES.indexOf(phase) + 1}/${PHASES.length} ${phase}: ${verdict} in ${(run.durationMs / 1000).toFixed(1)} s${note ? ` (${note})` : ''}`,
  )
  console.log(visibleLog(run))
  if (run.exitCode !== 0 && run.stderr.trim() !== '') console.log(`stderr:\n${run.stderr.trimEnd()}`)
  const outputs = Object.entries(run.outputs).filter(([, value]) => value.length < 200)
  if (outputs.length > 0)
    console.log(
      `Outputs: ${outputs.map(([k, v]) => `${k}=${v.includes('\n') ? JSON.stringify(v) : v}`).join('  ')}`,
    )
}

export async function main(): Promise<number> {
  const checked = await preflight()
  if (checked.missing.length > 0) {
    console.error(
      `The demo needs a few things this machine does not have yet:\n${checked.missing.map((m) => `  - ${m}`).join('\n')}\n${INSTALL_HINT}`,
    )
    return 1
  }
  console.log(`Running the Django → ECS pipeline locally: ${PHASES.join(' → ')}`)
  const started = Date.now()
  const results = await runPipeline({
    trivy: checked.trivy,
    onPhase: report,
    log: (line) => console.log(line),
  })
  const failed = results.find((r) => r.run?.exitCode !== 0)
  console.log(`\n════ Summary (${((Date.now() - started) / 1000).toFixed(0)} s)`)
  for (const name of PHASES) {
    const result = results.find((r) => r.phase === name)
    const state = result?.run === undefined ? 'not run' : result.run.exitCode === 0 ? 'passed' : 'FAILED'
    console.log(`  ${name.padEnd(24)} ${state}${result?.note ? ` (${result.note})` : ''}`)
  }
  if (failed !== undefined) {
    console.log(
      `\nThe pipeline stopped at ${failed.phase}: ${failed.run?.errors.join('; ') || `exit ${failed.run?.exitCode}`}`,
    )
    return 1
  }
  console.log('\nAll phases passed.')
  return 0
}
