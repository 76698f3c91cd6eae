// ACC-1, ACC-2: profile fields and username schemes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateProfile } from './profile.ts';
import { checkUsername } from './username.ts';

const policy = { 'email.allowedDomains': ['gov.tw', 'edu.tw'], 'nationalId.required': true };
const good = { name: '林建國', nationalId: 'A123456789', birthMonth: '7', birthDay: '25', email: 'c2576@taichung.gov.tw', mobile: '0912-345678', officePhone: '04-22203100', officeExt: '21613', postalCode: '40701', title: '約僱人員' };

test('ACC-1: a complete seed-003 profile is accepted and normalised', () => {
  const r = validateProfile({ ...good, nationalId: 'a123456789', email: 'C2576@Taichung.gov.tw' }, policy);
  assert.deepEqual(r.errors, {});
  assert.equal(r.profile!.nationalId, 'A123456789');
  assert.equal(r.profile!.email, 'c2576@taichung.gov.tw');
  assert.equal(r.profile!.birthMonth, 7);
});

test('ACC-1 (issue 9 items 8 and 15): a national ID with spaces and a newline, and a mobile without the hyphen, are stored in one form', () => {
  const r = validateProfile({ ...good, nationalId: ' a123 456 789\n', mobile: '+886 912 345 678' }, policy);
  assert.deepEqual(r.errors, {});
  assert.equal(r.profile!.nationalId, 'A123456789');
  assert.equal(r.profile!.mobile, '0912-345678');
});

test('ACC-1: each malformed field gets its own message key, and nothing is returned', () => {
  const cases: [Record<string, string>, string, string][] = [
    [{ name: '' }, 'name', 'profile.name'],
    [{ name: 'R2-D2' }, 'name', 'profile.name'],
    [{ nationalId: 'A123456788' }, 'nationalId', 'profile.nationalId'],
    [{ nationalId: '' }, 'nationalId', 'profile.required'],
    [{ birthMonth: '2', birthDay: '30' }, 'birthMonth', 'profile.birthday'],
    [{ email: 'someone@gmail.com' }, 'email', 'profile.emailDomain'],
    [{ email: 'not-an-email' }, 'email', 'profile.email'],
    [{ mobile: '0812345678' }, 'mobile', 'profile.mobile'],
    [{ mobile: '02-2345-6789' }, 'mobile', 'profile.mobile'],
    [{ officeExt: '12a' }, 'officeExt', 'profile.ext'],
    [{ postalCode: '4070' }, 'postalCode', 'profile.postalCode'],
  ];
  for (const [override, field, key] of cases) {
    const r = validateProfile({ ...good, ...override }, policy);
    assert.equal(r.profile, undefined, JSON.stringify(override));
    assert.equal((r.errors as Record<string, string>)[field], key, JSON.stringify(override));
  }
});

test('ACC-1: subdomains of an allowed domain pass; the national ID may be optional by policy', () => {
  assert.deepEqual(validateProfile({ ...good, email: 'teacher@mail.school.edu.tw' }, policy).errors, {});
  assert.deepEqual(validateProfile({ ...good, nationalId: '' }, { ...policy, 'nationalId.required': false }).errors, {});
  assert.ok(validateProfile({ ...good, email: 'x@evilgov.tw' }, policy).errors.email);
});

test('ACC-2: the three username schemes', () => {
  assert.equal(checkUsername('myaccount1', 'alnum', null), null);
  assert.equal(checkUsername('short', 'alnum', null), 'username.alnum');
  assert.equal(checkUsername('has_underscore', 'alnum', null), 'username.alnum');
  assert.equal(checkUsername('010300_myaccount', 'tenant_prefixed', '010300'), null);
  assert.equal(checkUsername('010300_a.b-c', 'tenant_prefixed', '010300'), null);
  assert.equal(checkUsername('myaccount', 'tenant_prefixed', '010300'), 'username.tenantPrefix');
  assert.equal(checkUsername('010300_x', 'tenant_prefixed', '010300'), 'username.tenantPrefix');
  assert.equal(checkUsername('010301_myaccount', 'tenant_prefixed', '010300'), 'username.tenantPrefix');
  assert.equal(checkUsername('010300_myaccount', 'tenant_prefixed', null), 'username.noTenant');
  assert.equal(checkUsername('A123456789', 'national_id', null), null);
  assert.equal(checkUsername('A123456788', 'national_id', null), 'username.nationalId');
});
