import type { NoticeOptions, NoticeSender } from '../../dialogs/noticeSender.js';
import { matchSupportedLocale } from '../../locales/resolveLocale.js';
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
      const conversation = reference['conversation'];
      const conversationId = typeof conversation === 'object' && conversation !== null ? (conversation as { id?: unknown }).id : undefined;
      if (typeof conversationId !== 'string' || conversationId === '') return false;
      const stored = await deps.conversations.deliverable(conversationId);
      if (!stored) return false;
      const locale = matchSupportedLocale(typeof reference['locale'] === 'string' ? reference['locale'] : undefined) ?? 'en';
      // A notice enqueued again under the same id (a reminder whose claim ran out) is stored, and sent, once.
      await deps.notices.enqueue({
        kind: notice?.kind ?? 'admin-reminder',
        id: notice?.id ?? deps.newId(),
        tenantId: stored.tenantId,
        conversationId,
        locale,
        activity: { ...activity },
      });
      return true;
    },
  };
}
