import { splitCommandLine } from '../../../src/lib/process/shell-words.js'

describe('splitCommandLine', () => {
  test.each<[string, string[]]>([
    ['python manage.py migrate --noinput', ['python', 'manage.py', 'migrate', '--noinput']],
    ['  spaced   out\twords\n', ['spaced', 'out', 'words']],
    [`echo 'single quoted  text'`, ['echo', 'single quoted  text']],
    [`echo "double \\"quoted\\" \\$HOME"`, ['echo', 'double "quoted" $HOME']],
    [`echo 'it'"'"'s'`, ['echo', "it's"]],
    ['a\\ b c', ['a b', 'c']],
    [`empty '' ""`, ['empty', '', '']],
    ['sh -c "$(touch pwned); rm -rf ~"', ['sh', '-c', '$(touch pwned); rm -rf ~']],
    ['a;b|c *', ['a;b|c', '*']],
    [`"C:\\path" 'back\\slash'`, ['C:\\path', 'back\\slash']],
    ['--opt=value\\\nnext', ['--opt=valuenext']],
    ['', []],
  ])('%j', (text, words) => {
    expect(splitCommandLine(text, 'Input')).toEqual(words)
  })

  test.each([
    [`echo 'open`, /unclosed ' quote/],
    ['echo "open', /unclosed " quote/],
    ['trailing \\', /lone backslash/],
  ])('%j is an error', (text, message) => {
    expect(() => splitCommandLine(text, "Input 'migrate-command'")).toThrow(message)
  })
})

describe('splitCommandLine for test-args (the cases setup-django-test relies on)', () => {
  it.each([
    ['', []],
    ['  -v 2  ', ['-v', '2']],
    ['-k "slow and not db"', ['-k', 'slow and not db']],
    ["--tag='a b' --exclude-tag=c", ['--tag=a b', '--exclude-tag=c']],
    ['a\\ b "q\\"uote" \'\'', ['a b', 'q"uote', '']],
    ['$(touch pwned); rm -rf ~', ['$(touch', 'pwned);', 'rm', '-rf', '~']],
  ])('%j', (text, expected) => {
    expect(splitCommandLine(text, "Input 'test-args'")).toEqual(expected)
  })

  it('rejects an unclosed quote', () => {
    expect(() => splitCommandLine('-k "oops', "Input 'test-args'")).toThrow(
      `Input 'test-args' has an unclosed " quote`,
    )
  })
})
