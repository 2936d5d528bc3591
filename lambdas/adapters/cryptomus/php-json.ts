// JSON read and written again exactly as PHP's json_decode($body, true) then json_encode($data,
// JSON_UNESCAPED_UNICODE) would: Cryptomus signs its callbacks over that text, so a plain JSON.stringify (which
// reorders integer-like keys and leaves `/` alone) does not match. Kept from the body: key order and each number's
// text as sent (Cryptomus sends amounts as strings; its few numbers come from PHP and re-encode to the same text).
// Written again as PHP writes it: `/` as `\/`, U+2028 and U+2029 escaped, control characters as \b \f \n \r \t or
// \u00xx (lower-case hex), every other character raw; an empty object, or one whose keys are "0", "1", ... in
// order, becomes a list, because PHP decodes objects into arrays.

export type PhpJson =
  | { type: 'object'; entries: [string, PhpJson][] }
  | { type: 'array'; items: PhpJson[] }
  | { type: 'string'; value: string }
  | { type: 'number'; raw: string }
  | { type: 'literal'; raw: 'true' | 'false' | 'null' };

export class PhpJsonError extends Error {
  override readonly name = 'PhpJsonError';
}

export function parsePhpJson(text: string): PhpJson {
  let at = 0;
  const fail = (what: string): never => {
    throw new PhpJsonError(`${what} at offset ${at}`);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const value = (depth: number): PhpJson => {
    if (depth > 64) fail('nested too deeply');
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const entries: [string, PhpJson][] = [];
      const seen = new Set<string>();
      space();
      if (text[at] === '}') {
        at++;
        return { type: 'object', entries };
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail('expected a key');
        const key = string();
        // PHP keeps the last value at the first position; a body like that is nobody's honest callback.
        if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)}`);
        seen.add(key);
        space();
        if (text[at] !== ':') fail('expected :');
        at++;
        entries.push([key, value(depth + 1)]);
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return { type: 'object', entries };
        }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      at++;
      const items: PhpJson[] = [];
      space();
      if (text[at] === ']') {
        at++;
        return { type: 'array', items };
      }
      for (;;) {
        items.push(value(depth + 1));
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return { type: 'array', items };
        }
        fail('expected , or ]');
      }
    }
    if (c === '"') return { type: 'string', value: string() };
    for (const raw of ['true', 'false', 'null'] as const) {
      if (text.startsWith(raw, at)) {
        at += raw.length;
        return { type: 'literal', raw };
      }
    }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 64));
    if (!number) fail('unexpected character');
    at += number![0].length;
    return { type: 'number', raw: number![0] };
  };
  const string = (): string => {
    at++;
    let out = '';
    for (;;) {
      if (at >= text.length) fail('unterminated string');
      const c = text[at]!;
      const code = c.charCodeAt(0);
      if (c === '"') {
        at++;
        break;
      }
      if (code < 0x20) fail('control character in a string');
      if (c !== '\\') {
        out += c;
        at++;
        continue;
      }
      const e = text[at + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        at += 2;
        continue;
      }
      if (e !== 'u') fail('bad escape');
      const unit = (offset: number) => {
        const hex = text.slice(offset, offset + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        return Number.parseInt(hex, 16);
      };
      const first = unit(at + 2);
      at += 6;
      if (first >= 0xdc00 && first <= 0xdfff) fail('unpaired surrogate');
      if (first >= 0xd800 && first <= 0xdbff) {
        if (text[at] !== '\\' || text[at + 1] !== 'u') fail('unpaired surrogate');
        const second = unit(at + 2);
        if (second < 0xdc00 || second > 0xdfff) fail('unpaired surrogate');
        at += 6;
        out += String.fromCharCode(first, second);
      } else {
        out += String.fromCharCode(first);
      }
    }
    return out;
  };
  const result = value(0);
  space();
  if (at !== text.length) fail('text after the value');
  return result;
}

const HEX = '0123456789abcdef';

export function phpString(value: string): string {
  let out = '"';
  for (const c of value) {
    const code = c.codePointAt(0)!;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '/') out += '\\/';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20) out += `\\u00${HEX[code >> 4]}${HEX[code & 15]}`;
    else if (code === 0x2028) out += '\\u2028';
    else if (code === 0x2029) out += '\\u2029';
    else out += c;
  }
  return `${out}"`;
}

export function encodePhpJson(value: PhpJson): string {
  switch (value.type) {
    case 'string':
      return phpString(value.value);
    case 'number':
    case 'literal':
      return value.raw;
    case 'array':
      return `[${value.items.map(encodePhpJson).join(',')}]`;
    case 'object':
      if (value.entries.every(([key], i) => key === String(i))) return `[${value.entries.map(([, v]) => encodePhpJson(v)).join(',')}]`;
      return `{${value.entries.map(([key, v]) => `${phpString(key)}:${encodePhpJson(v)}`).join(',')}}`;
  }
}

/** A JSON value as plain JavaScript, for reading fields (numbers as their text). */
export function plain(value: PhpJson): unknown {
  switch (value.type) {
    case 'string':
      return value.value;
    case 'number':
      return value.raw;
    case 'literal':
      return value.raw === 'null' ? null : value.raw === 'true';
    case 'array':
      return value.items.map(plain);
    case 'object':
      return Object.fromEntries(value.entries.map(([key, v]) => [key, plain(v)]));
  }
}
