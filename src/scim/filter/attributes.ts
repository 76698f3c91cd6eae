// SSO-6: how a resource type's SCIM attributes resolve for filtering and sorting (RFC 7643 §2,
// RFC 7644 §3.4.2.2): names are case-insensitive, an optional schema URN must be the attribute's
// own, a multi-valued attribute is a list of values each with its sub-attributes. Pure: the SQL
// expressions are opaque here (filter-sql.ts compiles with them).
import { invalidFilter } from '../errors.ts';
import type { AttrPath } from './ast.ts';

export type AttrType = 'string' | 'boolean' | 'dateTime';

/** One single-valued attribute as SQL can see it. `E` is the expression type of the compiler. */
export interface ScalarAttr<E> {
  type: AttrType;
  /** RFC 7643 caseExact: false compares lower-cased on both sides. */
  caseExact: boolean;
  expr: E;
  /** The column already holds the lower-cased value (userName → username_norm): only the literal is lowered, so an index serves `eq`. */
  storedLower?: boolean;
  /** A faster or typed form of `eq` (an integer id), given the literal; null: nothing can match. */
  eq?: (value: string) => E | null;
}

/** A multi-valued attribute: each possible value, with its sub-attributes, and when it exists. */
export interface MultiAttr<E> { multi: true; values: { present: E; subs: Record<string, ScalarAttr<E>> }[] }

export type AttrDef<E> = { schema: string } & (ScalarAttr<E> | MultiAttr<E> | { complex: Record<string, ScalarAttr<E>> });
/** Keys in lower case: `username`, `name` (complex), `emails` (multi). */
export type AttrMap<E> = Record<string, AttrDef<E>>;

export type Resolved<E> = { kind: 'scalar'; attr: ScalarAttr<E> } | { kind: 'multi'; attr: MultiAttr<E>; sub: string };

const isMulti = <E>(d: AttrDef<E>): d is { schema: string } & MultiAttr<E> => 'multi' in d;
const isComplex = <E>(d: AttrDef<E>): d is { schema: string; complex: Record<string, ScalarAttr<E>> } => 'complex' in d;

const show = (p: AttrPath) => `${p.schema ? p.schema + ':' : ''}${p.attr}${p.sub ? '.' + p.sub : ''}`;

/** The definition behind a path, or invalidFilter naming it (unknown, wrong schema, no such sub-attribute). */
export function resolveAttr<E>(map: AttrMap<E>, path: AttrPath): Resolved<E> {
  const def = map[path.attr.toLowerCase()];
  if (!def || (path.schema && path.schema.toLowerCase() !== def.schema.toLowerCase())) throw invalidFilter(`Unsupported attribute '${show(path)}'`);
  if (isMulti(def)) {
    const sub = (path.sub ?? 'value').toLowerCase();
    if (!def.values.some((v) => v.subs[sub])) throw invalidFilter(`Unsupported attribute '${show(path)}'`);
    return { kind: 'multi', attr: def, sub };
  }
  if (isComplex(def)) {
    const a = path.sub ? def.complex[path.sub.toLowerCase()] : undefined;
    if (!a) throw invalidFilter(`Unsupported attribute '${show(path)}'`);
    return { kind: 'scalar', attr: a };
  }
  if (path.sub) throw invalidFilter(`Unsupported attribute '${show(path)}'`);
  return { kind: 'scalar', attr: def };
}

/** The sub-attribute map of one value of a multi-valued attribute, for a value filter `emails[…]`. */
export function valueMap<E>(schema: string, subs: Record<string, ScalarAttr<E>>): AttrMap<E> {
  return Object.fromEntries(Object.entries(subs).map(([k, a]) => [k, { schema, ...a }]));
}

export function multiOf<E>(map: AttrMap<E>, path: AttrPath): MultiAttr<E> & { schema: string } {
  const def = map[path.attr.toLowerCase()];
  if (!def || !isMulti(def) || (path.schema && path.schema.toLowerCase() !== def.schema.toLowerCase())) {
    throw invalidFilter(`'${show(path)}' is not a multi-valued attribute`);
  }
  return def;
}
