// SSO-6: `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes of a
// resource an answer carries. `id` and `schemas` always; the rest by the lists. Pure.
import { parseAttrPath } from './filter/parse.ts';
import type { AttrPath } from './filter/ast.ts';
import { invalidValue } from './errors.ts';
import type { Json } from './user-resource.ts';

const ALWAYS = new Set(['id', 'schemas']);

export function parseAttrList(text: string | undefined): AttrPath[] {
  if (!text?.trim()) return [];
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const p = parseAttrPath(s);
    if (!p) throw invalidValue(`Not an attribute path: '${s}'`);
    return p;
  });
}

const keyOf = (o: Json, name: string) => Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());

/** The object a path's attribute lives in: the resource, or its extension object (by schema URN). */
function holder(r: Json, p: AttrPath, core: string): Json | undefined {
  if (!p.schema || p.schema.toLowerCase() === core.toLowerCase()) {
    // `urn:…:enterprise:2.0:User` alone names the whole extension object.
    return r;
  }
  const k = keyOf(r, p.schema);
  return k ? (r[k] as Json) : undefined;
}

function pick(value: unknown, sub: string): unknown {
  if (Array.isArray(value)) return value.map((e) => pick(e, sub)).filter((e) => e !== undefined && Object.keys(e as Json).length);
  if (value && typeof value === 'object') { const k = keyOf(value as Json, sub); return k ? { [k]: (value as Json)[k] } : undefined; }
  return undefined;
}

export function project(r: Json, attributes: AttrPath[], excluded: AttrPath[], core: string): Json {
  if (attributes.length) {
    const out: Json = Object.fromEntries(Object.entries(r).filter(([k]) => ALWAYS.has(k)));
    for (const p of attributes) {
      const extKey = keyOf(r, `${p.schema ?? ''}:${p.attr}`);
      if (extKey && !p.sub) { out[extKey] = r[extKey]; continue; } // the whole extension named as one attribute
      const h = holder(r, p, core);
      const k = h && keyOf(h, p.attr);
      if (!h || !k) continue;
      const value = p.sub ? pick(h[k], p.sub) : h[k];
      if (value === undefined) continue;
      const target = h === r ? out : ((out[keyOf(r, p.schema!)!] ??= {}) as Json);
      target[k] = p.sub && target[k] && typeof target[k] === 'object' && !Array.isArray(value) ? { ...(target[k] as Json), ...(value as Json) } : value;
    }
    return out;
  }
  if (!excluded.length) return r;
  const out: Json = structuredClone(r);
  for (const p of excluded) {
    if (!p.schema && ALWAYS.has(p.attr)) continue;
    const h = holder(out, p, core);
    const k = h && keyOf(h, p.attr);
    if (!h || !k) continue;
    if (!p.sub) { delete h[k]; continue; }
    const v = h[k];
    for (const e of Array.isArray(v) ? v : [v]) if (e && typeof e === 'object') { const sk = keyOf(e as Json, p.sub); if (sk) delete (e as Json)[sk]; }
  }
  return out;
}
