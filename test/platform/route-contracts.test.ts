// OPS-4 OPS-5 (issue 10): every route the app registers, pages and JSON API alike, declares its
// contract: params, querystring or body, and responses, with every input string, number and list
// bounded. A route added without one fails here, named.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { contractProblems, type TSchema } from '../../src/platform/http/contract.ts';

let t: TestApp;
after(() => t?.close());

/** Parts of an input schema that admit unbounded input: strings without maxLength, numbers without bounds, lists without maxItems. */
function unbounded(schema: TSchema | undefined, path: string, out: string[]): string[] {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Record<string, unknown>;
  if (Object.keys(s).every((k) => k === 'description')) return out; // NoBody: nothing is read
  const types = [s.type].flat();
  if (types.includes('string') && s.maxLength === undefined && s.enum === undefined && s.const === undefined && s.format !== 'date-time') out.push(`${path}: string without maxLength`);
  if ((types.includes('integer') || types.includes('number')) && (s.minimum === undefined || s.maximum === undefined) && s.enum === undefined) out.push(`${path}: number without minimum and maximum`);
  if (types.includes('array') && s.maxItems === undefined) out.push(`${path}: list without maxItems`);
  if (types.includes('object') && s.additionalProperties !== false && s.patternProperties === undefined) out.push(`${path}: object not closed (additionalProperties: false)`);
  for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, TSchema>)) unbounded(v, `${path}.${k}`, out);
  if (s.items) unbounded(s.items as TSchema, `${path}[]`, out);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const [i, v] of ((s[key] ?? []) as TSchema[]).entries()) unbounded(v, `${path}<${key}${i}>`, out);
  return out;
}

test('OPS-4 OPS-5: every registered route declares its input and its responses (issue 10)', async () => {
  t = await startTestApp();
  const routes = t.app.routeTable.filter((r) => r.method !== 'HEAD');
  assert.ok(routes.length >= 130, `the route table lists the app's routes (${routes.length})`);
  const problems = routes.flatMap((r) => contractProblems(r.method, r.url, r.schema).map((p) => `${r.method} ${r.url}: ${p}`));
  assert.deepEqual(problems, [], `routes without a complete contract:\n${problems.join('\n')}`);
});

test('OPS-4: every declared input is bounded: strings by length, numbers by range, lists by size, objects closed (issue 10)', async () => {
  t ??= await startTestApp();
  const problems = t.app.routeTable.filter((r) => r.method !== 'HEAD').flatMap((r) => {
    const s = r.schema ?? {};
    return [...unbounded(s.params, 'params', []), ...unbounded(s.querystring, 'querystring', []), ...unbounded(s.body, 'body', [])]
      .map((p) => `${r.method} ${r.url} ${p}`);
  });
  assert.deepEqual(problems, [], `unbounded inputs:\n${problems.join('\n')}`);
});
