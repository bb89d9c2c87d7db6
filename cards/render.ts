import { Template } from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';

/** Teams renders bot-sent Adaptive Cards up to schema 1.5 and ignores newer cards. */
export const CARD_VERSION = '1.5';

/**
 * Largest card we send, in UTF-16 bytes: Teams counts messages in UTF-16 and refuses about 100 KB with
 * 413 MessageSizeTooBig, so we keep the 20 % margin Microsoft recommends.
 */
export const MAX_CARD_BYTES = 80 * 1024;

/** Expands a card template with its data and wraps it as a Teams attachment; throws on anything Teams would mangle. */
export function renderCard(template: object, data: object): Attachment {
  const card: unknown = new Template(template).expand({ $root: data });
  const json = JSON.stringify(card);
  // The templating engine leaves a binding it cannot resolve in place, and the person would see "${title}".
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

function isAdaptiveCard(x: unknown): x is { type: 'AdaptiveCard'; version?: unknown } {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'AdaptiveCard';
}
