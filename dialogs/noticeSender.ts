import type { Locale } from '../locales/locale.js';
import { matchSupportedLocale } from '../locales/resolveLocale.js';

/** What a notice is, for the outbox (its own id makes enqueuing it again a no-op). */
export interface NoticeOptions {
  readonly kind: 'admin-reminder' | 'private-view' | 'link-reminder';
  readonly id?: string;
  /**
   * Where to say so (the asker's conversation) and what, if the notice turns out undeliverable after it was enqueued
   * (the app was removed from that chat): the asker was already told it was sent.
   */
  readonly undelivered?: { readonly reference: Readonly<Record<string, unknown>>; readonly activity: Readonly<Record<string, unknown>> };
}

/**
 * Hands a message for a person's personal chat to the outbox, which sends it outside the turn with every other
 * proactive message (bot/proactive/notices.ts; the one proactive sender is services/outbox/dispatcher.ts `ProactiveSender`).
 */
export interface NoticeSender {
  /** Enqueues `activity` for the conversation of `reference`; false when the bot can no longer reach it. */
  send(reference: Readonly<Record<string, unknown>>, activity: Readonly<Record<string, unknown>>, notice?: NoticeOptions): Promise<boolean>;
}

/** The language of a stored conversation reference (the locale Teams gave when it was stored); English if none. */
export function referenceLocale(reference: Readonly<Record<string, unknown>>): Locale {
  return matchSupportedLocale(typeof reference['locale'] === 'string' ? reference['locale'] : undefined) ?? 'en';
}
