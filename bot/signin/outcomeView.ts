/**
 * What a completed sign-in says, once for both places that say it: the page the browser lands on and the card
 * posted into the person's chat (title, sentences, tone, HTTP status and the card's next-step buttons).
 */
import type { Attachment } from 'botbuilder';
import type { CardActionPayload } from '../../cards/actions.js';
import { signInOutcomeCard, type SignInOutcomeTone } from '../../cards/signIn.js';
import { formatDateTime } from '../../locales/formatDate.js';
import type { Locale } from '../../locales/locale.js';
import type { Translate } from '../../locales/translate.js';
import type { Policy } from '../../rules/index.js';
import type { SignInOutcome } from '../../services/signin/completion.js';
import type { TicketPayload } from '../../services/signin/tickets.js';

/** What a page or a card says about an outcome. */
export interface OutcomeView {
  readonly title: string;
  readonly lines: string[];
  readonly tone: SignInOutcomeTone;
  readonly status: number;
}

/** The text of a completed sign-in, for both the page and the card. */
export function describeOutcome(t: Translate, locale: Locale, outcome: SignInOutcome, ticket: TicketPayload, policy: Policy): OutcomeView {
  const date = (d: Date) => formatInstant(locale, d, ticket.timeZone);
  switch (outcome.kind) {
    case 'linked': {
      const account = t(`signin:account.${ticket.kind}`, { accountId: outcome.association.accountId });
      const credit =
        outcome.association.kind === 'learn'
          ? t('signin:outcome.creditLearn', { date: date(outcome.creditFrom), days: policy.creditDelayDays })
          : t('signin:outcome.creditUniversity', {
              date: date(outcome.creditFrom),
              minDays: policy.universityNewCreditMinDays,
              maxDays: policy.universityNewCreditMaxDays,
            });
      const lines = [t('signin:outcome.linked', { account }), credit];
      if (outcome.ended) lines.push(t('signin:outcome.moved'));
      return { title: t('signin:outcome.linkedTitle'), lines, tone: 'good', status: 200 };
    }
    case 'already-linked': {
      const account = t(`signin:account.${ticket.kind}`, { accountId: outcome.association.accountId });
      return { title: t('signin:outcome.alreadyLinkedTitle'), lines: [t('signin:outcome.alreadyLinked', { account })], tone: 'default', status: 200 };
    }
    case 'wait': {
      const why =
        outcome.constraint === 'cool-off'
          ? t('signin:outcome.coolOff', { days: policy.daysBetweenAssociationStarts })
          : t('signin:outcome.yearlyLimit', { max: policy.maxAssociationStartsPerWindow, months: policy.associationWindowMonths });
      return { title: t('signin:outcome.waitTitle'), lines: [why, t('signin:outcome.next', { date: date(outcome.until) })], tone: 'attention', status: 409 };
    }
    case 'refused':
      return { title: t('signin:outcome.refusedTitle'), lines: [t(refusalKey(outcome.reason, ticket.kind), { accountId: ticket.accountId })], tone: 'attention', status: 409 };
  }
}

/** The outcome card for the person's chat: the view's text with the next-step buttons. */
export function outcomeCard(t: Translate, view: OutcomeView, outcome: SignInOutcome, ticket: TicketPayload): Attachment {
  return signInOutcomeCard({ title: view.title, lines: view.lines, tone: view.tone, buttons: nextSteps(t, outcome, ticket) });
}

/** A date and time in the person's language and time zone (UTC when unknown), e.g. "April 1, 2026 at 09:00 UTC". */
export function formatInstant(locale: Locale, instant: Date, timeZone = 'UTC'): string {
  return formatDateTime(locale, instant, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  });
}

/** The buttons of the outcome card in the chat: what the person can sensibly do next, never a dead end. */
export function nextSteps(t: Translate, outcome: SignInOutcome, ticket: TicketPayload): Array<{ label: string; payload: CardActionPayload }> {
  const menu = { label: t('menu.back'), payload: { action: 'menu.help' } } as const;
  const status = { label: t('menu.status'), payload: { action: 'menu.status' } } as const;
  // Too soon: the card lands in the personal chat, where "remind me" schedules the reminder for that date.
  if (outcome.kind === 'wait') return [{ label: t('employee:wait.remind'), payload: { action: 'link.remind' } }, status, menu];
  if (outcome.kind !== 'refused') return [status, menu];
  switch (outcome.reason) {
    case 'not-registered':
      return [{ label: t('employee:admins.button'), payload: { action: 'people.admins' } }, menu];
    case 'account-mismatch':
    case 'account-bound-to-another-person':
    case 'subject-mismatch':
    case 'login-bound-to-another-account':
      return [{ label: t(`employee:confirmAccount.change.${ticket.kind}`), payload: { action: 'link.another', kind: ticket.kind } }, menu];
    default:
      return [status, menu];
  }
}

/** The sentence of a refusal; the ones about the signed-in account name a Partner University account when that is the kind. */
function refusalKey(reason: string, kind: TicketPayload['kind']): string {
  const key = camel(reason);
  const aboutTheLogin = key === 'subjectMismatch' || key === 'loginBoundToAnotherAccount' || key === 'loginBoundToAnotherPerson';
  return `signin:outcome.${key}${aboutTheLogin && kind === 'university' ? 'University' : ''}`;
}

function camel(reason: string): string {
  return reason.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
