/** An XML element as the report parsers need it: name, attributes, child elements and text. */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** Replaces the predefined entities and numeric character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(parseInt(ref.slice(2), 16))
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10))
    return ENTITIES[ref] ?? whole
  })
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g

/**
 * A small non-validating XML parser for machine-written reports (JUnit, Cobertura): elements,
 * attributes, text, CDATA, comments, processing instructions and a DOCTYPE without an internal
 * subset. It throws on unbalanced tags, which is how a truncated report shows up.
 */
export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' }
  const stack: XmlElement[] = [root]
  let i = 0
  const top = () => stack[stack.length - 1] as XmlElement
  while (i < source.length) {
    const lt = source.indexOf('<', i)
    const textEnd = lt === -1 ? source.length : lt
    if (textEnd > i) top().text += decodeEntities(source.slice(i, textEnd))
    if (lt === -1) break
    if (source.startsWith('<!--', lt)) {
      i = endOf(source, '-->', lt)
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt)
      if (end === -1) throw new Error('unterminated CDATA section')
      top().text += source.slice(lt + 9, end)
      i = end + 3
    } else if (source.startsWith('<?', lt)) {
      i = endOf(source, '?>', lt)
    } else if (source.startsWith('<!', lt)) {
      i = endOf(source, '>', lt)
    } else if (source.startsWith('</', lt)) {
      const end = endOf(source, '>', lt)
      const name = source.slice(lt + 2, end - 1).trim()
      const open = stack.pop()
      if (!open || open === root || open.name !== name) throw new Error(`unexpected closing tag </${name}>`)
      i = end
    } else {
      const end = tagEnd(source, lt)
      const body = source.slice(lt + 1, end - 1)
      const selfClosing = body.endsWith('/')
      const inner = selfClosing ? body.slice(0, -1) : body
      const name = /^[^\s/>]+/.exec(inner)?.[0]
      if (!name) throw new Error(`malformed tag at offset ${lt}`)
      const attrs: Record<string, string> = {}
      for (const match of inner.slice(name.length).matchAll(ATTRIBUTE)) {
        attrs[match[1] as string] = decodeEntities(match[2] ?? match[3] ?? '')
      }
      const element: XmlElement = { name, attrs, children: [], text: '' }
      top().children.push(element)
      if (!selfClosing) stack.push(element)
      i = end
    }
  }
  if (stack.length > 1) throw new Error(`unclosed element <${top().name}>`)
  const document = root.children[0]
  if (!document) throw new Error('no root element')
  return document
}

function endOf(source: string, terminator: string, from: number): number {
  const end = source.indexOf(terminator, from)
  if (end === -1) throw new Error(`unterminated markup at offset ${from}`)
  return end + terminator.length
}

/** The offset after the `>` closing a start tag, skipping any `>` inside quoted attribute values. */
function tagEnd(source: string, from: number): number {
  let quote = ''
  for (let i = from + 1; i < source.length; i++) {
    const char = source[i]
    if (quote) {
      if (char === quote) quote = ''
    } else if (char === '"' || char === "'") {
      quote = char
    } else if (char === '>') {
      return i + 1
    }
  }
  throw new Error(`unterminated tag at offset ${from}`)
}

/** Every descendant element (depth first) with the given name, the element itself included. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = []
  const visit = (node: XmlElement) => {
    if (node.name === name) found.push(node)
    for (const child of node.children) visit(child)
  }
  visit(element)
  return found
}
