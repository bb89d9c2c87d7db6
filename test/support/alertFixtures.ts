import type { Association } from '../../rules/index.js';
import { credentialKey, personKey, type Ledger } from '../../storage/index.js';
import { findRecords } from './ledgerRecords.js';

/** The fixed instant alert tests run at. */
export const ALERT_NOW = new Date('2026-03-02T09:00:00Z');

/** Options of an organization seeded for alert tests. */
export interface AlertOrgOptions {
  readonly tenantId?: string;
  /** People counting toward the requirement(s), each with one linked MCID and one Azure certification. */
  readonly people?: number;
  /** Requirements on Azure, each needing `required` people (ids req-0, req-1, …). */
  readonly requirements?: number;
  readonly required?: number;
  /** Channels subscribed to alerts (conversation ids `19:channel-<i>@thread.tacv2`). */
  readonly channels?: number;
  readonly serviceUrl?: string;
}

/** Conversation id of the i-th seeded channel. */
export function channelId(i: number, tenantId = 'tenant-contoso'): string {
  return `19:${tenantId}-channel-${i}@thread.tacv2`;
}

/** A conversation reference as TurnContext.getConversationReference makes it for a channel. */
export function channelReference(conversationId: string, serviceUrl: string, tenantId: string): Record<string, unknown> {
  return {
    bot: { id: '28:bot', name: 'MCID Link Assistant' },
    user: { id: '29:admin', name: 'Ada Admin', aadObjectId: 'admin' },
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId },
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-US',
  };
}

/**
 * An organization whose Azure requirement(s) are met by `people` people, with a Global admin (`admin`, "Ada Admin")
 * and `channels` subscribed channels. Everyone linked on 2025-06-01 and passed on 2025-05-01, so all count now.
 */
export async function seedAlertOrg(ledger: Ledger, options: AlertOrgOptions = {}): Promise<void> {
  const tenantId = options.tenantId ?? 'tenant-contoso';
  const serviceUrl = options.serviceUrl ?? 'https://smba.example.invalid/';
  await ledger.transact((tx) => {
    tx.put('people', personKey(tenantId, 'admin'), { id: 'admin', tenantId, displayName: 'Ada Admin', role: 'global-admin' });
    tx.put('people', personKey(tenantId, 'member'), { id: 'member', tenantId, displayName: 'Mo Member', role: 'member' });
    for (let i = 0; i < (options.people ?? 3); i++) {
      const personId = `p${i}`;
      tx.put('people', personKey(tenantId, personId), { id: personId, tenantId, displayName: `Person ${i}`, role: 'member' });
      tx.put('associations', `${tenantId}-a${i}`, {
        id: `${tenantId}-a${i}`, personId, tenantId, kind: 'learn', accountId: `${tenantId}-M${i}`, start: new Date('2025-06-01T00:00:00Z'),
      });
      tx.put('credentials', credentialKey(tenantId, `${tenantId}-c${i}`), {
        id: `${tenantId}-c${i}`, tenantId, kind: 'learn', accountId: `${tenantId}-M${i}`, type: 'certification', code: 'AZ-104',
        title: 'Azure Administrator Associate', passed: new Date('2025-05-01T00:00:00Z'), competencies: ['Azure'],
      });
    }
    for (let r = 0; r < (options.requirements ?? 1); r++) {
      tx.put('requirements', `${tenantId}-req-${r}`, {
        id: `req-${r}`, tenantId, competency: r === 0 ? 'Azure' : `Azure ${r}`, requiredPeople: options.required ?? 3, credentialCodes: [],
      });
    }
    for (let i = 0; i < (options.channels ?? 2); i++) {
      const conversationId = channelId(i, tenantId);
      tx.put('conversationReferences', conversationId, {
        tenantId, scope: 'channel', reference: channelReference(conversationId, serviceUrl, tenantId), installedAt: new Date('2026-01-05T10:00:00Z'),
      });
      tx.put('alertSubscriptions', conversationId, {
        tenantId, scope: 'channel', teamId: `19:${tenantId}-team@thread.tacv2`, name: `Channel ${i}`, locale: i % 3 === 1 ? 'fr' : i % 3 === 2 ? 'zh-CN' : 'en',
        subscribedBy: { personId: 'admin', name: 'Ada Admin', at: new Date('2026-01-05T10:00:00Z') },
      });
    }
  });
}

/** Requirements beyond the first use other competency names; make every credential count toward all of them. */
export async function credentialsCountForAll(ledger: Ledger, tenantId = 'tenant-contoso', requirements = 1): Promise<void> {
  const competencies = Array.from({ length: requirements }, (_, r) => (r === 0 ? 'Azure' : `Azure ${r}`));
  await ledger.transact(async (tx) => {
    await findRecords(tx, 'credentials', (c, id) => {
      if (c.tenantId === tenantId) tx.put('credentials', id, { ...c, competencies });
      return false;
    });
  });
}

/** Ends person `index`'s association at `end` (an unlink, a move or an account deletion, as the rules see it). */
export async function endAssociation(ledger: Ledger, index: number, end: Date, reason: Association['endReason'] = 'unlinked', tenantId = 'tenant-contoso'): Promise<void> {
  await ledger.transact(async (tx) => {
    const id = `${tenantId}-a${index}`;
    const a = await tx.get('associations', id);
    if (!a) throw new Error(`no association ${id}`);
    tx.put('associations', id, { ...a, end, endReason: reason });
  });
}
