import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { silentLogger } from '../../../bot/logger.js';
import { LinkReminderWorker } from '../../../bot/proactive/linkReminderWorker.js';
import type { NoticeSender } from '../../../dialogs/noticeSender.js';
import { parseCardAction } from '../../../cards/actions.js';
import { createI18n } from '../../../locales/i18n.js';
import type { Locale } from '../../../locales/locale.js';
import { translatorFor } from '../../../locales/translate.js';
import { LinkReminderService } from '../../../services/associations/linkReminders.js';
import { createMemoryLedger, personKey, type Ledger } from '../../../storage/index.js';
import { validateAdaptiveCard } from '../../cards/validateCard.js';
import { cardSubmit, message, type ActivityOptions } from '../../support/activities.js';
import { cardTexts, submitActions } from '../../support/cards.js';
import { FakeTimer, settle } from '../../support/fakeTimer.js';
import { proactiveDouble, seedPeople, startAdminBot, TENANT } from '../adminSupport.js';
import { allRecords } from '../../support/ledgerRecords.js';

const CLIENT_LOCALE: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR', 'zh-CN': 'zh-CN' };
const NOW = new Date('2026-03-02T09:00:00Z');
/** Dan's MCID started a link on February 20 at 22:01 and was unlinked since: the next one is possible on March 22. */
const NEXT = new Date('2026-03-22T22:01:00Z');

async function waitingDan(ledger: Parameters<typeof seedPeople>[0]): Promise<void> {
  await seedPeople(ledger, [{ who: 'dan' }]);
  await ledger.transact((tx) => {
    tx.put('accounts', `${personKey(TENANT, 'aad-dan')}/learn`, { personId: 'aad-dan', tenantId: TENANT, kind: 'learn', accountId: '12345678', subject: 'login-dan', recordedAt: NOW });
    tx.put('associations', 'a1', {
      id: 'a1', personId: 'aad-dan', tenantId: TENANT, kind: 'learn', accountId: '12345678',
      start: new Date('2026-02-20T22:01:00Z'), end: new Date('2026-02-25T00:00:00Z'), endReason: 'unlinked',
    });
  });
}

/** Dan's stored reminder, due at `dueAt`, for his personal chat. */
function storeDanReminder(ledger: Ledger, dueAt: Date): Promise<void> {
  return ledger.transact((tx) =>
    tx.put('linkReminders', personKey(TENANT, 'aad-dan'), { tenantId: TENANT, personId: 'aad-dan', dueAt, locale: 'en', reference: { conversation: { id: 'a:personal-aad-dan' } }, requestedAt: NOW }),
  );
}

/** A reminder worker on `ledger` whose service and worker share one clock (and the timer, when one is given). */
function reminderWorker(instance: i18n, ledger: Ledger, sender: NoticeSender, clock: () => Date, timer?: FakeTimer): LinkReminderWorker {
  return new LinkReminderWorker({ reminders: new LinkReminderService({ ledger, clock }), sender, i18n: instance, logger: silentLogger(), clock, ...(timer ? { timer } : {}) });
}

describe('“remind me when I can link again”', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of ['en', 'fr', 'zh-CN'] as const) {
    it(`in ${locale}: the waiting card offers a reminder, which is stored for the date and sent in the personal chat then`, async () => {
      const t = translatorFor(instance, locale);
      const as: ActivityOptions = { locale: CLIENT_LOCALE[locale], personId: 'aad-dan', tenantId: TENANT };
      const bot = startAdminBot(instance, { now: NOW });
      await waitingDan(bot.ledger);
      await bot.say(message(t('command.link'), as));
      const [wait] = await bot.say(cardSubmit({ action: 'link.kind', kind: 'learn' }, as));
      assert.ok(cardTexts(wait!).includes(t('employee:wait.title')));
      const remind = submitActions(wait!).find((a) => (a.data as { action: string }).action === 'link.remind');
      assert.ok(remind, 'a real “remind me” button');
      assert.equal(remind.title, t('employee:wait.remind'));

      const [set] = await bot.say(cardSubmit(remind.data, as));
      assert.deepEqual(validateAdaptiveCard((set!.attachments as never[])[0]!), []);
      assert.ok(cardTexts(set!).includes(t('employee:reminder.setTitle')));
      const stored = await bot.ledger.get('linkReminders', personKey(TENANT, 'aad-dan'));
      assert.deepEqual(stored?.dueAt, NEXT);
      assert.equal(stored?.locale, locale);

      // The worker, on a clock that reached the date, sends it through the proactive path, in the person's language.
      const sender = proactiveDouble();
      const early = reminderWorker(instance, bot.ledger, sender.sender, () => NOW);
      assert.equal(await early.sendDue(), 0, 'nothing before the date');
      const later = new Date(NEXT.getTime() + 60_000);
      const worker = reminderWorker(instance, bot.ledger, sender.sender, () => later);
      assert.equal(await worker.sendDue(), 1);
      assert.equal(sender.sent.length, 1);
      assert.equal(sender.sent[0]!.conversationId, 'a:personal-aad-dan');
      const card = sender.sent[0]!.activity;
      assert.ok(cardTexts(card).includes(t('employee:reminder.title')));
      for (const action of submitActions(card)) assert.ok(parseCardAction(action.data).ok);
      assert.equal(await bot.ledger.get('linkReminders', personKey(TENANT, 'aad-dan')), undefined, 'sent once');
      assert.equal(await worker.sendDue(), 0);
    });
  }

  it('sets no reminder when linking is possible now', async () => {
    const t = translatorFor(instance, 'en');
    const bot = startAdminBot(instance, { now: new Date('2026-04-01T00:00:00Z') });
    await waitingDan(bot.ledger);
    const [reply] = await bot.say(cardSubmit({ action: 'link.remind' }, { locale: 'en-US', personId: 'aad-dan', tenantId: TENANT }));
    assert.equal(reply!.text, t('employee:reminder.notNeeded'));
    assert.equal((await allRecords(bot.ledger, 'linkReminders')).length, 0);
  });

  it('wakes when its date comes, on its own timer', async () => {
    const bot = startAdminBot(instance, { now: NOW });
    await storeDanReminder(bot.ledger, new Date(NOW.getTime() + 30 * 60_000));
    const timer = new FakeTimer(NOW.getTime());
    const sender = proactiveDouble();
    const worker = reminderWorker(instance, bot.ledger, sender.sender, () => new Date(timer.now()), timer);
    worker.start();
    await settle();
    assert.equal(sender.sent.length, 0);
    await timer.advance(30 * 60_000);
    await settle();
    assert.equal(sender.sent.length, 1);
    await worker.stop();
  });

  it('does not send again in a loop when sending fails: it looks again a minute later', async () => {
    const ledger = createMemoryLedger();
    await storeDanReminder(ledger, new Date(NOW.getTime() - 60_000));
    const timer = new FakeTimer(NOW.getTime());
    let attempts = 0;
    const failing: NoticeSender = {
      send: async () => {
        attempts += 1;
        throw new Error('connector down');
      },
    };
    const worker = reminderWorker(instance, ledger, failing, () => new Date(timer.now()), timer);
    worker.start();
    await settle();
    assert.equal(attempts, 1);
    await timer.advance(59_000);
    assert.equal(attempts, 1, 'no retry before a minute has passed');
    await timer.advance(1_000);
    assert.equal(attempts, 2);
    await worker.stop();
    assert.ok(await ledger.get('linkReminders', personKey(TENANT, 'aad-dan')), 'the reminder is kept for a later try');
  });

  it('is not woken by a reminder due after the wake-up it sleeps until, and is by an earlier one', async () => {
    const ledger = createMemoryLedger();
    const timer = new FakeTimer(NOW.getTime());
    const clock = () => new Date(timer.now());
    let looks = 0;
    class CountingReminders extends LinkReminderService {
      override async due(now: Date) {
        looks += 1;
        return super.due(now);
      }
    }
    const sender = proactiveDouble();
    const wake = { nudge: (_dueAt: Date): void => undefined };
    const reminders = new CountingReminders({ ledger, clock, onScheduled: (dueAt) => wake.nudge(dueAt) });
    const worker = new LinkReminderWorker({ reminders, sender: sender.sender, i18n: instance, logger: silentLogger(), clock, timer });
    wake.nudge = (dueAt) => worker.nudge(dueAt);
    const reminder = (personId: string, inMs: number) => ({
      tenantId: TENANT, personId, dueAt: new Date(NOW.getTime() + inMs), locale: 'en' as const, reference: { conversation: { id: `a:personal-${personId}` } },
    });
    await reminders.schedule(reminder('aad-dan', 30 * 60_000));
    worker.start();
    await settle();
    assert.equal(looks, 1);
    // Sleeping until Dan's, in 30 minutes: one due in two days changes nothing now.
    await reminders.schedule(reminder('aad-eve', 2 * 86_400_000));
    await settle();
    assert.equal(looks, 1);
    // One due in five minutes wakes it to sleep until then instead.
    await reminders.schedule(reminder('aad-fay', 5 * 60_000));
    await settle();
    assert.equal(looks, 2);
    await timer.advance(5 * 60_000);
    assert.deepEqual(sender.sent.map((s) => s.conversationId), ['a:personal-aad-fay']);
    await worker.stop();
  });
});
