import { z } from 'zod';
import { LOCALES } from '../locales/locale.js';
import { accountKindSchema } from '../rules/index.js';
import { nonceSchema } from './actionFields.js';
import { adminDeleteConfirm, adminOpen, adminRemind, adminRequirementEdit, adminRequirementRemove, adminRequirementSave } from './adminActions.js';
import { alertAck, alertStatus } from './alertActions.js';

/** A FAQ topic id as the FAQ content names it: lower-case kebab-case. */
const topicId = z.string().max(64).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case topic id');

// One schema per payload. z.object strips keys it does not know (Teams may add `msteams`), it does not refuse them.
const menuLink = z.object({ action: z.literal('menu.link') });
const menuUnlink = z.object({ action: z.literal('menu.unlink') });
const menuStatus = z.object({ action: z.literal('menu.status') });
const menuFaq = z.object({ action: z.literal('menu.faq') });
const menuHelp = z.object({ action: z.literal('menu.help') });
const languageChoose = z.object({ action: z.literal('language.choose') });
const languageSet = z.object({ action: z.literal('language.set'), locale: z.enum(LOCALES) });
/** A vote carries the answer's language, the card's id and the bot's proof over them (services/faq/votes.ts). */
const faqFeedback = z.object({
  action: z.literal('faq.feedback'),
  topic: topicId,
  helpful: z.boolean(),
  locale: z.enum(LOCALES),
  card: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'expected a card id'),
  proof: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a proof'),
});
const flowCancel = z.object({ action: z.literal('flow.cancel') });
const linkKind = z.object({ action: z.literal('link.kind'), kind: accountKindSchema });
const linkMove = z.object({ action: z.literal('link.move'), nonce: nonceSchema });
/** The answer to "link the account you gave last time?": keep it, or give another one. */
const linkAccount = z.object({ action: z.literal('link.account'), keep: z.boolean(), nonce: nonceSchema });
const unlinkConfirm = z.object({ action: z.literal('unlink.confirm'), kind: accountKindSchema, nonce: nonceSchema });
const faqShow = z.object({ action: z.literal('faq.show'), topic: topicId, locale: z.enum(LOCALES) });
/** The comment box under a 👎: what was missing from the answer, in the person's words (bounded, stored as text). */
const faqComment = z.object({
  action: z.literal('faq.comment'),
  topic: topicId,
  locale: z.enum(LOCALES),
  comment: z.string().max(2000).optional(),
});
/** "Who are my admins?": the names of the organization's admins, for a person who needs one. */
const peopleAdmins = z.object({ action: z.literal('people.admins') });
/** "Use another MCID" (or address): the link flow for that kind, asking for a new account id at once. */
const linkAnother = z.object({ action: z.literal('link.another'), kind: accountKindSchema });
/** "Remind me on that date": a reminder in the personal chat when linking is possible again. */
const linkRemind = z.object({ action: z.literal('link.remind') });
/** The team menu's alert buttons: subscribe or unsubscribe this conversation (role checked when run). */
const alertsOn = z.object({ action: z.literal('alerts.on') });
const alertsOff = z.object({ action: z.literal('alerts.off') });

/** Every Action.Submit payload our cards emit, told apart by the dotted `action` id. */
const cardActionSchema = z.discriminatedUnion('action', [
  menuLink,
  menuUnlink,
  menuStatus,
  menuFaq,
  menuHelp,
  languageChoose,
  languageSet,
  faqFeedback,
  flowCancel,
  linkKind,
  linkMove,
  linkAccount,
  unlinkConfirm,
  faqShow,
  adminOpen,
  adminRemind,
  adminDeleteConfirm,
  adminRequirementEdit,
  adminRequirementSave,
  adminRequirementRemove,
  faqComment,
  peopleAdmins,
  linkAnother,
  linkRemind,
  alertsOn,
  alertsOff,
  alertAck,
  alertStatus,
]);

/** A parsed card payload: what the router switches on. */
export type CardAction = z.infer<typeof cardActionSchema>;

/** What a card writes into a button's data: a CardAction before parsing (the card's inputs fill in the rest). */
export type CardActionPayload = z.input<typeof cardActionSchema>;

/** An Action.Submit button: its payload is one that this file's schema accepts, so a card cannot emit what it refuses. */
export interface Button {
  readonly label: string;
  readonly payload: CardActionPayload;
}

/** The outcome of reading an `activity.value`: the parsed action, or a one-line reason for the log. */
export type ParsedCardAction = { ok: true; action: CardAction } | { ok: false; error: string };

/** Parses an Action.Submit value (typically `activity.value`) into a CardAction, returning the parsed copy. */
export function parseCardAction(value: unknown): ParsedCardAction {
  const result = cardActionSchema.safeParse(value);
  if (result.success) return { ok: true, action: result.data };
  const error = result.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ');
  return { ok: false, error };
}
