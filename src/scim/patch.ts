// SSO-6: SCIM PATCH (RFC 7644 §3.5.2) applied to a resource's JSON: add, remove, replace; with a
// path (attribute, sub-attribute, schema URN, value filter with or without a sub-attribute after
// it) or without one (the value's attributes). Accepts what Entra ID and Okta send: "Replace"
// capitalised, dotted or URN-qualified keys in a path-less value. Pure: the result then goes
// through the same use cases as a PUT.
import { invalidSyntax, invalidValue, noTarget, invalidPath } from './errors.ts';
import { parsePatchPath } from './filter/parse.ts';
import type { AttrPath, Filter, Literal } from './filter/ast.ts';
import type { Json } from './user-resource.ts';

export interface PatchOperation { op: string; path?: string; value?: unknown }
type Op = 'add' | 'remove' | 'replace';

const keyOf = (o: Json, name: string) => Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
const isObject = (v: unknown): v is Json => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/** A sub-attribute value filter evaluated on one value of a multi-valued attribute. */
export function matches(f: Filter, e: unknown): boolean {
  switch (f.op) {
    case 'and': return matches(f.left, e) && matches(f.right, e);
    case 'or': return matches(f.left, e) || matches(f.right, e);
    case 'not': return !matches(f.filter, e);
    case 'valuePath': throw invalidPath('A value filter cannot hold another');
    default: {
      const v = isObject(e) ? e[keyOf(e, f.path.attr) ?? ''] : undefined;
      if (f.op === 'pr') return v !== undefined && v !== null && v !== '';
      return compareValue(v, f.op, f.value);
    }
  }
}

function compareValue(v: unknown, op: string, lit: Literal): boolean {
  const norm = (x: unknown) => (typeof x === 'string' ? x.toLowerCase() : x);
  const a = norm(v);
  const b = norm(lit);
  switch (op) {
    case 'eq': return a === b || (typeof a === 'boolean' && String(a) === b);
    case 'ne': return !(a === b || (typeof a === 'boolean' && String(a) === b));
    case 'co': return typeof a === 'string' && typeof b === 'string' && a.includes(b);
    case 'sw': return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
    case 'ew': return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
    case 'gt': return a !== undefined && a !== null && b !== null && (a as never) > (b as never);
    case 'ge': return a !== undefined && a !== null && b !== null && (a as never) >= (b as never);
    case 'lt': return a !== undefined && a !== null && b !== null && (a as never) < (b as never);
    case 'le': return a !== undefined && a !== null && b !== null && (a as never) <= (b as never);
  }
  return false;
}

/** The equalities of a filter (`type eq "work"`), to create the value a replace/add names when none matches yet. */
function equalities(f: Filter): Json | null {
  if (f.op === 'eq') return { [f.path.attr]: f.value };
  if (f.op === 'and') { const l = equalities(f.left); const r = equalities(f.right); return l && r ? { ...l, ...r } : null; }
  return null;
}

function container(r: Json, path: AttrPath, core: string, create: boolean): Json | undefined {
  if (!path.schema || path.schema.toLowerCase() === core.toLowerCase()) return r;
  const k = keyOf(r, path.schema);
  if (k) return r[k] as Json;
  if (!create) return undefined;
  r[path.schema] = {};
  return r[path.schema] as Json;
}

function setAttr(h: Json, name: string, value: unknown, op: Op): void {
  const k = keyOf(h, name) ?? name;
  if (op === 'add' && Array.isArray(h[k])) {
    const add = Array.isArray(value) ? value : [value];
    h[k] = [...(h[k] as unknown[]), ...add];
  } else if (op === 'add' && isObject(h[k]) && isObject(value)) {
    h[k] = { ...(h[k] as Json), ...value };
  } else {
    h[k] = value;
  }
}

function applyPath(r: Json, op: Op, pathText: string, value: unknown, core: string): void {
  const { path, filter, sub } = parsePatchPath(pathText);
  // `urn:…:enterprise:2.0:User` as a path: the extension object itself.
  const whole = keyOf(r, `${path.schema ? path.schema + ':' : ''}${path.attr}`);
  if (path.schema && !path.sub && !filter && whole !== undefined && path.schema.toLowerCase() !== core.toLowerCase()) {
    if (op === 'remove') delete r[whole]; else setAttr(r, whole, value, op);
    return;
  }
  const h = container(r, path, core, op !== 'remove');
  if (!h) { if (op === 'remove') return; throw noTarget(`No '${pathText}'`); }
  const k = keyOf(h, path.attr) ?? path.attr;
  if (!filter) {
    if (!path.sub) {
      if (op === 'remove') {
        if (value !== undefined && Array.isArray(h[k]) && Array.isArray(value)) {
          // Remove the listed values (how some clients remove group members): by their `value`.
          const gone = new Set(value.map((v) => String(isObject(v) ? v[keyOf(v, 'value') ?? 'value'] : v)));
          h[k] = (h[k] as unknown[]).filter((e) => !gone.has(String(isObject(e) ? e[keyOf(e, 'value') ?? 'value'] : e)));
        } else delete h[k];
      } else setAttr(h, k, value, op);
      return;
    }
    const target = h[k];
    if (Array.isArray(target)) throw invalidPath(`'${pathText}' needs a value filter`);
    if (op === 'remove') { if (isObject(target)) delete target[keyOf(target, path.sub) ?? path.sub]; return; }
    h[k] = isObject(target) ? target : {};
    setAttr(h[k] as Json, path.sub, value, op);
    return;
  }
  const list = Array.isArray(h[k]) ? (h[k] as unknown[]) : [];
  const hit = list.filter((e) => matches(filter, e));
  if (op === 'remove') {
    h[k] = sub ? list.map((e) => { if (hit.includes(e) && isObject(e)) delete e[keyOf(e, sub) ?? sub]; return e; }) : list.filter((e) => !hit.includes(e));
    return;
  }
  if (hit.length === 0) {
    // Entra ID replaces `emails[type eq "work"].value` on a user without a work e-mail: add it.
    const seed = equalities(filter);
    if (!seed) throw noTarget(`No value matches '${pathText}'`);
    h[k] = [...list, sub ? { ...seed, [sub]: value } : { ...seed, ...(isObject(value) ? value : { value }) }];
    return;
  }
  for (const e of hit) {
    if (!isObject(e)) continue;
    if (sub) e[keyOf(e, sub) ?? sub] = value;
    else if (isObject(value)) Object.assign(e, value);
    else throw invalidValue(`'${pathText}' takes an object`);
  }
}

/** The resource after the operations, in order; the input is not changed. */
export function applyPatch(resource: Json, operations: PatchOperation[], core: string): Json {
  const r: Json = structuredClone(resource);
  for (const o of operations) {
    const op = String(o.op ?? '').toLowerCase();
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw invalidSyntax(`Unknown PATCH op '${o.op}'`);
    if (o.path !== undefined && o.path !== '') { applyPath(r, op, o.path, o.value, core); continue; }
    if (op === 'remove') throw noTarget('remove needs a path');
    if (!isObject(o.value)) throw invalidValue(`${op} without a path takes an object`);
    for (const [key, v] of Object.entries(o.value)) {
      // Dotted (`name.givenName`) or URN-qualified keys are paths; an extension URN key holds an object.
      if (/^urn:/i.test(key) && isObject(v) && !key.toLowerCase().startsWith(core.toLowerCase() + ':')) {
        const k = keyOf(r, key) ?? key;
        r[k] = op === 'add' || op === 'replace' ? { ...(isObject(r[k]) ? r[k] as Json : {}), ...v } : v;
      } else if (key.includes('.') || /^urn:/i.test(key)) applyPath(r, op, key, v, core);
      else setAttr(r, key, v, op);
    }
  }
  return r;
}
