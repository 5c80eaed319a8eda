import { lineWriter } from '../../../src/lib/list.js'

describe('lineWriter', () => {
  it('turns chunks into whole lines', () => {
    const lines: string[] = []
    const writer = lineWriter((line) => lines.push(line))
    writer.push('Creating test data')
    writer.push('base...\r\n..')
    writer.push('...\nOK')
    writer.flush()
    expect(lines).toEqual(['Creating test database...', '.....', 'OK'])
  })

  it('keeps blank lines and writes nothing more on a second flush', () => {
    const lines: string[] = []
    const writer = lineWriter((line) => lines.push(line))
    writer.push('a\n\nb\n')
    writer.flush()
    writer.flush()
    expect(lines).toEqual(['a', '', 'b'])
  })
})
