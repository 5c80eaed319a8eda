import { tail } from '../lib/process/exec.js'
import { appsMissingMigrations, gateArgs, type Gate } from './commands.js'
import { runLogged } from './install-phase.js'
import { lastException, parseCheckIssues, type CheckIssue } from './python-errors.js'
import type { Finding } from './report.js'
import { settingsFinding, type RunContext } from './test-phase.js'

export interface GateResult {
  gate: Gate
  ok: boolean
  /** What to tell the user when it failed, with where to look when that is known. */
  finding?: Finding
  /** The system check messages it printed (also when it passed). */
  issues: CheckIssue[]
}

/** Django's check framework levels, most severe first. */
const SEVERITY: CheckIssue['level'][] = ['critical', 'error', 'warning', 'info', 'debug']

/** Sort key: for the deploy gate its security checks first; then by severity. */
function rank(gate: Gate, issue: CheckIssue): number {
  const security = gate === 'deploy' && issue.id.startsWith('security.') ? 0 : 10
  return security + SEVERITY.indexOf(issue.level)
}

/**
 * What a failed `check` names: the issues that made it fail (warnings and above: the gates run
 * with Django's default fail level, or WARNING for deploy), the security ones first for the
 * deploy gate, which exists for them.
 */
function checkFinding(gate: Gate, exitCode: number, output: string, issues: CheckIssue[]): Finding {
  const what = gate === 'deploy' ? 'check --deploy' : 'check'
  const failing = issues
    .filter((issue) => SEVERITY.indexOf(issue.level) <= (gate === 'deploy' ? 2 : 1))
    .sort((a, b) => rank(gate, a) - rank(gate, b))
  if (failing.length === 0) {
    return {
      message: `'manage.py ${what}' failed (exit code ${exitCode}): ${lastException(output) ?? tail(output, 3).replace(/\n/g, ' ')}`,
    }
  }
  const counts = SEVERITY.map((level) => {
    const n = failing.filter((i) => i.level === level).length
    return n === 0 ? '' : `${n} ${level === 'critical' ? 'critical issue' : level}${n === 1 ? '' : 's'}`
  }).filter(Boolean)
  const shown = failing.slice(0, 6).map((i) => i.id)
  const more = failing.length > shown.length ? `, and ${failing.length - shown.length} more` : ''
  return {
    message: `'manage.py ${what}' found ${counts.join(' and ')}: ${shown.join(', ')}${more} (listed in the job summary)`,
  }
}

/**
 * Runs each gate (all of them, so one run shows every problem) and says which failed and why.
 * A settings module that does not import fails every gate the same way: it is reported once and
 * the remaining gates are not run.
 */
export async function runGates(ctx: RunContext, gates: readonly Gate[]): Promise<GateResult[]> {
  const results: GateResult[] = []
  for (const gate of gates) {
    const result = await runLogged(ctx, ctx.python, gateArgs(gate), { cwd: ctx.cwd, env: ctx.env })
    const output = `${result.stdout}\n${result.stderr}`
    const issues = gate === 'migrations' ? [] : parseCheckIssues(output)
    if (result.exitCode === 0) {
      results.push({ gate, ok: true, issues })
      continue
    }
    const settings = settingsFinding(ctx, output)
    if (settings) {
      results.push({ gate, ok: false, finding: settings, issues })
      break
    }
    let finding: Finding
    if (gate === 'migrations') {
      const apps = appsMissingMigrations(result.stdout)
      finding = {
        message:
          apps.length > 0
            ? `Missing migrations for ${apps.join(', ')}: run 'python manage.py makemigrations' and commit the result`
            : `'makemigrations --check' failed (exit code ${result.exitCode}): ${lastException(output) ?? tail(output, 1)}`,
      }
    } else {
      finding = checkFinding(gate, result.exitCode, output, issues)
    }
    results.push({ gate, ok: false, finding, issues })
  }
  return results
}
