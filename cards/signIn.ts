import type { Attachment } from 'botbuilder';
import type { Button } from './actions.js';
import { renderCard } from './render.js';
import signInOutcomeTemplate from './templates/signInOutcome.json' with { type: 'json' };

/** How a sign-in outcome reads: linked (good), nothing changed (default), or not linked (attention). */
export type SignInOutcomeTone = 'good' | 'default' | 'attention';

interface SignInOutcomeData {
  title: string;
  color: 'Good' | 'Default' | 'Attention';
  lines: { text: string }[];
  buttons: Button[];
}

const COLORS: Record<SignInOutcomeTone, SignInOutcomeData['color']> = { good: 'Good', default: 'Default', attention: 'Attention' };

/** The card posted into the person's chat when a sign-in completes: a title and a few sentences, already translated. */
export function signInOutcomeCard(outcome: {
  title: string;
  lines: readonly string[];
  tone: SignInOutcomeTone;
  /** What to do next (status, use another MCID, who my admins are, the menu). */
  buttons?: readonly Button[];
}): Attachment {
  const data: SignInOutcomeData = {
    title: outcome.title,
    color: COLORS[outcome.tone],
    lines: outcome.lines.map((text) => ({ text })),
    buttons: [...(outcome.buttons ?? [])],
  };
  return renderCard(signInOutcomeTemplate, data);
}
