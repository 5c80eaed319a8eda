/**
 * The message for a failed install: pip's reason lines (`ERROR: …`, and PEP 668's
 * `error: externally-managed-environment`, which a last-lines tail loses under pip's long
 * explanation) and the output's last lines, and for PEP 668 the ways out.
 */
export function installFailureMessage(what: string, exitCode: number, output: string): string {
  const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '')
  // The reason lines and the last three, in the order pip printed them.
  const shown = lines.filter((line, i) => i >= lines.length - 3 || /^(ERROR|error)(:|\s)/.test(line.trim()))
  let message = `Dependency installation failed (${what}, exit code ${exitCode})${shown.length > 0 ? `:\n${shown.join('\n')}` : ''}`
  if (lines.some((line) => line.includes('externally-managed-environment'))) {
    message +=
      "\nThis interpreter's packages belong to the operating system (PEP 668), so pip may not change them. " +
      "Either install what the tests need with the system's package manager and set 'install: none', " +
      "or create a virtualenv (python3 -m venv .venv) and pass its interpreter as 'python', " +
      "or set PIP_BREAK_SYSTEM_PACKAGES=1 in the step's env to let pip install into the system Python anyway."
  }
  return message
}
