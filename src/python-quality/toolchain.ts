import { errorMessage, OperationError } from '../lib/errors.js'
import { tail } from '../lib/process/exec.js'
import type { PythonQualityPorts } from './deps.js'
import type { Tool } from './finding.js'
import type { PythonQualityOptions, SelectedTool } from './options.js'
import { TOOL_SPECS } from './tools.js'

/** Prints the modules of argv that the interpreter cannot import, one a line (without importing any). */
const FIND_MISSING =
  'import importlib.util, sys\nfor m in sys.argv[1:]:\n    if importlib.util.find_spec(m) is None: print(m)'

/** The tools the interpreter cannot import: one process for all, rather than one `--version` each. */
async function missingTools(
  ports: Pick<PythonQualityPorts, 'exec'>,
  options: PythonQualityOptions,
  tools: readonly SelectedTool[],
): Promise<Tool[]> {
  if (tools.length === 0) return []
  const modules = tools.map(({ tool }) => TOOL_SPECS[tool].module)
  const cannot = (why: string) =>
    new OperationError(
      `Input '${options.inputNames.python}' is ${options.python}, which cannot be run: ${why}`,
    )
  let result
  try {
    result = await ports.exec(options.python, ['-c', FIND_MISSING, ...modules], {
      cwd: options.workingDirectory,
    })
  } catch (error) {
    throw cannot(errorMessage(error))
  }
  if (result.exitCode !== 0)
    throw cannot(`exit code ${result.exitCode}: ${tail(result.stderr || result.stdout, 2)}`)
  const missing = new Set(result.stdout.split(/\r?\n/).map((line) => line.trim()))
  return tools.map(({ tool }) => tool).filter((tool) => missing.has(TOOL_SPECS[tool].module))
}

function notInstalled(
  options: PythonQualityOptions,
  tools: readonly SelectedTool[],
  missing: readonly Tool[],
): string {
  const why = missing.map((tool) => {
    const config = tools.find((t) => t.tool === tool)?.config
    return config ? `${tool} (configured in ${config})` : tool
  })
  const pip = missing.map((tool) => TOOL_SPECS[tool].pipPackage).join(' ')
  const debian = missing.map((tool) => TOOL_SPECS[tool].debianPackage).join(' ')
  return (
    `Not installed for ${options.python}: ${why.join(', ')}. Install ${missing.length === 1 ? 'it' : 'them'} ` +
    `(${options.python} -m pip install ${pip}, or on Debian/Ubuntu apt-get install ${debian}), ` +
    `or set '${options.inputNames.install}: true' to pip-install the missing tools`
  )
}

/**
 * Makes sure every tool to run can be imported by the interpreter: the missing ones are
 * pip-installed when `install` is true, else the step fails naming them and how to install them.
 */
export async function ensureTools(ports: PythonQualityPorts, options: PythonQualityOptions): Promise<void> {
  const { io, exec } = ports
  const missing = await missingTools(ports, options, options.tools)
  if (missing.length === 0) return
  if (!options.install) throw new OperationError(notInstalled(options, options.tools, missing))
  const packages = missing.map((tool) => TOOL_SPECS[tool].pipPackage)
  await io.group(`Install ${packages.join(', ')}`, async () => {
    const result = await exec(options.python, ['-m', 'pip', 'install', ...packages], {
      cwd: options.workingDirectory,
      onStdout: (chunk) => io.info(chunk.trimEnd()),
    })
    if (result.exitCode !== 0) {
      throw new OperationError(
        `${options.python} -m pip install ${packages.join(' ')} failed (exit code ${result.exitCode}): ${tail(result.stderr || result.stdout, 3)}`,
      )
    }
  })
  const still = await missingTools(ports, options, options.tools)
  if (still.length > 0)
    throw new OperationError(
      `Installed, but still not importable: ${notInstalled(options, options.tools, still)}`,
    )
}
