/**
 * The admin workspace's cards: one template (a title, an optional intro, sections with facts, lines and buttons, and
 * card-level buttons and links) and typed builders for each view. All text arrives translated.
 */
import type { Attachment } from 'botbuilder';
import type { Button } from './actions.js';
import { renderCard } from './render.js';
import adminTemplate from './templates/adminCard.json' with { type: 'json' };
import requirementEditorTemplate from './templates/requirementEditor.json' with { type: 'json' };


/** An Action.OpenUrl link. */
interface AdminLink {
  readonly label: string;
  readonly url: string;
}

/** The colour of a section heading: status at a glance. */
export type AdminTone = 'default' | 'good' | 'warning' | 'attention';

/** One block of a card. */
export interface AdminSection {
  readonly heading: string;
  readonly tone?: AdminTone;
  readonly facts?: ReadonlyArray<{ readonly title: string; readonly value: string }>;
  readonly lines?: readonly string[];
  readonly buttons?: readonly Button[];
}

/** A whole admin card. */
export interface AdminCardInput {
  readonly title: string;
  readonly intro?: string;
  readonly sections?: readonly AdminSection[];
  readonly buttons?: readonly Button[];
  readonly links?: readonly AdminLink[];
}

/** Teams shows at most a handful of card-level actions; sections carry the rest. */
const MAX_SECTIONS = 40;

/** Renders an admin card. */
export function adminCard(input: AdminCardInput): Attachment {
  const sections = (input.sections ?? []).slice(0, MAX_SECTIONS).map((s) => ({
    heading: s.heading,
    color: s.tone ?? 'default',
    factSets: s.facts && s.facts.length > 0 ? [{ facts: s.facts }] : [],
    lines: s.lines ?? [],
    buttonSets: s.buttons && s.buttons.length > 0 ? [{ buttons: s.buttons }] : [],
  }));
  return renderCard(adminTemplate, {
    title: input.title,
    intro: input.intro ? [input.intro] : [],
    sections,
    links: input.links ?? [],
    buttons: input.buttons ?? [],
  });
}

/** One text field of the requirement editor; `id` is the input id the Save payload carries (see adminActions.ts). */
export interface RequirementEditorField {
  readonly id: 'reqId' | 'reqCompetency' | 'reqNameEn' | 'reqNameFr' | 'reqNameZh' | 'reqRequired' | 'reqCodes';
  readonly label: string;
  readonly value: string;
  readonly placeholder: string;
}

/** The requirement editor: text fields, what was wrong with the last attempt (if anything), Save and Cancel. */
export function requirementEditorCard(input: {
  readonly title: string;
  readonly intro: string;
  readonly errors: readonly string[];
  readonly fields: readonly RequirementEditorField[];
  readonly buttons: readonly Button[];
}): Attachment {
  return renderCard(requirementEditorTemplate, {
    title: input.title,
    intro: [input.intro],
    errors: input.errors,
    fields: input.fields,
    buttons: input.buttons,
  });
}
