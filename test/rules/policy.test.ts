import assert from 'node:assert/strict';
import { associationSchema, defaultPolicy, policySchema } from '../../rules/index.js';
import type { Policy } from '../../rules/index.js';

describe('rules/policy and schemas', () => {
  it('holds the documented numbers by default', () => {
    assert.deepEqual({ ...defaultPolicy }, {
      daysBetweenAssociationStarts: 30,
      maxAssociationStartsPerWindow: 3,
      associationWindow: 'rolling',
      associationWindowMonths: 12,
      creditDelayDays: 10,
      universityExistingCreditHours: 72,
      universityNewCreditMinDays: 7,
      universityNewCreditMaxDays: 10,
      reportRefreshDayOfMonth: 10,
      expiryWarningDays: 60,
    } satisfies Policy);
  });

  it('cannot be changed in place', () => {
    assert.ok(Object.isFrozen(defaultPolicy));
  });

  it('accepts a deployment override and freezes the result', () => {
    const policy = policySchema.parse({ ...defaultPolicy, associationWindow: 'calendar', expiryWarningDays: 90 });
    assert.equal(policy.associationWindow, 'calendar');
    assert.equal(policy.expiryWarningDays, 90);
    assert.ok(Object.isFrozen(policy));
  });

  it('rejects a policy whose Partner University range is inverted or whose limit is zero', () => {
    assert.equal(policySchema.safeParse({ ...defaultPolicy, universityNewCreditMinDays: 11 }).success, false);
    assert.equal(policySchema.safeParse({ ...defaultPolicy, maxAssociationStartsPerWindow: 0 }).success, false);
    assert.equal(policySchema.safeParse({ ...defaultPolicy, reportRefreshDayOfMonth: 32 }).success, false);
  });

  it('reads a stored association with ISO instants', () => {
    const parsed = associationSchema.parse({
      id: 'a1', personId: 'alice', tenantId: 'A', kind: 'learn', accountId: 'M1',
      start: '2025-01-31T16:30:00+08:00', end: '2025-02-01T00:00:00Z', endReason: 'unlinked',
    });
    assert.equal(parsed.start.toISOString(), '2025-01-31T08:30:00.000Z');
    assert.equal(parsed.end?.toISOString(), '2025-02-01T00:00:00.000Z');
  });

  it('rejects an association with an end but no reason, or an end before its start', () => {
    const base = { id: 'a1', personId: 'alice', tenantId: 'A', kind: 'learn', accountId: 'M1', start: '2025-01-31T00:00:00Z' };
    assert.equal(associationSchema.safeParse({ ...base, end: '2025-02-01T00:00:00Z' }).success, false);
    assert.equal(associationSchema.safeParse({ ...base, end: '2025-01-01T00:00:00Z', endReason: 'moved' }).success, false);
    assert.equal(associationSchema.safeParse({ ...base, start: 'yesterday' }).success, false);
  });
});
