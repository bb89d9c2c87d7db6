import { CardFactory, type Attachment } from 'botbuilder';
import { compileTemplate } from './compileTemplate.js';

/** Teams renders bot-sent Adaptive Cards up to schema 1.5 and ignores newer cards. */
const CARD_VERSION = '1.5';

/**
 * Largest card we send, in UTF-16 bytes: Teams counts messages in UTF-16 and refuses about 100 KB with
 * 413 MessageSizeTooBig, so we keep the 20 % margin Microsoft recommends.
 */
export const MAX_CARD_BYTES = 80 * 1024;

/**
 * Each template compiled once per process (cards/compileTemplate.ts): `new Template` parsed every `${…}` with
 * adaptive-expressions' ANTLR parser, which cost about a fifth of a turn's CPU when done on every render, and its
 * `expand` then walked the template again for every card.
 */
const compiledTemplates = new WeakMap<object, (data: unknown) => unknown>();

function compiledTemplate(template: object): (data: unknown) => unknown {
  let compiled = compiledTemplates.get(template);
  if (!compiled) {
    compiled = compileTemplate(template);
    compiledTemplates.set(template, compiled);
  }
  return compiled;
}

/**
 * Compiles templates ahead of their first card. The first parse in a process also loads adaptive-expressions' parser:
 * 60–150 ms in one piece, which a process should spend at start rather than in its first turn or alert delivery.
 */
export function prepareTemplates(templates: readonly object[]): void {
  for (const template of templates) compiledTemplate(template);
}

/** Expands a card template with its data and wraps it as a Teams attachment; throws on anything Teams would mangle. */
export function renderCard(template: object, data: object): Attachment {
  const card: unknown = compiledTemplate(template)(neutralizeBindings(data));
  const json = JSON.stringify(card);
  // The templating engine leaves a binding it cannot resolve in place, and the person would see "${title}".
  // Data can no longer contain one (see neutralizeBindings), so any left here is the template's own.
  const at = json.indexOf('${');
  if (at >= 0) throw new Error(`Card has an unresolved binding: ${json.slice(at, at + 40)}`);
  if (!isAdaptiveCard(card)) throw new Error('Template did not expand to an AdaptiveCard');
  if (card.version !== CARD_VERSION) {
    throw new Error(`Card version is ${String(card.version)}, Teams needs ${CARD_VERSION}`);
  }
  const bytes = json.length * 2;
  if (bytes > MAX_CARD_BYTES) throw new Error(`Card is ${bytes} bytes, above the ${MAX_CARD_BYTES}-byte limit`);
  return CardFactory.adaptiveCard(card);
}

/** A zero-width space between `$` and `{`: it looks the same to a reader and can never be taken for a binding. */
const NEUTRAL = '$\u200B{';

/**
 * Copies the data with every `${` in its strings made inert, so that text from outside (a Teams display name, a
 * channel name, a credential title from a CSV) can neither fail the unresolved-binding check nor read as one.
 */
function neutralizeBindings(value: unknown): unknown {
  // Most data has no `${` at all: then it is used as it is, without a copy.
  return hasBinding(value) ? neutralized(value) : value;
}

function hasBinding(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (Array.isArray(value)) return value.some(hasBinding);
  if (value && typeof value === 'object') {
    for (const key in value) if (Object.hasOwn(value, key) && (key.includes('${') || hasBinding((value as Record<string, unknown>)[key]))) return true;
  }
  return false;
}

function neutralized(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('${', NEUTRAL);
  if (Array.isArray(value)) return value.map(neutralized);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.replaceAll('${', NEUTRAL), neutralized(inner)]));
  }
  return value;
}

function isAdaptiveCard(x: unknown): x is { type: 'AdaptiveCard'; version?: unknown } {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'AdaptiveCard';
}
