import { splitCommandLine } from '../../../src/ecs-blue-green-deploy/command-line.js'

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
