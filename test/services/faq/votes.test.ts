import { strict as assert } from 'node:assert';
import { defaultPolicy } from '../../../rules/index.js';
import { FaqService } from '../../../services/faq/index.js';
import { createMemoryLedger } from '../../../storage/index.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const CHANNEL = '19:general@thread.tacv2';
const ann = { tenantId: 'contoso', personId: 'aad-ann' };

function setup() {
  const ledger = createMemoryLedger();
  return new FaqService({ policy: defaultPolicy, ledger, clock: () => NOW, voteSecret: 'votes-test' });
}

describe('the FAQ vote rule', () => {
  it('counts a vote cast in a reply thread for the card the channel received, once per person however often they press', async () => {
    const faq = setup();
    const ticket = await faq.voteTicket(CHANNEL, 'find-mcid', 'en');
    const fromThread = `${CHANNEL};messageid=1700000000000`;
    const vote = (helpful: boolean) => faq.recordFeedback({ conversationId: fromThread, voter: ann, ticket, topic: 'find-mcid', locale: 'en', helpful });
    assert.deepEqual(await vote(true), { kind: 'recorded', helpful: true });
    assert.deepEqual(await vote(true), { kind: 'recorded', helpful: true });
    assert.deepEqual((await faq.feedbackSummary()).get('find-mcid/en'), { helpful: 1, notHelpful: 0 });
  });

  it('refuses a vote on a card another conversation received, and a topic the FAQ does not have', async () => {
    const faq = setup();
    const ticket = await faq.voteTicket(CHANNEL, 'find-mcid', 'en');
    const elsewhere = await faq.recordFeedback({ conversationId: 'a:personal-ann', voter: ann, ticket, topic: 'find-mcid', locale: 'en', helpful: true });
    assert.deepEqual(elsewhere, { kind: 'refused' });
    const unknown = await faq.recordFeedback({ conversationId: CHANNEL, voter: ann, ticket, topic: 'no-such-topic', locale: 'en', helpful: true });
    assert.deepEqual(unknown, { kind: 'unknown-topic' });
    assert.equal((await faq.feedbackSummary()).size, 0);
  });

  it('answers "not helpful" with other answers than the one voted on, and the support contacts', async () => {
    const faq = setup();
    const ticket = await faq.voteTicket(CHANNEL, 'find-mcid', 'fr');
    const outcome = await faq.recordFeedback({ conversationId: CHANNEL, voter: ann, ticket, topic: 'find-mcid', locale: 'fr', helpful: false });
    assert.equal(outcome.kind, 'recorded');
    assert.ok(outcome.kind === 'recorded' && !outcome.helpful);
    assert.ok(outcome.related.length > 0 && outcome.related.every((r) => r.topic !== 'find-mcid' && r.topic !== 'support'));
    assert.deepEqual(outcome.supportLinks, faq.answer('support', 'fr').links);
  });
});
