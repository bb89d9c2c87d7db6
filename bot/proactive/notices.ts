import { referenceLocale, type NoticeOptions, type NoticeSender } from '../../dialogs/noticeSender.js';
import type { NoticeOutbox } from '../../services/outbox/outbox.js';
import type { ConversationReferenceService } from '../../services/outbox/conversationReferences.js';

/**
 * The dialogs' and the reminder worker's way to send into a person's chat: the message becomes a notice row of the
 * outbox (services/outbox/outbox.ts) for a conversation the bot stored at install, and the dispatcher sends it with every
 * other proactive message. False, and nothing enqueued, when the conversation is unknown or known to be gone.
 */
export function outboxNoticeSender(deps: { readonly conversations: Pick<ConversationReferenceService, 'deliverable'>; readonly notices: NoticeOutbox; readonly newId: () => string }): NoticeSender {
  return {
    async send(reference, activity, notice?: NoticeOptions) {
      const conversationId = conversationIdOf(reference);
      const stored = conversationId ? await deps.conversations.deliverable(conversationId) : undefined;
      if (!conversationId || !stored) return false;
      // The asker's conversation takes the word only if the bot can post there too.
      const askerId = notice?.undelivered ? conversationIdOf(notice.undelivered.reference) : undefined;
      const asker = askerId && (await deps.conversations.deliverable(askerId)) ? askerId : undefined;
      // A notice enqueued again under the same id (a reminder whose claim ran out) is stored, and sent, once.
      await deps.notices.enqueue({
        kind: notice?.kind ?? 'admin-reminder',
        id: notice?.id ?? deps.newId(),
        tenantId: stored.tenantId,
        conversationId,
        locale: referenceLocale(reference),
        activity: { ...activity },
        ...(asker && notice?.undelivered
          ? { undelivered: { conversationId: asker, locale: referenceLocale(notice.undelivered.reference), activity: { ...notice.undelivered.activity } } }
          : {}),
      });
      return true;
    },
  };
}

function conversationIdOf(reference: Readonly<Record<string, unknown>>): string | undefined {
  const conversation = reference['conversation'];
  const id = typeof conversation === 'object' && conversation !== null ? (conversation as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
