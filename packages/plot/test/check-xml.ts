/**
 * A minimal XML well-formedness check (enough for generated SVG): balanced tags, quoted unique
 * attributes, valid entities, one root element. Returns the problems found (empty when well-formed)
 * and the element names seen.
 */
export function checkXml(xml: string): { problems: string[]; elements: string[] } {
  const problems: string[] = [];
  const elements: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  const text = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const tokens = text.split(/(<[^>]*>)/);
  for (const token of tokens) {
    if (token === '') continue;
    if (!token.startsWith('<')) {
      if (token.includes('<') || token.includes('>'))
        problems.push(`stray angle bracket in ${JSON.stringify(token)}`);
      for (const entity of token.match(/&[^;\s]*;?/g) ?? []) {
        if (!/^&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(entity))
          problems.push(`bad entity ${entity}`);
      }
      if (stack.length === 0 && token.trim() !== '')
        problems.push(`text outside the root: ${JSON.stringify(token)}`);
      continue;
    }
    if (token.startsWith('</')) {
      const name = token.slice(2, -1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`closing </${name}> does not match <${open}>`);
      continue;
    }
    const selfClosing = token.endsWith('/>');
    const inner = token.slice(1, selfClosing ? -2 : -1);
    const nameMatch = /^([A-Za-z_][\w:.-]*)/.exec(inner);
    if (!nameMatch) {
      problems.push(`bad tag ${token}`);
      continue;
    }
    const name = nameMatch[1]!;
    const attributes = inner.slice(name.length);
    const seen = new Set<string>();
    const attributePattern = /\s+([A-Za-z_][\w:.-]*)="([^"<]*)"/y;
    let position = 0;
    while (position < attributes.trimEnd().length) {
      attributePattern.lastIndex = position;
      const match = attributePattern.exec(attributes);
      if (!match) {
        problems.push(`bad attributes in ${token.slice(0, 80)}`);
        break;
      }
      if (seen.has(match[1]!)) problems.push(`duplicate attribute ${match[1]} in <${name}>`);
      seen.add(match[1]!);
      for (const entity of match[2]!.match(/&[^;\s]*;?/g) ?? []) {
        if (!/^&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(entity))
          problems.push(`bad entity ${entity}`);
      }
      position = attributePattern.lastIndex;
    }
    if (stack.length === 0) roots += 1;
    elements.push(name);
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed elements: ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`expected one root element; found ${roots}`);
  return { problems, elements };
}
