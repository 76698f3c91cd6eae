// SSO-6: the SCIM filter tokenizer (RFC 7644 §3.4.2.2). Pure: text in, tokens out, or invalidFilter.
import { invalidFilter } from '../errors.ts';

export type Token =
  | { kind: '(' | ')' | '[' | ']'; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number };

/** The longest a filter may be; the routes bound their inputs below this too. */
export const MAX_FILTER_LENGTH = 4000;

const WORD = /[A-Za-z0-9_:$.\-]/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/;

/** Reads a JSON string literal starting at the opening quote; returns its value and the index after it. */
function readString(s: string, start: number): { value: string; end: number } {
  let i = start + 1;
  let out = '';
  while (i < s.length) {
    const c = s[i];
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const e = s[i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) { out += simple[e]; i += 2; continue; }
      if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(s.slice(i + 2, i + 6))) { out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16)); i += 6; continue; }
      throw invalidFilter(`Invalid escape in string at position ${i + 1}`);
    }
    if (c.charCodeAt(0) < 0x20) throw invalidFilter(`Control character in string at position ${i + 1}`);
    out += c;
    i++;
  }
  throw invalidFilter(`Unterminated string starting at position ${start + 1}`);
}

export function tokenize(s: string): Token[] {
  if (s.length > MAX_FILTER_LENGTH) throw invalidFilter(`Filter longer than ${MAX_FILTER_LENGTH} characters`);
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '(' || c === ')' || c === '[' || c === ']') { out.push({ kind: c, at: i }); i++; continue; }
    if (c === '"') { const r = readString(s, i); out.push({ kind: 'string', value: r.value, at: i }); i = r.end; continue; }
    const num = /[-0-9]/.test(c) ? NUMBER.exec(s.slice(i)) : null;
    if (num && !WORD.test(s[i + num[0].length] ?? ' ')) { out.push({ kind: 'number', value: Number(num[0]), at: i }); i += num[0].length; continue; }
    if (WORD.test(c)) {
      let j = i;
      while (j < s.length && WORD.test(s[j])) j++;
      out.push({ kind: 'word', text: s.slice(i, j), at: i });
      i = j;
      continue;
    }
    throw invalidFilter(`Unexpected character '${c}' at position ${i + 1}`);
  }
  return out;
}
