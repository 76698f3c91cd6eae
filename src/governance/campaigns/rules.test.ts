// GOV-3: the pure rules of review campaigns: recurrence, the default for unanswered items, the reason for keeping an inactive account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decisionProblem, effectOf, nextRunAfter } from './rules.ts';

test('GOV-3: quarterly and half-yearly definitions recur 3 and 6 months later (clamped to the month end); a one-off does not', () => {
  assert.equal(nextRunAfter('quarterly', new Date('2026-01-15T00:00:00Z'))!.toISOString(), '2026-04-15T00:00:00.000Z');
  assert.equal(nextRunAfter('half_yearly', new Date('2026-08-31T01:00:00Z'))!.toISOString(), '2027-02-28T01:00:00.000Z');
  assert.equal(nextRunAfter('one_off', new Date()), null);
});

test('GOV-3: an unanswered item falls to the definition\'s default; a decision wins over it', () => {
  assert.equal(effectOf(null, 'no_change', 'disable'), 'unchanged');
  assert.equal(effectOf(null, 'disable', 'keep'), 'disable');
  assert.equal(effectOf(null, 'recommendation', 'disable'), 'disable');
  assert.equal(effectOf(null, 'recommendation', 'keep'), 'unchanged');
  assert.equal(effectOf('keep', 'disable', 'disable'), 'unchanged');
  assert.equal(effectOf('delete', 'no_change', 'keep'), 'delete');
});

test('GOV-3: keeping an inactive account needs a reason; removing a role names the role', () => {
  assert.equal(decisionProblem({ decision: 'keep' }, true), 'campaign.reasonRequired');
  assert.equal(decisionProblem({ decision: 'keep', reason: '  ' }, true), 'campaign.reasonRequired');
  assert.equal(decisionProblem({ decision: 'keep', reason: '留職停薪，明年復職' }, true), null);
  assert.equal(decisionProblem({ decision: 'keep' }, false), null);
  assert.equal(decisionProblem({ decision: 'remove_role' }, false), 'campaign.roleRequired');
  assert.equal(decisionProblem({ decision: 'disable' }, true), null);
});
