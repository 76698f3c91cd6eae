// Pure rules of one-time codes and drafts (AUTH-6, REQ-1): states, cool-down, normalisation,
// masks, the draft's sliding expiry capped at two hours, the roles chosen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  OTP_MAX_FAILURES, OTP_RESEND_COOLDOWN_MS, challengeState, destinationOf, isWellFormedCode, maskEmail, maskMobile, maskName,
  normaliseCode, resendWaitMs,
} from './otp.ts';
import { DRAFT_IDLE_MS, DRAFT_MAX_MS, chosenRoles, draftExpiry } from './rules.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 25) + ms);

test('AUTH-6: a code is live until it expires, is used, or has taken the maximum of wrong tries', () => {
  const base = { created_at: at(0), expires_at: at(600_000), used_at: null, failed_attempts: 0 };
  assert.equal(challengeState(base, at(599_999)), 'live');
  assert.equal(challengeState(base, at(600_000)), 'expired', 'the expiry instant is already expired');
  assert.equal(challengeState({ ...base, used_at: at(1) }, at(2)), 'used');
  assert.equal(challengeState({ ...base, failed_attempts: OTP_MAX_FAILURES - 1 }, at(2)), 'live');
  assert.equal(challengeState({ ...base, failed_attempts: OTP_MAX_FAILURES }, at(2)), 'locked');
});

test('AUTH-6: the resend wait counts down from 60 s after the last send and never goes below zero', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 10 * OTP_RESEND_COOLDOWN_MS }), (elapsed) => {
    const wait = resendWaitMs(at(0), at(elapsed));
    assert.equal(wait, Math.max(0, OTP_RESEND_COOLDOWN_MS - elapsed));
  }));
  assert.equal(resendWaitMs(undefined, at(0)), 0);
});

test('AUTH-6: typed codes lose spaces and dashes, full-width digits count; only six digits are well formed', () => {
  assert.equal(normaliseCode(' 123 456 '), '123456');
  assert.equal(normaliseCode('１２３-４５６'), '123456');
  assert.ok(isWellFormedCode('012345'));
  for (const bad of ['12345', '1234567', '12a456', '']) assert.ok(!isWellFormedCode(bad), bad);
});

test('AUTH-6: send limits count an address without case and a number by its digits', () => {
  assert.equal(destinationOf('mail', ' Chen@Post.gov.tw '), destinationOf('mail', 'chen@post.gov.tw'));
  assert.equal(destinationOf('sms', '0912-345678'), destinationOf('sms', '0912345678'));
  assert.notEqual(destinationOf('mail', '0912345678'), destinationOf('sms', '0912345678'));
});

test('masks show enough to recognise oneself, not enough to learn someone else', () => {
  assert.equal(maskEmail('chen.yijun@post.gov.tw'), 'c***@post.gov.tw');
  assert.equal(maskMobile('0912-345678'), '0912-***-678');
  assert.equal(maskName('王大明'), '王○明');
  assert.equal(maskName('歐陽大明'), '歐○○明');
  assert.equal(maskName('林明'), '林○');
  assert.equal(maskName('Mary Ann Lee'), 'M. A. L.');
});

test('REQ-1: a draft lives 30 minutes after its last step and never more than 2 hours after it began', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 3 * DRAFT_MAX_MS }), (elapsed) => {
    const exp = draftExpiry(at(0), at(elapsed)).getTime() - at(0).getTime();
    assert.equal(exp, Math.min(DRAFT_MAX_MS, elapsed + DRAFT_IDLE_MS));
  }));
});

test('REQ-1: roles asked for must exist; their systems come along, without duplicates', () => {
  const known = new Map([['spm_user', 'spm'], ['spm_admin', 'spm'], ['vuln_user', 'vuln']]);
  assert.deepEqual(chosenRoles(['vuln_user', 'spm_user', 'spm_admin', 'spm_user'], known), { roles: ['spm_admin', 'spm_user', 'vuln_user'], systems: ['spm', 'vuln'] });
  assert.deepEqual(chosenRoles([], known), { error: 'none' });
  assert.deepEqual(chosenRoles(['spm_user', 'root'], known), { error: 'unknown' });
});
