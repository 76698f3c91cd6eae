// OPS-4 (issue 10): the published OpenAPI document is generated from the routes' declarations,
// validates as OpenAPI 3.1, and lists every /api/v1 operation with a summary and its answers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
after(() => t?.close());

test('OPS-4: GET /api/v1/openapi.json validates as OpenAPI 3.1 and lists every /api/v1 operation (issue 10)', async () => {
  t = await startTestApp();
  const res = await fetch(`${t.url}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.openapi, '3.1.0');
  const result = await new Validator().validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));

  const operations = t.app.routeTable.filter((r) => r.method !== 'HEAD' && r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json');
  assert.ok(operations.length >= 30, `the route table lists the API (${operations.length})`);
  const missing: string[] = [];
  for (const r of operations) {
    const path = r.url.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}');
    const op = doc.paths[path]?.[r.method.toLowerCase()];
    if (!op) { missing.push(`${r.method} ${r.url}: not listed`); continue; }
    if (!op.summary) missing.push(`${r.method} ${r.url}: no summary`);
    if (!Object.keys(op.responses ?? {}).some((s) => /^2/.test(s))) missing.push(`${r.method} ${r.url}: no success answer`);
  }
  assert.deepEqual(missing, [], missing.join('\n'));
  const listed = Object.values(doc.paths as Record<string, object>).reduce((n, p) => n + Object.keys(p).length, 0);
  assert.equal(listed, operations.length, 'nothing but the API is published (no pages, no OpenID provider)');
  assert.deepEqual(doc.paths['/accounts'].get.parameters.map((p: { name: string }) => p.name), ['unit', 'q', 'nationalId', 'page', 'pageSize']);
  assert.deepEqual(doc.paths['/orgs'].get.security, [], 'the public OID look-up needs no token');
  assert.equal(doc.paths['/accounts/{id}/unlock'].post.requestBody, undefined, 'a write that reads no body asks for none');
  assert.ok(doc.paths['/accounts'].post.requestBody.required, 'a write that reads one asks for it');
});
