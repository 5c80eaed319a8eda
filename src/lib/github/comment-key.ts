import { ConfigurationError, quote } from '../errors.js'

// The comment-key input of the actions that comment on a pull request (setup-django-test,
// build-and-scan-image). Their comment is found again by a marker naming the workflow and the
// job (GITHUB_WORKFLOW/GITHUB_JOB), and a matrix job's legs share both: without a key every leg
// updates the same comment and the last one wins.
//
// Why the key is an input and not read from the matrix: the runner gives a node action (and a
// composite's run: steps) only the github context's allow-listed keys as GITHUB_* variables and
// the runner context as RUNNER_*; the matrix and strategy contexts are not among them
// (actions/runner src/Runner.Worker/GitHubContext.cs _contextEnvAllowlist, exposed by
// Handlers/NodeScriptActionHandler.cs and ScriptHandler.cs through IEnvironmentContextData,
// which only GitHubContext and RunnerContext implement). An action.yml may read `matrix` in an
// input's default (action_yaml.json "input-default-context"), but a default of toJSON(matrix)
// would give every existing matrix job's comment a new marker, leaving the old comment behind,
// and would make a heading of JSON: the workflow names its legs, e.g. `py${{ matrix.python-version }}`.

/** What comment-key accepts: up to 64 letters, digits, spaces and . _ - / : + = , @ ( ) #. */
export const COMMENT_KEY_PATTERN = /^[A-Za-z0-9 ._:/+=,@()#-]{1,64}$/

/**
 * The comment-key input's value (`reader.optional('comment-key')`, read in each action's own
 * source so its action.yml test sees the read), checked: '' when empty (the job's one comment,
 * as before the input). Anything else must match COMMENT_KEY_PATTERN: no `<` or `>` (the marker
 * is an HTML comment), no backtick (the heading shows the key in a code span), no line break.
 * `input` is the name the user knows the input by (reader.name).
 */
export function parseCommentKey(value: string | undefined, input: string): string {
  if (value === undefined) return ''
  if (!COMMENT_KEY_PATTERN.test(value))
    throw new ConfigurationError(
      `Input '${input}' must be up to 64 letters, digits, spaces and . _ - / : + = , @ ( ) #, naming this comment among the job's others, e.g. py3.12 (got ${quote(value)})`,
    )
  return value
}

/** The heading's note naming the comment's key, e.g. ` (`py3.12`)`; '' without a key. */
export function commentKeyNote(commentKey: string): string {
  return commentKey === '' ? '' : ` (\`${commentKey}\`)`
}
