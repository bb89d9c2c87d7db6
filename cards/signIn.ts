import type { Attachment } from 'botbuilder';
import { renderCard } from './render.js';
import signInOutcomeTemplate from './templates/signInOutcome.json' with { type: 'json' };

/** How a sign-in outcome reads: linked (good), nothing changed (default), or not linked (attention). */
export type SignInOutcomeTone = 'good' | 'default' | 'attention';

interface SignInOutcomeData {
  title: string;
  color: 'Good' | 'Default' | 'Attention';
  lines: { text: string }[];
}

const COLORS: Record<SignInOutcomeTone, SignInOutcomeData['color']> = { good: 'Good', default: 'Default', attention: 'Attention' };

/** The card posted into the person's chat when a sign-in completes: a title and a few sentences, already translated. */
export function signInOutcomeCard(outcome: { title: string; lines: readonly string[]; tone: SignInOutcomeTone }): Attachment {
  const data: SignInOutcomeData = {
    title: outcome.title,
    color: COLORS[outcome.tone],
    lines: outcome.lines.map((text) => ({ text })),
  };
  return renderCard(signInOutcomeTemplate, data);
}
