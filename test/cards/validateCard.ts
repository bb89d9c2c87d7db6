import { createRequire } from 'node:module';
import type * as AdaptiveCardsModule from 'adaptivecards';
import type { Attachment } from 'botbuilder';

// The package's lib/ cannot be imported from Node (extensionless ESM paths); its UMD bundle can, and needs no DOM.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Every problem the official Adaptive Cards object model and our own checks find in a card attachment (empty = valid for Teams). */
export function validateAdaptiveCard(attachment: Attachment): string[] {
  const problems: string[] = [];
  if (attachment.contentType !== ADAPTIVE_CARD_CONTENT_TYPE) problems.push(`contentType is ${attachment.contentType}`);
  const content: unknown = attachment.content;
  if (!isObject(content)) return [...problems, 'content is not an object'];

  const card = new AC.AdaptiveCard();
  card.maxVersion = AC.Versions.v1_5; // the default would accept 1.6, which Teams does not render for bots
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(content, context);
  // Unknown element types and too-new features are only reported while parsing, not by validateProperties().
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`parse ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`validate ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }

  // What the object model lets through.
  if (content['version'] !== '1.5') problems.push(`version is ${JSON.stringify(content['version'])}, expected "1.5"`);
  const json = JSON.stringify(content);
  if (json.includes('${')) problems.push('an unresolved ${binding} is left in the card');
  for (const node of walk(content)) {
    if (node['type'] === 'TextBlock' && !nonEmptyString(node['text'])) problems.push('a TextBlock has no text');
    if (node['type'] === 'Image' && !nonEmptyString(node['url'])) problems.push('an Image has no url');
    if (typeof node['type'] === 'string' && node['type'].startsWith('Action.') && !nonEmptyString(node['title'])) {
      problems.push(`an ${node['type']} has no title`);
    }
  }
  return problems;
}

/** The `data` of every Action.Submit in a card attachment, wherever it sits (actions, ActionSet, selectAction). */
export function submitPayloads(attachment: Attachment): unknown[] {
  return [...walk(attachment.content)].filter((node) => node['type'] === 'Action.Submit').map((node) => node['data']);
}

function* walk(value: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(value)) {
    for (const item of value) yield* walk(item);
  } else if (isObject(value)) {
    yield value;
    // An Action.Submit's data is the payload, not card structure: do not look for elements inside it.
    for (const [key, child] of Object.entries(value)) if (!(key === 'data' && value['type'] === 'Action.Submit')) yield* walk(child);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function nonEmptyString(x: unknown): boolean {
  return typeof x === 'string' && x.trim() !== '';
}
