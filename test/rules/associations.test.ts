import assert from 'node:assert/strict';
import {
  applyAssociation,
  checkAssociation,
  defaultPolicy,
  endAssociation,
  nextAvailableAssociation,
} from '../../rules/index.js';
import type { Association, AssociationDecision, AssociationRequest, Policy } from '../../rules/index.js';
import { association, at, ended, linkRequest, moveToB } from './fixtures.js';

interface Case {
  name: string;
  history: Association[];
  request?: AssociationRequest;
  now: string;
  policy?: Policy;
  expected: AssociationDecision;
}

const a1 = association('a1', '2025-01-01T10:00:00.000Z');

/** Three ended starts of M1 inside one year, the first on 2024-01-10 09:00Z. */
const threeStarts = [
  ended(association('s1', '2024-01-10T09:00:00.000Z'), '2024-01-20T09:00:00.000Z'),
  ended(association('s2', '2024-03-01T09:00:00.000Z'), '2024-03-02T09:00:00.000Z'),
  ended(association('s3', '2024-06-01T09:00:00.000Z'), '2024-06-02T09:00:00.000Z'),
];

/** Three starts where the window slides on 2025-01-10 but the last start's cool-off runs to 2025-01-19. */
const lateThirdStart = [
  threeStarts[0]!,
  threeStarts[1]!,
  ended(association('s4', '2024-12-20T09:00:00.000Z'), '2024-12-21T09:00:00.000Z'),
];

const cases: Case[] = [
  {
    name: 'allows the first link ever and counts it as the first of three starts',
    history: [],
    now: '2025-01-01T10:00:00.000Z',
    expected: { kind: 'allowed', endsExisting: null, quota: { startsUsed: 1, startsLeft: 2 } },
  },
  {
    name: 'offers the next date when the last association was 12 days ago',
    history: [ended(association('a1', '2025-03-01T08:00:00.000Z'), '2025-03-05T08:00:00.000Z')],
    now: '2025-03-13T08:00:00.000Z',
    expected: { kind: 'wait', until: at('2025-03-31T08:00:00.000Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 },
  },
  {
    name: 'makes a person wait on day 29 of the cool-off',
    history: [ended(a1, '2025-01-02T10:00:00.000Z')],
    now: '2025-01-30T10:00:00.000Z',
    expected: { kind: 'wait', until: at('2025-01-31T10:00:00.000Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 },
  },
  {
    name: 'still makes a person wait one millisecond before the 30 days are over',
    history: [ended(a1, '2025-01-02T10:00:00.000Z')],
    now: '2025-01-31T09:59:59.999Z',
    expected: { kind: 'wait', until: at('2025-01-31T10:00:00.000Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 },
  },
  {
    name: 'allows a new start on day 30, exactly 30 × 24 hours after the previous start',
    history: [ended(a1, '2025-01-02T10:00:00.000Z')],
    now: '2025-01-31T10:00:00.000Z',
    expected: { kind: 'allowed', endsExisting: null, quota: { startsUsed: 2, startsLeft: 1 } },
  },
  {
    name: 'counts the cool-off from the start of the previous association, not from its end',
    history: [ended(a1, '2025-01-29T10:00:00.000Z')],
    now: '2025-01-31T10:00:00.000Z',
    expected: { kind: 'allowed', endsExisting: null, quota: { startsUsed: 2, startsLeft: 1 } },
  },
  {
    name: 'refuses a fourth start inside the 12-month window until the oldest start leaves it',
    history: threeStarts,
    now: '2024-09-01T00:00:00.000Z',
    expected: { kind: 'wait', until: at('2025-01-10T09:00:00.000Z'), constraint: 'yearly-limit', startsUsed: 3, startsLeft: 0 },
  },
  {
    name: 'still refuses the fourth start one millisecond before the window slides',
    history: threeStarts,
    now: '2025-01-10T08:59:59.999Z',
    expected: { kind: 'wait', until: at('2025-01-10T09:00:00.000Z'), constraint: 'yearly-limit', startsUsed: 3, startsLeft: 0 },
  },
  {
    name: 'allows a start once the window has slid past the oldest start',
    history: threeStarts,
    now: '2025-01-10T09:00:00.000Z',
    expected: { kind: 'allowed', endsExisting: null, quota: { startsUsed: 3, startsLeft: 0 } },
  },
  {
    name: 'waits for the cool-off when it ends after the window slides (the later constraint wins)',
    history: lateThirdStart,
    now: '2025-01-05T00:00:00.000Z',
    expected: { kind: 'wait', until: at('2025-01-19T09:00:00.000Z'), constraint: 'cool-off', startsUsed: 3, startsLeft: 0 },
  },
  {
    name: 'waits for the yearly limit when it ends after the cool-off',
    history: [
      ended(association('s1', '2024-02-01T09:00:00.000Z'), '2024-02-02T09:00:00.000Z'),
      ended(association('s2', '2024-03-05T09:00:00.000Z'), '2024-03-06T09:00:00.000Z'),
      ended(association('s3', '2024-04-10T09:00:00.000Z'), '2024-04-11T09:00:00.000Z'),
    ],
    now: '2024-05-20T00:00:00.000Z',
    expected: { kind: 'wait', until: at('2025-02-01T09:00:00.000Z'), constraint: 'yearly-limit', startsUsed: 3, startsLeft: 0 },
  },
  {
    name: 'lets a start on February 29 leave the window on February 28 of the next year at the same time',
    history: [
      ended(association('s1', '2024-02-29T12:00:00.000Z'), '2024-03-01T12:00:00.000Z'),
      ended(association('s2', '2024-04-01T12:00:00.000Z'), '2024-04-02T12:00:00.000Z'),
      ended(association('s3', '2024-06-01T12:00:00.000Z'), '2024-06-02T12:00:00.000Z'),
    ],
    now: '2024-12-01T00:00:00.000Z',
    expected: { kind: 'wait', until: at('2025-02-28T12:00:00.000Z'), constraint: 'yearly-limit', startsUsed: 3, startsLeft: 0 },
  },
  {
    name: 'treats re-linking the organization already linked as a no-op, even inside the cool-off',
    history: [a1],
    now: '2025-01-05T10:00:00.000Z',
    expected: { kind: 'already-linked', association: a1 },
  },
  {
    name: 'counts re-linking the same organization after unlinking as a new start',
    history: [ended(a1, '2025-01-03T10:00:00.000Z')],
    now: '2025-01-05T10:00:00.000Z',
    expected: { kind: 'wait', until: at('2025-01-31T10:00:00.000Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 },
  },
  {
    name: 'makes a move from company A to B inside the cool-off wait, because the limits follow the MCID',
    history: [a1],
    request: moveToB,
    now: '2025-01-20T10:00:00.000Z',
    expected: { kind: 'wait', until: at('2025-01-31T10:00:00.000Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 },
  },
  {
    name: 'allows a move from company A to B after the cool-off and says it ends the association with A',
    history: [a1],
    request: moveToB,
    now: '2025-02-15T10:00:00.000Z',
    expected: { kind: 'allowed', endsExisting: a1, quota: { startsUsed: 2, startsLeft: 1 } },
  },
  {
    name: 'refuses a link asked by someone else for the person (privacy)',
    history: [],
    request: linkRequest({ actorPersonId: 'global-admin-bob', isRegisteredUser: false }),
    now: '2025-01-01T00:00:00.000Z',
    expected: { kind: 'refused', reason: 'not-self-service' },
  },
  {
    name: 'refuses a person who is not a registered Partner Center user',
    history: [],
    request: linkRequest({ isRegisteredUser: false }),
    now: '2025-01-01T00:00:00.000Z',
    expected: { kind: 'refused', reason: 'not-registered' },
  },
  {
    name: 'refuses an MCID already linked by another person of the same organization',
    history: [association('c1', '2024-01-01T00:00:00.000Z', { personId: 'carol' })],
    now: '2025-01-01T00:00:00.000Z',
    expected: { kind: 'refused', reason: 'account-bound-to-another-person' },
  },
  {
    name: 'refuses a second MCID for a person who already has one linked',
    history: [association('a0', '2024-01-01T00:00:00.000Z', { accountId: 'M0' })],
    now: '2025-01-01T00:00:00.000Z',
    expected: { kind: 'refused', reason: 'person-has-another-account' },
  },
  {
    name: 'allows another MCID once the person has unlinked the first one',
    history: [ended(association('a0', '2024-01-01T00:00:00.000Z', { accountId: 'M0' }), '2024-06-01T00:00:00.000Z')],
    now: '2025-01-01T00:00:00.000Z',
    expected: { kind: 'allowed', endsExisting: null, quota: { startsUsed: 1, startsLeft: 2 } },
  },
  {
    name: 'never limits Partner University links, even the fourth in a week',
    history: ['u1', 'u2', 'u3'].map((id, i) =>
      ended(association(id, `2025-01-0${i + 1}T00:00:00.000Z`, { kind: 'university', accountId: 'PU1' }), `2025-01-0${i + 1}T01:00:00.000Z`),
    ),
    request: linkRequest({ kind: 'university', accountId: 'PU1' }),
    now: '2025-01-04T00:00:00.000Z',
    expected: { kind: 'allowed', endsExisting: null, quota: null },
  },
  {
    name: 'does not let Partner University links use up MCID starts',
    history: [association('u1', '2025-01-01T00:00:00.000Z', { kind: 'university', accountId: 'PU1' })],
    now: '2025-01-02T00:00:00.000Z',
    expected: { kind: 'allowed', endsExisting: null, quota: { startsUsed: 1, startsLeft: 2 } },
  },
  {
    name: 'in calendar mode, lets the yearly limit end on January 1 at 00:00 UTC',
    history: [
      ended(association('s1', '2025-01-15T00:00:00.000Z'), '2025-01-16T00:00:00.000Z'),
      ended(association('s2', '2025-03-01T00:00:00.000Z'), '2025-03-02T00:00:00.000Z'),
      ended(association('s3', '2025-06-01T00:00:00.000Z'), '2025-06-02T00:00:00.000Z'),
    ],
    now: '2025-08-01T00:00:00.000Z',
    policy: { ...defaultPolicy, associationWindow: 'calendar' },
    expected: { kind: 'wait', until: at('2026-01-01T00:00:00.000Z'), constraint: 'yearly-limit', startsUsed: 3, startsLeft: 0 },
  },
  {
    name: 'in calendar mode, starts of last year no longer count',
    history: [
      ended(association('s1', '2024-11-15T00:00:00.000Z'), '2024-11-16T00:00:00.000Z'),
      ended(association('s2', '2024-12-16T00:00:00.000Z'), '2024-12-17T00:00:00.000Z'),
    ],
    now: '2025-01-20T00:00:00.000Z',
    policy: { ...defaultPolicy, associationWindow: 'calendar' },
    expected: { kind: 'allowed', endsExisting: null, quota: { startsUsed: 1, startsLeft: 2 } },
  },
  {
    name: 'with a one-month window, lets a January 31 start leave it on February 28',
    history: [ended(association('s1', '2025-01-31T10:00:00.000Z'), '2025-02-01T10:00:00.000Z')],
    now: '2025-02-10T00:00:00.000Z',
    policy: { ...defaultPolicy, associationWindowMonths: 1, maxAssociationStartsPerWindow: 1, daysBetweenAssociationStarts: 0 },
    expected: { kind: 'wait', until: at('2025-02-28T10:00:00.000Z'), constraint: 'yearly-limit', startsUsed: 1, startsLeft: 0 },
  },
  {
    name: 'measures the cool-off in UTC hours across the Europe/Paris spring DST change',
    // 2025-03-29T23:30Z is 00:30 on March 30 in Paris, half an hour before clocks jump forward.
    history: [ended(association('s1', '2025-03-29T23:30:00.000Z'), '2025-03-30T08:00:00.000Z')],
    now: '2025-04-28T23:29:59.999Z',
    expected: { kind: 'wait', until: at('2025-04-28T23:30:00.000Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 },
  },
  {
    name: 'counts the window in UTC months for a start that is already the next day in Asia/Shanghai',
    // 2025-01-31T16:30Z is February 1, 00:30 in Shanghai; the window still ends on January 31 (UTC).
    history: [
      ended(association('s1', '2025-01-31T16:30:00.000Z'), '2025-02-01T00:00:00.000Z'),
      ended(association('s2', '2025-03-15T00:00:00.000Z'), '2025-03-16T00:00:00.000Z'),
      ended(association('s3', '2025-05-15T00:00:00.000Z'), '2025-05-16T00:00:00.000Z'),
    ],
    now: '2025-07-01T00:00:00.000Z',
    expected: { kind: 'wait', until: at('2026-01-31T16:30:00.000Z'), constraint: 'yearly-limit', startsUsed: 3, startsLeft: 0 },
  },
];

describe('rules/associations', () => {
  describe('checkAssociation', () => {
    for (const c of cases) {
      it(c.name, () => {
        const decision = checkAssociation(c.history, c.request ?? linkRequest(), c.policy ?? defaultPolicy, at(c.now));
        assert.deepEqual(decision, c.expected);
      });
    }

    it('ignores other MCIDs in the history when counting starts', () => {
      const history = [ended(association('x1', '2025-01-01T00:00:00.000Z', { personId: 'dan', accountId: 'M9' }), '2025-01-02T00:00:00.000Z')];
      assert.equal(checkAssociation(history, linkRequest(), defaultPolicy, at('2025-01-03T00:00:00.000Z')).kind, 'allowed');
    });
  });

  describe('nextAvailableAssociation', () => {
    it('is now when nothing limits a new start', () => {
      const now = at('2025-01-01T00:00:00.000Z');
      assert.equal(nextAvailableAssociation([], defaultPolicy, now), now);
    });

    it('is the end of the cool-off while it runs', () => {
      assert.deepEqual(nextAvailableAssociation([a1], defaultPolicy, at('2025-01-13T00:00:00.000Z')), at('2025-01-31T10:00:00.000Z'));
    });

    it('is the later of the cool-off and the yearly limit', () => {
      assert.deepEqual(nextAvailableAssociation(lateThirdStart, defaultPolicy, at('2025-01-05T00:00:00.000Z')), at('2025-01-19T09:00:00.000Z'));
    });

    it('follows one MCID when given its id, ignoring Partner University links', () => {
      const history = [a1, association('x1', '2025-01-20T00:00:00.000Z', { personId: 'dan', accountId: 'M9' }), association('u1', '2025-01-25T00:00:00.000Z', { kind: 'university', accountId: 'PU1' })];
      assert.deepEqual(nextAvailableAssociation(history, defaultPolicy, at('2025-01-26T00:00:00.000Z'), 'M1'), at('2025-01-31T10:00:00.000Z'));
    });
  });

  describe('applyAssociation', () => {
    it('appends the new association and leaves the input history untouched', () => {
      const history: Association[] = [];
      const result = applyAssociation(history, linkRequest(), defaultPolicy, at('2025-01-01T10:00:00.000Z'), 'new-1');
      assert.equal(result.kind, 'applied');
      assert.deepEqual(result.kind === 'applied' && result.history, [association('new-1', '2025-01-01T10:00:00.000Z')]);
      assert.deepEqual(history, []);
    });

    it('ends the association with A as moved in the same step that starts the one with B', () => {
      const now = '2025-03-01T12:00:00.000Z';
      const result = applyAssociation([a1], moveToB, defaultPolicy, at(now), 'b-1');
      assert.ok(result.kind === 'applied');
      assert.deepEqual(result.ended, ended(a1, now, 'moved'));
      assert.deepEqual(result.started, association('b-1', now, { personId: 'alice-b', tenantId: 'B' }));
      assert.deepEqual(result.history, [ended(a1, now, 'moved'), result.started]);
    });

    it('returns the wait unchanged and writes nothing when rule 4 blocks the start', () => {
      const result = applyAssociation([a1], moveToB, defaultPolicy, at('2025-01-10T10:00:00.000Z'), 'b-1');
      assert.deepEqual(result, { kind: 'wait', until: at('2025-01-31T10:00:00.000Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 });
    });
  });

  describe('endAssociation', () => {
    const pu = association('u1', '2025-01-01T00:00:00.000Z', { kind: 'university', accountId: 'PU1' });

    it('ends the person\'s own MCID association as unlinked', () => {
      const result = endAssociation([a1, pu], { kind: 'unlink', personId: 'alice', accountKind: 'learn', actorPersonId: 'alice' }, at('2025-02-01T00:00:00.000Z'));
      assert.deepEqual(result, { kind: 'ended', history: [ended(a1, '2025-02-01T00:00:00.000Z'), pu], ended: [ended(a1, '2025-02-01T00:00:00.000Z')] });
    });

    it('refuses to unlink on behalf of someone else', () => {
      const result = endAssociation([a1], { kind: 'unlink', personId: 'alice', accountKind: 'learn', actorPersonId: 'bob' }, at('2025-02-01T00:00:00.000Z'));
      assert.deepEqual(result, { kind: 'refused', reason: 'not-self-service' });
    });

    it('says there is nothing to unlink when no association of that kind is active', () => {
      const result = endAssociation([ended(a1, '2025-01-02T00:00:00.000Z')], { kind: 'unlink', personId: 'alice', accountKind: 'learn', actorPersonId: 'alice' }, at('2025-02-01T00:00:00.000Z'));
      assert.deepEqual(result, { kind: 'not-linked' });
    });

    it('lets only a Global admin delete a work account', () => {
      const result = endAssociation([a1], { kind: 'delete-account', personId: 'alice', actorRole: 'partner-admin' }, at('2025-02-01T00:00:00.000Z'));
      assert.deepEqual(result, { kind: 'refused', reason: 'not-global-admin' });
    });

    it('ends every active association of a deleted work account as account-deleted', () => {
      const now = '2025-01-31T23:59:00.000Z';
      const result = endAssociation([a1, pu], { kind: 'delete-account', personId: 'alice', actorRole: 'global-admin' }, at(now));
      assert.ok(result.kind === 'ended');
      assert.deepEqual(result.ended, [ended(a1, now, 'account-deleted'), ended(pu, now, 'account-deleted')]);
    });

    it('does not reset the counters: unlinking and re-linking still waits for the cool-off', () => {
      const unlinked = endAssociation([a1], { kind: 'unlink', personId: 'alice', accountKind: 'learn', actorPersonId: 'alice' }, at('2025-01-03T00:00:00.000Z'));
      assert.ok(unlinked.kind === 'ended');
      const relink = applyAssociation(unlinked.history, linkRequest(), defaultPolicy, at('2025-01-04T00:00:00.000Z'), 'a2');
      assert.deepEqual(relink, { kind: 'wait', until: at('2025-01-31T10:00:00.000Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 });
    });
  });
});
