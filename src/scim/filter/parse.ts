// SSO-6: the SCIM filter parser (RFC 7644 §3.4.2.2): attribute expressions (eq ne co sw ew gt ge lt
// le pr), "and" binding tighter than "or", "not (…)", grouping, value paths `emails[type eq "work"]`,
// schema-URN-qualified paths; and the PATCH path grammar (§3.5.2). Pure: text in, tree out, or an
// invalidFilter / invalidPath error naming the position.
import { invalidFilter, invalidPath, ScimError } from '../errors.ts';
import { COMPARE_OPS, type AttrPath, type CompareOp, type Filter, type Literal, type PatchPath } from './ast.ts';
import { tokenize, type Token } from './tokenize.ts';

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const SUB = /^(\$ref|[A-Za-z][A-Za-z0-9_-]*)$/;
/** Deeper nesting than this is refused, so no filter can exhaust the stack. */
const MAX_DEPTH = 50;

/** An attribute path as written: `userName`, `name.givenName`, `urn:…:User:department`. */
export function parseAttrPath(text: string): AttrPath | null {
  let schema: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const cut = text.lastIndexOf(':');
    schema = text.slice(0, cut);
    rest = text.slice(cut + 1);
    if (!/^urn:[A-Za-z0-9:._-]+$/i.test(schema)) return null;
  }
  const parts = rest.split('.');
  if (parts.length > 2 || !NAME.test(parts[0]) || (parts.length === 2 && !SUB.test(parts[1]))) return null;
  return { ...(schema ? { schema } : {}), attr: parts[0], ...(parts.length === 2 ? { sub: parts[1] } : {}) };
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[], private readonly fail: (m: string) => ScimError) {}

  peek(): Token | undefined { return this.tokens[this.i]; }
  done(): boolean { return this.i >= this.tokens.length; }
  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw this.fail('Unexpected end of filter');
    return t;
  }
  private isWord(t: Token | undefined, ...words: string[]): boolean {
    return t?.kind === 'word' && words.includes(t.text.toLowerCase());
  }
  expect(kind: Token['kind']): Token {
    const t = this.next();
    if (t.kind !== kind) throw this.fail(`Expected '${kind}' at position ${t.at + 1}`);
    return t;
  }

  filter(inValue: boolean): Filter {
    if (++this.depth > MAX_DEPTH) throw this.fail('Filter nested too deeply');
    let left = this.and(inValue);
    while (this.isWord(this.peek(), 'or')) { this.next(); left = { op: 'or', left, right: this.and(inValue) }; }
    this.depth--;
    return left;
  }
  private and(inValue: boolean): Filter {
    let left = this.unary(inValue);
    while (this.isWord(this.peek(), 'and')) { this.next(); left = { op: 'and', left, right: this.unary(inValue) }; }
    return left;
  }
  private unary(inValue: boolean): Filter {
    const t = this.peek();
    if (this.isWord(t, 'not') && this.tokens[this.i + 1]?.kind === '(') {
      this.next(); this.next();
      const f = this.filter(inValue);
      this.expect(')');
      return { op: 'not', filter: f };
    }
    if (t?.kind === '(') {
      this.next();
      const f = this.filter(inValue);
      this.expect(')');
      return f;
    }
    return this.attrExp(inValue);
  }
  path(): { path: AttrPath; at: number } {
    const t = this.next();
    const path = t.kind === 'word' ? parseAttrPath(t.text) : null;
    if (!path) throw this.fail(`Expected an attribute path at position ${t.at + 1}`);
    return { path, at: t.at };
  }
  private attrExp(inValue: boolean): Filter {
    const { path, at } = this.path();
    const t = this.peek();
    if (t?.kind === '[') {
      if (inValue) throw this.fail(`A value filter cannot hold another at position ${t.at + 1}`);
      if (path.sub) throw this.fail(`A value filter follows an attribute, not a sub-attribute, at position ${t.at + 1}`);
      this.next();
      const filter = this.filter(true);
      this.expect(']');
      return { op: 'valuePath', path, filter };
    }
    if (this.isWord(t, 'pr')) { this.next(); return { op: 'pr', path }; }
    if (t?.kind !== 'word' || !(COMPARE_OPS as readonly string[]).includes(t.text.toLowerCase())) {
      throw this.fail(`Expected an operator after the attribute at position ${at + 1}`);
    }
    this.next();
    return { op: t.text.toLowerCase() as CompareOp, path, value: this.literal() };
  }
  private literal(): Literal {
    const t = this.next();
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
    }
    throw this.fail(`Expected a value (string, number, true, false or null) at position ${t.at + 1}`);
  }
}

/** Parses a filter (the `filter` query parameter or the body of /.search). */
export function parseFilter(text: string): Filter {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw invalidFilter('Empty filter');
  const p = new Parser(tokens, invalidFilter);
  const f = p.filter(false);
  if (!p.done()) throw invalidFilter(`Unexpected '${tokenText(p.peek()!)}' at position ${p.peek()!.at + 1}`);
  return f;
}

const tokenText = (t: Token) => t.kind === 'word' ? t.text : t.kind === 'string' ? `"${t.value}"` : t.kind === 'number' ? String(t.value) : t.kind;

/** Parses a PATCH path: `title`, `name.givenName`, `urn:…:department`, `emails[type eq "work"].value`. */
export function parsePatchPath(text: string): PatchPath {
  let tokens: Token[];
  try { tokens = tokenize(text); } catch (e) { throw invalidPath((e as Error).message); }
  const p = new Parser(tokens, invalidPath);
  const { path } = p.path();
  let out: PatchPath = { path };
  if (p.peek()?.kind === '[') {
    if (path.sub) throw invalidPath('A value filter follows an attribute, not a sub-attribute');
    p.next();
    let filter: Filter;
    try { filter = p.filter(true); } catch (e) { throw invalidPath((e as Error).message); }
    p.expect(']');
    out = { path, filter };
    const t = p.peek();
    if (t) {
      if (t.kind !== 'word' || !/^\.[A-Za-z$]/.test(t.text) || !SUB.test(t.text.slice(1))) throw invalidPath(`Unexpected text after ']' at position ${t.at + 1}`);
      p.next();
      out.sub = t.text.slice(1);
    }
  }
  if (!p.done()) throw invalidPath(`Unexpected text at position ${p.peek()!.at + 1}`);
  return out;
}
