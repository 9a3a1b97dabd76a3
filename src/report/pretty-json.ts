/**
 * Re-indents a JSON text without parsing its values into JavaScript, so a
 * 64-bit id or a float prints exactly as the service sent it.
 */

/** The text indented by two spaces, or undefined when it is not a JSON object or array. */
export function prettyJson(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return undefined;
  try {
    JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  return reindent(trimmed);
}

function reindent(json: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let index = 0; index < json.length; index += 1) {
    const char = json[index] as string;
    if (inString) {
      out += char;
      if (char === '\\') out += json[++index] ?? '';
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    if (/\s/.test(char)) continue;
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      const next = json.slice(index + 1).trimStart()[0];
      // An empty object or array stays on one line.
      if (next === close) {
        out += `${char}${close}`;
        index = json.indexOf(close, index + 1);
        continue;
      }
      depth += 1;
      out += char + newline();
    } else if (char === '}' || char === ']') {
      depth -= 1;
      out += newline() + char;
    } else if (char === ',') out += `,${newline()}`;
    else if (char === ':') out += ': ';
    else out += char;
  }
  return out;
}
