import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applyAssociation,
  checkAssociation,
  defaultPolicy,
  endAssociation,
  evaluateCompetency,
  nextAvailableAssociation,
  skillsReport,
} from '../../rules/index.js';
import type { Association, AssociationRequest, CompetencyRequirement, Credential, Person, Policy } from '../../rules/index.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2023, 0, 1);

/** One thing a person does with MCID M1, after `gap` milliseconds: link it to organization `org`, unlink it, or link at the next allowed instant. */
interface Step {
  gap: number;
  op: 'link' | 'unlink' | 'link-at-next';
  org: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  gap: fc.oneof(
    fc.integer({ min: 0, max: 3 * DAY }),
    fc.integer({ min: 0, max: 120 * DAY }),
    fc.constantFrom(30 * DAY - 1, 30 * DAY, 365 * DAY),
  ),
  op: fc.constantFrom<Step['op']>('link', 'link', 'unlink', 'link-at-next'),
  org: fc.integer({ min: 0, max: 2 }),
});
const stepsArb = fc.array(stepArb, { maxLength: 30 });

const requestFor = (org: number | string): AssociationRequest => ({
  personId: `p${org}`, tenantId: `t${org}`, kind: 'learn', accountId: 'M1', actorPersonId: `p${org}`, isRegisteredUser: true,
});

/** Plays the steps through applyAssociation / endAssociation and returns what was accepted. */
function simulate(steps: Step[], policy: Policy): { history: Association[]; starts: Date[]; now: number } {
  let history: Association[] = [];
  const starts: Date[] = [];
  let now = T0;
  steps.forEach((step, i) => {
    now += step.gap;
    if (step.op === 'unlink') {
      const active = history.find((a) => a.end === undefined);
      if (active === undefined) return;
      const result = endAssociation(history, { kind: 'unlink', personId: active.personId, accountKind: 'learn', actorPersonId: active.personId }, new Date(now));
      if (result.kind === 'ended') history = result.history;
      return;
    }
    if (step.op === 'link-at-next') now = Math.max(now, nextAvailableAssociation(history, policy, new Date(now)).getTime());
    const result = applyAssociation(history, requestFor(step.org), policy, new Date(now), `a${i}`);
    if (result.kind === 'applied') {
      history = result.history;
      starts.push(result.started.start);
    }
  });
  return { history, starts, now };
}

/** An independent oracle for "12 calendar months later": same UTC time, day clamped. */
function twelveMonthsLater(d: Date): number {
  const y = d.getUTCFullYear() + 1;
  const m = d.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

const calendarPolicy: Policy = { ...defaultPolicy, associationWindow: 'calendar' };

describe('rules properties (fast-check)', () => {
  it('never accepts two starts less than 30 days apart or more than 3 starts in any 12-month window', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const { starts } = simulate(steps, defaultPolicy);
        for (let i = 1; i < starts.length; i++) {
          assert.ok(starts[i]!.getTime() - starts[i - 1]!.getTime() >= 30 * DAY, 'starts closer than 30 days');
        }
        for (let i = 0; i + 3 < starts.length; i++) {
          assert.ok(starts[i + 3]!.getTime() >= twelveMonthsLater(starts[i]!), 'four starts inside 12 months');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never accepts more than 3 starts in one calendar year in calendar mode', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const { starts } = simulate(steps, calendarPolicy);
        const perYear = new Map<number, number>();
        for (const s of starts) perYear.set(s.getUTCFullYear(), (perYear.get(s.getUTCFullYear()) ?? 0) + 1);
        assert.ok([...perYear.values()].every((n) => n <= 3));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps an MCID linked to at most one organization at a time', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const { history } = simulate(steps, defaultPolicy);
        assert.ok(history.filter((a) => a.end === undefined).length <= 1);
      }),
    );
  });

  for (const [name, policy] of [['rolling', defaultPolicy], ['calendar', calendarPolicy]] as const) {
    it(`allows a start at the instant nextAvailableAssociation returns and not one millisecond earlier (${name})`, () => {
      fc.assert(
        fc.property(stepsArb, fc.integer({ min: 0, max: 400 * DAY }), (steps, extra) => {
          const { history, now } = simulate(steps, policy);
          const asked = new Date(now + extra);
          const next = nextAvailableAssociation(history, policy, asked);
          assert.ok(next.getTime() >= asked.getTime());
          const elsewhere = requestFor('Z');
          assert.equal(checkAssociation(history, elsewhere, policy, next).kind, 'allowed');
          if (next.getTime() > asked.getTime()) {
            const before = checkAssociation(history, elsewhere, policy, new Date(next.getTime() - 1));
            assert.ok(before.kind === 'wait' && before.until.getTime() === next.getTime());
            const atAsked = checkAssociation(history, elsewhere, policy, asked);
            assert.ok(atAsked.kind === 'wait' && atAsked.until.getTime() === next.getTime());
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('never resets the counters by ending an association, and only raises them by re-linking', () => {
    fc.assert(
      fc.property(stepsArb, fc.integer({ min: 0, max: 60 * DAY }), (steps, extra) => {
        const { history, now } = simulate(steps, defaultPolicy);
        const later = new Date(now + extra);
        const active = history.find((a) => a.end === undefined);
        if (active === undefined) return;
        const unlinked = endAssociation(history, { kind: 'unlink', personId: active.personId, accountKind: 'learn', actorPersonId: active.personId }, later);
        assert.ok(unlinked.kind === 'ended');
        const before = nextAvailableAssociation(history, defaultPolicy, later);
        assert.deepEqual(nextAvailableAssociation(unlinked.history, defaultPolicy, later), before);
        const relinked = applyAssociation(unlinked.history, requestFor(active.tenantId.slice(1)), defaultPolicy, later, 'relink');
        if (relinked.kind === 'applied') {
          assert.ok(nextAvailableAssociation(relinked.history, defaultPolicy, later).getTime() > later.getTime());
        } else {
          assert.equal(relinked.kind, 'wait');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('decides a link request the same way whatever the order of the history', () => {
    fc.assert(
      fc.property(
        stepsArb.map((steps) => simulate(steps, defaultPolicy)).chain(({ history, now }) =>
          fc.tuple(fc.constant(history), fc.shuffledSubarray(history, { minLength: history.length }), fc.constant(now), fc.integer({ min: 0, max: 2 })),
        ),
        ([history, shuffled, now, org]) => {
          const asked = new Date(now + DAY);
          assert.deepEqual(checkAssociation(shuffled, requestFor(org), defaultPolicy, asked), checkAssociation(history, requestFor(org), defaultPolicy, asked));
        },
      ),
    );
  });

  describe('competency evaluation', () => {
    const NOW = T0 + 800 * DAY;
    const past = fc.integer({ min: T0, max: NOW });
    const world = fc
      .record({
        associations: fc.array(
          fc.record({
            person: fc.integer({ min: 0, max: 4 }),
            kind: fc.constantFrom<'learn' | 'university'>('learn', 'learn', 'university'),
            tenant: fc.constantFrom('A', 'A', 'A', 'B'),
            start: past,
            endAfter: fc.option(fc.integer({ min: 0, max: 400 * DAY })),
            endReason: fc.constantFrom<'unlinked' | 'moved' | 'account-deleted'>('unlinked', 'moved', 'account-deleted'),
          }),
          { maxLength: 12 },
        ),
        credentials: fc.array(
          fc.record({
            person: fc.integer({ min: 0, max: 4 }),
            kind: fc.constantFrom<'learn' | 'university'>('learn', 'university'),
            tenant: fc.constantFrom('A', 'A', 'B'),
            passed: past,
            expiresIn: fc.option(fc.integer({ min: -100 * DAY, max: 200 * DAY })),
            competencies: fc.subarray(['Azure', 'Security']),
            code: fc.constantFrom('AZ-104', 'AZ-305', 'SC-200'),
          }),
          { maxLength: 15 },
        ),
        required: fc.integer({ min: 1, max: 4 }),
        codes: fc.subarray(['AZ-104', 'SC-200']),
      })
      .map(({ associations, credentials, required, codes }) => ({
        associations: associations.map((a, i): Association => {
          const account = a.kind === 'learn' ? `M${a.person}` : `U${a.person}`;
          const base = { id: `a${i}`, personId: `p${a.person}`, tenantId: a.tenant, kind: a.kind, accountId: account, start: new Date(a.start) };
          return a.endAfter === null ? base : { ...base, end: new Date(Math.min(NOW, a.start + a.endAfter)), endReason: a.endReason };
        }),
        credentials: credentials.map((c, i): Credential => ({
          id: `c${i}`, tenantId: c.tenant, kind: c.kind, accountId: c.kind === 'learn' ? `M${c.person}` : `U${c.person}`, type: 'exam', code: c.code, title: c.code,
          passed: new Date(c.passed), competencies: c.competencies,
          ...(c.expiresIn === null ? {} : { expires: new Date(NOW + c.expiresIn) }),
        })),
        requirement: { id: 'r', tenantId: 'A', competency: 'Azure', requiredPeople: required, credentialCodes: codes } satisfies CompetencyRequirement,
      }));
    const withShuffles = world.chain((w) =>
      fc.tuple(
        fc.constant(w),
        fc.shuffledSubarray(w.associations, { minLength: w.associations.length }),
        fc.shuffledSubarray(w.credentials, { minLength: w.credentials.length }),
      ),
    );
    const people: Person[] = [0, 1, 2, 3, 4].map((i) => ({ id: `p${i}`, tenantId: 'A', displayName: `Person ${i}`, role: 'member' }));

    it('does not depend on the order of associations and credentials', () => {
      fc.assert(
        fc.property(withShuffles, ([w, associations, credentials]) => {
          const now = new Date(NOW);
          assert.deepEqual(
            evaluateCompetency(w.requirement, associations, credentials, defaultPolicy, now),
            evaluateCompetency(w.requirement, w.associations, w.credentials, defaultPolicy, now),
          );
          assert.deepEqual(
            skillsReport('A', [w.requirement], [...people].reverse(), associations, credentials, defaultPolicy, now),
            skillsReport('A', [w.requirement], people, w.associations, w.credentials, defaultPolicy, now),
          );
        }),
        { numRuns: 300 },
      );
    });

    it("ignores what another organization imported: B's credentials change nothing for A", () => {
      fc.assert(
        fc.property(world, (w) => {
          const now = new Date(NOW);
          const own = w.credentials.filter((c) => c.tenantId === 'A');
          assert.deepEqual(
            evaluateCompetency(w.requirement, w.associations, w.credentials, defaultPolicy, now),
            evaluateCompetency(w.requirement, w.associations, own, defaultPolicy, now),
          );
          assert.deepEqual(
            skillsReport('A', [w.requirement], people, w.associations, w.credentials, defaultPolicy, now),
            skillsReport('A', [w.requirement], people, w.associations, own, defaultPolicy, now),
          );
        }),
        { numRuns: 300 },
      );
    });

    it('keeps its promises: an at-risk requirement is not met at the date given and still counts one millisecond before', () => {
      fc.assert(
        fc.property(world, (w) => {
          const evaluation = evaluateCompetency(w.requirement, w.associations, w.credentials, defaultPolicy, new Date(NOW));
          assert.ok(evaluation.lowest <= evaluation.current && evaluation.lowest <= evaluation.after);
          if (evaluation.changesAt === null) return;
          const atChange = evaluateCompetency(w.requirement, w.associations, w.credentials, defaultPolicy, evaluation.changesAt);
          const justBefore = evaluateCompetency(w.requirement, w.associations, w.credentials, defaultPolicy, new Date(evaluation.changesAt.getTime() - 1));
          if (evaluation.kind === 'at-risk') {
            assert.equal(atChange.kind, 'not-met');
            assert.notEqual(justBefore.kind, 'not-met');
          } else {
            assert.notEqual(atChange.kind, 'not-met');
            assert.equal(justBefore.kind, 'not-met');
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
