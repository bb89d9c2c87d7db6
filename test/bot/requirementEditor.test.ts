import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { parseCardAction } from '../../cards/actions.js';
import { createI18n } from '../../locales/i18n.js';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { humanizeKey, requirementDisplayName } from '../../services/admin/requirements.js';
import { validateAdaptiveCard } from '../cards/validateCard.js';
import { cardSubmit, message, type ActivityOptions } from '../support/activities.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { BOSS, seedOrganization, seedPeople, startAdminBot, TENANT } from './adminSupport.js';
import { allRecords } from '../support/ledgerRecords.js';

const CLIENT_LOCALE: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR', 'zh-CN': 'zh-CN' };
const REQUIREMENTS: Record<Locale, string> = { en: 'requirements', fr: 'exigences', 'zh-CN': '能力要求' };

function assertValidCards(activity: Record<string, unknown>): void {
  for (const attachment of (activity.attachments as Array<{ contentType: string; content: unknown }> | undefined) ?? []) {
    assert.deepEqual(validateAdaptiveCard(attachment), []);
  }
  for (const action of submitActions(activity)) assert.ok(parseCardAction(action.data).ok, JSON.stringify(action.data));
}

/** The Input.Text ids of an activity's cards. */
function inputIds(activity: Record<string, unknown>): string[] {
  const ids: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.type === 'string' && record.type.startsWith('Input.')) ids.push(String(record.id));
    Object.values(record).forEach(visit);
  };
  ((activity.attachments as Array<{ content?: unknown }> | undefined) ?? []).forEach((a) => visit(a.content));
  return ids;
}

describe('requirement display names', () => {
  it('use the language asked for, then English, then any language, and only then the key made readable', () => {
    const base = { id: 't/modern-work', tenantId: 't' };
    assert.equal(requirementDisplayName({ ...base, names: { en: 'Modern Work', fr: 'Travail moderne' } }, 'fr'), 'Travail moderne');
    assert.equal(requirementDisplayName({ ...base, names: { en: 'Modern Work' } }, 'zh-CN'), 'Modern Work');
    assert.equal(requirementDisplayName({ ...base, names: { 'zh-CN': '现代工作' } }, 'fr'), '现代工作');
    assert.equal(requirementDisplayName({ ...base, names: {} }, 'en'), 'Modern work');
    assert.equal(requirementDisplayName({ ...base, names: {}, competency: 'modern-work-and-security' }, 'en'), 'Modern work and security');
    assert.equal(humanizeKey('azure'), 'Azure');
  });
});

describe('requirements defined from a card in Teams', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of ['en', 'fr', 'zh-CN'] as const) {
    describe(`in ${locale}`, () => {
      const t = () => translatorFor(instance, locale);
      const as = (personId: string): ActivityOptions => ({ locale: CLIENT_LOCALE[locale], personId, tenantId: TENANT });

      it('lets a Partner admin add a requirement with validation and localized errors, change it and remove it', async () => {
        const bot = startAdminBot(instance);
        await seedPeople(bot.ledger, [{ who: 'ann', role: 'partner-admin' }]);
        const [list] = await bot.say(message(REQUIREMENTS[locale], as('aad-ann')));
        assertValidCards(list!);
        assert.ok(cardTexts(list!).includes(t()('admin:requirements.noneManage')));
        assert.ok(submitActions(list!).some((a) => (a.data as { action: string }).action === 'admin.requirement.edit'));

        const [editor] = await bot.say(cardSubmit({ action: 'admin.requirement.edit' }, as('aad-ann')));
        assertValidCards(editor!);
        assert.deepEqual(inputIds(editor!), ['reqId', 'reqNameEn', 'reqNameFr', 'reqNameZh', 'reqCompetency', 'reqRequired', 'reqCodes']);

        // Teams merges the inputs into the Save payload.
        const save = (fields: Record<string, unknown>, editing?: string) =>
          bot.say(cardSubmit({ action: 'admin.requirement.save', ...(editing ? { editing } : {}), ...fields }, as('aad-ann')));
        const [bad] = await save({ reqId: 'Modern Work!', reqRequired: 'three', reqCompetency: '', reqNameEn: '' });
        const errors = cardTexts(bad!);
        for (const key of ['id', 'names', 'competency', 'required']) {
          assert.ok(errors.some((e) => e === t()(`admin:requirementForm.errors.${key}`, { max: 10_000, idMax: 64, nameMax: 300, competencyMax: 200 })), key);
        }
        assertValidCards(bad!);
        assert.equal((await allRecords(bot.ledger, 'requirements')).length, 0);

        const [saved, shown] = await save({ reqId: 'modern-work', reqNameFr: 'Travail moderne', reqCompetency: 'modern work', reqRequired: '2', reqCodes: 'MS-102, MD-102' });
        assert.equal(saved!.text, t()('admin:requirementForm.created', { name: 'Travail moderne' }));
        assert.deepEqual((await bot.ledger.get('requirements', `${TENANT}/modern-work`))?.credentialCodes, ['MS-102', 'MD-102']);
        // The list names it in the reader's language when it has one, else in the language it has.
        assert.ok(cardTexts(shown!).includes('Travail moderne'));
        assert.ok(!cardTexts(shown!).includes('modern-work'));

        const [duplicate] = await save({ reqId: 'modern-work', reqNameEn: 'Other', reqCompetency: 'x', reqRequired: '1' });
        assert.ok(cardTexts(duplicate!).includes(t()('admin:requirementForm.errors.exists', { id: 'modern-work' })));

        const [changeEditor] = await bot.say(cardSubmit({ action: 'admin.requirement.edit', requirement: 'modern-work' }, as('aad-ann')));
        assert.ok(!inputIds(changeEditor!).includes('reqId'), 'the id is not editable');
        const [updated] = await save({ reqNameEn: 'Modern Work', reqNameFr: 'Travail moderne', reqCompetency: 'modern work', reqRequired: '3', reqCodes: '' }, 'modern-work');
        const name = locale === 'fr' ? 'Travail moderne' : 'Modern Work';
        assert.equal(updated!.text, t()('admin:requirementForm.updated', { name }));
        assert.equal((await bot.ledger.get('requirements', `${TENANT}/modern-work`))?.requiredPeople, 3);

        const [confirm] = await bot.say(cardSubmit({ action: 'admin.requirement.remove', requirement: 'modern-work', confirm: false }, as('aad-ann')));
        assertValidCards(confirm!);
        assert.ok(await bot.ledger.get('requirements', `${TENANT}/modern-work`), 'asking removes nothing');
        const [removed] = await bot.say(cardSubmit({ action: 'admin.requirement.remove', requirement: 'modern-work', confirm: true }, as('aad-ann')));
        assert.equal(removed!.text, t()('admin:requirementForm.removed', { name }));
        assert.equal(await bot.ledger.get('requirements', `${TENANT}/modern-work`), undefined);
        const actions = (await allRecords(bot.ledger, 'auditLog')).map((e) => e.action);
        assert.ok(actions.includes('requirement.set') && actions.includes('requirement.delete'));
      });

      it('refuses the editor to an Account admin, who may only read the list', async () => {
        const bot = startAdminBot(instance);
        await seedOrganization(bot.ledger);
        await seedPeople(bot.ledger, [{ who: 'ben', role: 'account-admin' }]);
        const [list] = await bot.say(message(REQUIREMENTS[locale], as('aad-ben')));
        assert.ok(!submitActions(list!).some((a) => String((a.data as { action: string }).action).startsWith('admin.requirement')));
        const [refused] = await bot.say(cardSubmit({ action: 'admin.requirement.remove', requirement: 'azure-infra', confirm: true }, as('aad-ben')));
        assert.match(String(refused!.text), new RegExp(t()('admin:roles.partner-admin')));
        assert.ok(await bot.ledger.get('requirements', `${TENANT}/azure-infra`));
      });
    });
  }

  it('keeps the requirement names of the command line: a Global admin sees the seeded names', async () => {
    const bot = startAdminBot(instance);
    await seedOrganization(bot.ledger);
    const [list] = await bot.say(message('exigences', { locale: 'fr-FR', personId: BOSS, tenantId: TENANT }));
    assert.ok(cardTexts(list!).includes('Infrastructure Azure'));
  });
});
