// The SPEC map (issue 10, OPS-5 for newcomers): docs/spec-map.md is what scripts/spec-map.ts
// generates, and every rule that is built has a file that names it, so a newcomer finds any rule's
// code from the map. Needs ../shared/SPEC.md beside the repository (as in development and CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { buildSpecMap, generate, idsIn, MAP_FILE, openingComment, SPEC_FILE, specRules, testTitles } from '../../scripts/spec-map.ts';

/**
 * Rules with no code yet, each waiting on its open issue. A rule leaves this list in the change
 * that builds it; the test below fails both ways, so the list and the map stay true.
 */
const NOT_YET_BUILT: string[] = [
];

const haveSpec = fs.existsSync(SPEC_FILE);

test('OPS-5 (issue 10): ids are read from opening comments, test titles and ranges', () => {
  assert.deepEqual(idsIn('Unit tests of the rules (SSO-2..4), ADM-2 and ADM-12'), ['SSO-2', 'SSO-3', 'SSO-4', 'ADM-2', 'ADM-12']);
  assert.equal(openingComment('// ORG-3: policy\n// inherited\nimport x from "y"; // AUTH-1'), '// ORG-3: policy\n// inherited');
  assert.deepEqual(testTitles("test('ADM-2: it\\'s scoped', () => {});\ntest(`REQ-1 ${x}`, f)"), ["ADM-2: it\\'s scoped", 'REQ-1 ${x}']);
});

test('OPS-5 (issue 10): docs/spec-map.md is what scripts/spec-map.ts generates', { skip: !haveSpec && 'no ../shared/SPEC.md' }, () => {
  assert.equal(fs.readFileSync(MAP_FILE, 'utf8'), generate(), 'stale: run node --import tsx scripts/spec-map.ts');
});

test('OPS-5 (issue 10): every built rule has a file that names it, and every rule listed as not built has none', { skip: !haveSpec && 'no ../shared/SPEC.md' }, () => {
  const map = buildSpecMap();
  const rules = specRules(fs.readFileSync(SPEC_FILE, 'utf8')).map((r) => r.id);
  assert.ok(rules.length >= 60, `SPEC.md lists its rules (${rules.length})`);
  assert.deepEqual(NOT_YET_BUILT.filter((id) => !rules.includes(id)), [], 'the list names only SPEC rules');
  assert.deepEqual(rules.filter((id) => !NOT_YET_BUILT.includes(id) && !map.files.get(id)), [], 'built rules without a file that names them');
  assert.deepEqual(NOT_YET_BUILT.filter((id) => map.files.get(id)), [], 'rules now built: take them off NOT_YET_BUILT');
  const unknown = [...map.files.keys(), ...map.tests.keys()].filter((id) => !rules.includes(id));
  assert.deepEqual([...new Set(unknown)], [], 'ids that SPEC.md does not have');
});
