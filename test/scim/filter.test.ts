// SSO-6: the SCIM filter grammar (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2) as pure functions: a
// table of filters and the trees they parse to, and a table of invalid ones answered invalidFilter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter, parsePatchPath } from '../../src/scim/filter/parse.ts';
import { ScimError } from '../../src/scim/errors.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const p = (attr: string, sub?: string, schema?: string) => ({ ...(schema ? { schema } : {}), attr, ...(sub ? { sub } : {}) });

const VALID: [string, unknown][] = [
  ['userName eq "bjensen"', { op: 'eq', path: p('userName'), value: 'bjensen' }],
  ['userName Eq "bjensen"', { op: 'eq', path: p('userName'), value: 'bjensen' }],
  ['name.familyName co "O\'Malley"', { op: 'co', path: p('name', 'familyName'), value: "O'Malley" }],
  ['userName sw "J"', { op: 'sw', path: p('userName'), value: 'J' }],
  ['title ew "er"', { op: 'ew', path: p('title'), value: 'er' }],
  ['title pr', { op: 'pr', path: p('title') }],
  ['title ne "x"', { op: 'ne', path: p('title'), value: 'x' }],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', { op: 'gt', path: p('meta', 'lastModified'), value: '2011-05-13T04:42:34Z' }],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', { op: 'ge', path: p('meta', 'lastModified'), value: '2011-05-13T04:42:34Z' }],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', { op: 'lt', path: p('meta', 'lastModified'), value: '2011-05-13T04:42:34Z' }],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', { op: 'le', path: p('meta', 'lastModified'), value: '2011-05-13T04:42:34Z' }],
  ['active eq true', { op: 'eq', path: p('active'), value: true }],
  ['active eq False', { op: 'eq', path: p('active'), value: false }],
  ['title eq null', { op: 'eq', path: p('title'), value: null }],
  ['x eq 42', { op: 'eq', path: p('x'), value: 42 }],
  ['x eq -1.5e2', { op: 'eq', path: p('x'), value: -150 }],
  ['userName eq "a\\"b\\\\c\\u4e2d"', { op: 'eq', path: p('userName'), value: 'a"b\\c中' }],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', { op: 'eq', path: p('userName', undefined, 'urn:ietf:params:scim:schemas:core:2.0:User'), value: 'x' }],
  [`${ENT}:department eq "IT"`, { op: 'eq', path: p('department', undefined, ENT), value: 'IT' }],
  ['a eq "1" or b eq "2" and c eq "3"', { op: 'or', left: { op: 'eq', path: p('a'), value: '1' }, right: { op: 'and', left: { op: 'eq', path: p('b'), value: '2' }, right: { op: 'eq', path: p('c'), value: '3' } } }],
  ['(a eq "1" or b eq "2") and c eq "3"', { op: 'and', left: { op: 'or', left: { op: 'eq', path: p('a'), value: '1' }, right: { op: 'eq', path: p('b'), value: '2' } }, right: { op: 'eq', path: p('c'), value: '3' } }],
  ['not (a pr) and b pr', { op: 'and', left: { op: 'not', filter: { op: 'pr', path: p('a') } }, right: { op: 'pr', path: p('b') } }],
  ['a pr AND NOT(b pr)', { op: 'and', left: { op: 'pr', path: p('a') }, right: { op: 'not', filter: { op: 'pr', path: p('b') } } }],
  ['emails[type eq "work" and value co "@example.com"]', { op: 'valuePath', path: p('emails'), filter: { op: 'and', left: { op: 'eq', path: p('type'), value: 'work' }, right: { op: 'co', path: p('value'), value: '@example.com' } } }],
  ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', { op: 'and', left: { op: 'eq', path: p('userType'), value: 'Employee' }, right: { op: 'or', left: { op: 'co', path: p('emails'), value: 'example.com' }, right: { op: 'co', path: p('emails', 'value'), value: 'example.org' } } }],
  ['a eq "x" or b eq "y" or c eq "z"', { op: 'or', left: { op: 'or', left: { op: 'eq', path: p('a'), value: 'x' }, right: { op: 'eq', path: p('b'), value: 'y' } }, right: { op: 'eq', path: p('c'), value: 'z' } }],
  ['members.$ref pr', { op: 'pr', path: p('members', '$ref') }],
];

const INVALID = [
  '', '   ', 'userName', 'userName eq', 'userName xx "a"', 'userName eq "unterminated', 'userName eq bare', '(userName eq "a"',
  'userName eq "a")', 'userName eq "a" and', 'and userName eq "a"', 'emails[type eq "work"', 'emails[type[x eq "a"] eq "b"]',
  'name.given.name eq "a"', '1abc eq "a"', 'userName eq "a" "b"', 'userName eq "\\x"', 'userName == "a"', 'userName eq "a" or or b pr',
  'not userName eq "a"', 'a.b[c eq "1"]', '(' .repeat(60) + 'a pr' + ')'.repeat(60), 'userName eq "a\u0001"', 'userName eq "a" ; drop table accounts',
];

test('SSO-6: each filter of the table parses to its tree: every operator, and/or/not, precedence, grouping, value paths, URN paths, literals, escapes', () => {
  for (const [text, tree] of VALID) assert.deepEqual(parseFilter(text), tree, text);
});

test('SSO-6: malformed filters are invalidFilter (400), never another error', () => {
  for (const text of INVALID) {
    assert.throws(() => parseFilter(text), (e: unknown) => e instanceof ScimError && e.status === 400 && e.scimType === 'invalidFilter', JSON.stringify(text));
  }
});

test('SSO-6: PATCH paths: attribute, sub-attribute, URN, value filter with and without a sub-attribute after it; bad ones are invalidPath', () => {
  assert.deepEqual(parsePatchPath('title'), { path: p('title') });
  assert.deepEqual(parsePatchPath('name.givenName'), { path: p('name', 'givenName') });
  assert.deepEqual(parsePatchPath(`${ENT}:department`), { path: p('department', undefined, ENT) });
  assert.deepEqual(parsePatchPath('emails[type eq "work"].value'), { path: p('emails'), filter: { op: 'eq', path: p('type'), value: 'work' }, sub: 'value' });
  assert.deepEqual(parsePatchPath('members[value eq "12"]'), { path: p('members'), filter: { op: 'eq', path: p('value'), value: '12' } });
  for (const bad of ['', 'emails[type eq "work"', 'emails[type eq "work"]value', 'emails[type eq "work"].', 'a b', 'emails[]']) {
    assert.throws(() => parsePatchPath(bad), (e: unknown) => e instanceof ScimError && e.scimType === 'invalidPath', bad);
  }
});
