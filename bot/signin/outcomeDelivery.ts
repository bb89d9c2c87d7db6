/**
 * How the outcome card of a sign-in reaches the person's chat: as a notice of the outbox (services/outbox/outbox.ts),
 * enqueued in the outcome's own ledger transaction; or, with no outbox, posted proactively once the outcome is stored.
 */
import { MessageFactory } from 'botbuilder';
import { z } from 'zod';
import type { NoticeSender } from '../../dialogs/noticeSender.js';
import type { Locale } from '../../locales/locale.js';
import type { Translate } from '../../locales/translate.js';
import type { Policy } from '../../rules/index.js';
import type { NoticeOutbox } from '../../services/outbox/outbox.js';
import type { OutcomeNotice, SignInOutcome } from '../../services/signin/completion.js';
import type { TicketPayload } from '../../services/signin/tickets.js';
import type { Logger } from '../logger.js';
import { describeOutcome, outcomeCard, type OutcomeView } from './outcomeView.js';

const referenceSchema = z.object({ serviceUrl: z.url(), conversation: z.object({ id: z.string().min(1) }) });

/** The outcome card as a notice of `notices`, or undefined without an outbox or a usable chat (then see postOutcome). */
export function outcomeNotice(
  notices: NoticeOutbox | undefined,
  t: Translate,
  locale: Locale,
  ticket: TicketPayload,
  policy: Policy,
): OutcomeNotice | undefined {
  const reference = referenceSchema.safeParse(ticket.conversation);
  if (!notices || !reference.success) return undefined;
  return {
    notices,
    render: (outcome) => {
      // A replayed ticket tells nobody anything new.
      if (outcome.kind === 'refused' && outcome.reason === 'ticket-used') return undefined;
      const card = outcomeCard(t, describeOutcome(t, locale, outcome, ticket, policy), outcome, ticket);
      return {
        kind: 'sign-in-outcome',
        // One card per ticket and outcome: a transaction run again (a conflict) or a retried callback enqueues it once.
        id: `${ticket.jti}|${outcome.kind}`,
        tenantId: ticket.tenantId,
        conversationId: reference.data.conversation.id,
        locale: ticket.locale,
        activity: { type: 'message', attachments: [card] },
        reference: ticket.conversation as Record<string, unknown>,
      };
    },
  };
}

/** Posts the outcome card into the person's chat at once; false when it could not (the page still tells them). */
export async function postOutcome(post: NoticeSender, logger: Logger, t: Translate, ticket: TicketPayload, view: OutcomeView, outcome: SignInOutcome): Promise<boolean> {
  if (!referenceSchema.safeParse(ticket.conversation).success) {
    logger.warn('sign-in ticket has no usable conversation reference');
    return false;
  }
  return post.send(ticket.conversation, MessageFactory.attachment(outcomeCard(t, view, outcome, ticket)));
}
